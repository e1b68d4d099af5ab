from celery import shared_task

from .services import feature_changes_prune, proposal_run, proposals_resume


@shared_task(ignore_result=True)
def run_proposal(proposal_id: int) -> None:
    """Compute one assignment proposal; the row in the database is the truth, not the message."""
    proposal_run(proposal_id)


@shared_task(ignore_result=True)
def resume_proposals() -> dict[str, int]:
    """Beat runs this every minute: proposals the broker lost are sent again."""
    return proposals_resume()


@shared_task(ignore_result=True)
def prune_feature_changes() -> int:
    """Every night: the notes of what changed for the warm features, older than a day, go."""
    return feature_changes_prune()
