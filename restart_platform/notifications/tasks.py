from celery import shared_task

from .services import reminders_dispatch_due


@shared_task(ignore_result=True)
def dispatch_due_reminders() -> int:
    """Beat runs this every minute. It only triggers; the rows in the outbox are the truth."""
    return reminders_dispatch_due()
