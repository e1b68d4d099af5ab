from datetime import datetime, timedelta

from django.db.models import Min, QuerySet

from restart_platform.accounts.access import own_q, scope_q

from .models import Heartbeat, Notification, Reminder


def notifications_for(*, user) -> QuerySet[Notification]:
    return Notification.objects.filter(own_q(user, "user"))


def unread_count(*, user) -> int:
    return notifications_for(user=user).filter(read_at__isnull=True).count()


def failed_reminders_for(*, user) -> QuerySet[Reminder]:
    """Failed reminders to follow up by hand: a coordinator those of their cities; those of no
    city (which may concern anyone, anywhere) an administrator, who sees them all."""
    return (
        Reminder.objects.filter(status=Reminder.Status.FAILED)
        .filter(scope_q(user, city="city"))
        .select_related("recipient", "sent_to", "city", "content_type")
        .order_by("-next_attempt_at", "-pk")
    )


def oldest_waiting_age(*, now) -> timedelta | None:
    """How long the oldest due reminder has waited for a worker; None when nothing waits."""
    oldest = (
        Reminder.objects.open()
        .filter(next_attempt_at__lte=now)
        .aggregate(oldest=Min("next_attempt_at"))["oldest"]
    )
    return None if oldest is None else now - oldest


def last_dispatch_at() -> datetime | None:
    """When the reminder dispatcher last ran; None when it never did."""
    return (
        Heartbeat.objects.filter(job=Heartbeat.DISPATCH).values_list("beat_at", flat=True).first()
    )
