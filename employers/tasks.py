from celery import shared_task

from .services import employers_plan_stale_digests


@shared_task(ignore_result=True)
def plan_stale_digests() -> int:
    """Beat runs this on Monday morning; the reminders it plans go out through the outbox."""
    return employers_plan_stale_digests()
