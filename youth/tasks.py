from celery import shared_task

from .services import youth_apply_retention


@shared_task(ignore_result=True)
def apply_retention() -> int:
    """Beat runs this every night: young people who left long ago are anonymised (AVG)."""
    return len(youth_apply_retention())
