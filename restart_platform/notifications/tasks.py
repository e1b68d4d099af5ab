import logging

from celery import shared_task
from kombu.exceptions import OperationalError

from .services import reminders_dispatch_due

logger = logging.getLogger(__name__)

# As beat's own trigger: one that waited longer than this is useless, a newer one does the work.
TRIGGER_EXPIRES = 55


@shared_task(bind=True, ignore_result=True)
def dispatch_due_reminders(self) -> int:
    """Beat runs this every minute. It only triggers; the rows in the outbox are the truth.

    On a backlog it sends one more trigger to its own queue, so an idle worker joins now rather
    than at beat's next minute; that run does the same, until every worker helps or the
    backlog is gone (a run that finds less than a batch sends none).
    """
    queue = (self.request.delivery_info or {}).get("routing_key")

    def call_another_worker():
        try:
            dispatch_due_reminders.apply_async(queue=queue, expires=TRIGGER_EXPIRES)
        except OperationalError as exc:  # the broker is down: this run carries on alone
            logger.warning("Could not call another worker to the reminder backlog: %s", exc)

    return reminders_dispatch_due(on_backlog=call_another_worker)
