"""The demo's invented past: the reminders that fell due in it went out back then."""

from datetime import datetime

from .models import Reminder


def settle_past_reminders(*, seeded_since: datetime, stdout=None) -> None:
    """Mark sent, at their due moment, the reminders this seed planned in its invented past.

    The demo backdates contacts, placements and intakes, so some of the reminders they plan were
    due days ago; a platform that ran then would have sent them then. Left open, a fresh demo
    would start with reminders hours overdue. Only rows planned since `seeded_since` are touched:
    a reminder of real use is never marked sent without being sent.
    """
    past = (
        Reminder.objects.open()
        .filter(created_at__gte=seeded_since, next_attempt_at__lt=seeded_since)
        .select_related("recipient", "content_type")
    )
    settled = 0
    for reminder in past:
        target = reminder.target if reminder.content_type_id else None
        resolve = getattr(target, "reminder_recipient", None)
        recipient = reminder.recipient or (resolve(reminder.recipient_role) if resolve else None)
        if recipient is None:
            continue  # the dispatcher will say that nobody holds the role
        settled += Reminder.objects.filter(pk=reminder.pk).update(
            status=Reminder.Status.SENT,
            sent_at=reminder.next_attempt_at,
            sent_to=recipient,
            attempts=1,
            claim_token=None,
        )
    if stdout:
        stdout.write(f"  marked {settled} reminders of the invented past as sent back then")
