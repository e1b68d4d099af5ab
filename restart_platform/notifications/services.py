"""The reminder outbox: plan, cancel, and dispatch follow-ups that must not slip.

Other apps call `plan_reminder` and `cancel_reminders` inside their own transaction, so a
reminder exists exactly when the change that caused it was committed. The dispatcher, run by
Celery beat every minute, claims due rows so that several workers never send one twice.
"""

import contextlib
import datetime as dt
import logging
import random
import smtplib
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.db.models import Model
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .kinds import kind_title
from .models import Heartbeat, Notification, Reminder

logger = logging.getLogger(__name__)

# Statuses a new plan may still change: not sent yet. A claimed reminder is taken back from its
# worker, which checks its claim under a row lock before sending (`_deliver`).
REPLANNABLE = {Reminder.Status.PENDING, Reminder.Status.CLAIMED, Reminder.Status.CANCELLED}


POSSIBLE_DUPLICATE_HEADER = "X-Restart-Possible-Duplicate"

REMINDER_HOUR = 9  # a reminder about a day arrives at the start of that working day


def morning_of(day: dt.date) -> dt.datetime:
    """The moment a reminder about `day` is due: 09:00 in the platform's time zone, DST included."""
    return dt.datetime.combine(day, dt.time(REMINDER_HOUR), tzinfo=ZoneInfo(settings.TIME_ZONE))


def plan_reminder(
    *,
    key: str,
    kind: str,
    due_at: datetime,
    target: Model | None = None,
    recipient_role: str = "",
    recipient=None,
    city=None,
    link: str = "",
) -> Reminder:
    """Plan one reminder, once: the same key twice stores one row.

    Planning a key again moves a pending (or cancelled) reminder to the new due time and
    recipient; a reminder already sent or failed is left as it is. Call it inside the
    transaction of the change that causes it: if that rolls back, nothing is ever sent.
    """
    fields = {
        "kind": kind,
        "due_at": due_at,
        "next_attempt_at": due_at,
        "recipient_role": recipient_role,
        "recipient": recipient,
        "city": city,
        "link": link,
        "content_type": ContentType.objects.get_for_model(target) if target is not None else None,
        "object_id": str(target.pk) if target is not None else "",
    }
    with transaction.atomic():
        reminder, created = Reminder.objects.select_for_update().get_or_create(
            key=key, defaults=fields
        )
        if created or reminder.status not in REPLANNABLE:
            return reminder
        for name, value in fields.items():
            setattr(reminder, name, value)
        reminder.status, reminder.attempts, reminder.last_error = Reminder.Status.PENDING, 0, ""
        reminder.claim_token = reminder.claimed_at = None
        reminder.save()
    return reminder


def cancel_reminders(
    *, about: Model | None = None, kind: str | None = None, keys: list[str] | None = None
) -> int:
    """Cancel the open reminders about a record (optionally of one kind), or those with these keys."""
    if about is None and not keys:
        raise ValueError("Say which reminders to cancel: about=<record> or keys=[...].")
    reminders = Reminder.objects.open()
    if about is not None:
        reminders = reminders.filter(
            content_type=ContentType.objects.get_for_model(about), object_id=str(about.pk)
        )
    if kind is not None:
        reminders = reminders.filter(kind=kind)
    if keys:
        reminders = reminders.filter(key__in=keys)
    return reminders.update(status=Reminder.Status.CANCELLED, claim_token=None)


def retarget_reminders(*, about: Model, to: Model) -> int:
    """Open reminders about one record now concern another (two records merged into one), so
    they reach whoever holds that record when they are sent, with a link that answers."""
    return (
        Reminder.objects.open()
        .filter(content_type=ContentType.objects.get_for_model(about), object_id=str(about.pk))
        .update(content_type=ContentType.objects.get_for_model(to), object_id=str(to.pk))
    )


@transaction.atomic
def notification_mark_read(*, notification: Notification) -> Notification:
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def reminder_retry(*, reminder: Reminder) -> Reminder:
    """Send a failed reminder again from the next dispatch on (a coordinator asked for it)."""
    updated = Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.FAILED).update(
        status=Reminder.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), last_error=""
    )
    reminder.refresh_from_db()
    if not updated:
        raise ValueError("Only a failed reminder can be retried.")
    return reminder


def reminders_dispatch_due(
    *,
    now: datetime | None = None,
    batch_size: int | None = None,
    on_backlog: Callable[[], None] | None = None,
) -> int:
    """Send every reminder that is due; return how many were sent. Safe to run in parallel.

    `on_backlog` is called once when the first batch comes back full: more is due than one
    batch, so the caller can ask another worker to join instead of leaving it idle until the
    next trigger from beat.
    """
    now = now or timezone.now()
    batch_size = batch_size or settings.REMINDER_BATCH_SIZE
    heartbeat_record(job=Heartbeat.DISPATCH)
    reminders_release_stale_claims(now=now)
    sent = 0
    while batch := _claim_due(now=now, batch_size=batch_size):
        if on_backlog is not None and len(batch) == batch_size:
            on_backlog()
            on_backlog = None
        with _mail_connection() as mail:
            sent += sum(_deliver(reminder, now=now, mail=mail) for reminder in batch)
        heartbeat_record(job=Heartbeat.DISPATCH)  # still at work on a long backlog
    return sent


@contextlib.contextmanager
def _mail_connection() -> Iterator[BaseEmailBackend]:
    """One connection to the mail server for a batch, opened at its first e-mail.

    A connection per e-mail costs a TCP handshake, EHLO and QUIT, and against a real relay
    also TLS and a login: more than the e-mail itself, which capped how fast a backlog left.
    """
    mail = get_connection()
    try:
        yield mail
    finally:
        _close_quietly(mail)


def _close_quietly(mail: BaseEmailBackend) -> None:
    # A server that already hung up answers QUIT with an error; the e-mails are not affected.
    with contextlib.suppress(smtplib.SMTPException, OSError):
        mail.close()


def heartbeat_record(*, job: str) -> None:
    """Say that `job` is at work now. One row per job, rewritten on every run."""
    now = timezone.now()
    if not Heartbeat.objects.filter(job=job).update(beat_at=now):
        Heartbeat.objects.get_or_create(job=job, defaults={"beat_at": now})


def reminders_release_stale_claims(*, now: datetime) -> int:
    """Give claims back whose worker died mid-send; they may have gone out already, so say so."""
    return Reminder.objects.filter(
        status=Reminder.Status.CLAIMED, claimed_at__lt=now - settings.REMINDER_STALE_CLAIM
    ).update(
        status=Reminder.Status.PENDING,
        claim_token=None,
        claimed_at=None,
        possibly_duplicate=True,
        next_attempt_at=now,
    )


def _claim_due(*, now: datetime, batch_size: int) -> list[Reminder]:
    """Claim a batch of due rows for this worker alone.

    On PostgreSQL, SKIP LOCKED lets parallel dispatchers take different rows without waiting.
    SQLite has no row locks, but its IMMEDIATE transactions let one writer in at a time. In
    both, the conditional UPDATE only claims rows that are still pending.
    """
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            Reminder.objects.due(now)
            .order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return []
        Reminder.objects.filter(pk__in=ids, status=Reminder.Status.PENDING).update(
            status=Reminder.Status.CLAIMED, claim_token=token, claimed_at=now
        )
    return list(
        Reminder.objects.filter(claim_token=token)
        .select_related("recipient", "content_type")
        .prefetch_related("target")  # one query per kind of record, not one per reminder
    )


def _deliver(reminder: Reminder, *, now: datetime, mail: BaseEmailBackend) -> bool:
    target = reminder.target if reminder.content_type_id else None
    if reminder.content_type_id and target is None:
        _close(reminder, status=Reminder.Status.CANCELLED, error="The record no longer exists.")
        return False
    still_needed = getattr(target, "reminder_still_needed", None)
    if still_needed is not None and not still_needed(reminder.kind):
        _close(reminder, status=Reminder.Status.CANCELLED, error="")
        return False
    recipient = reminder.recipient or _resolve_recipient(target, reminder.recipient_role)
    if recipient is None or not recipient.is_active:
        _close(
            reminder,
            status=Reminder.Status.FAILED,
            error=f"Nobody holds the role {reminder.recipient_role!r} on this record.",
        )
        return False
    with translation.override(recipient.language or settings.LANGUAGE_CODE):
        reference = (
            target.reminder_reference(recipient)
            if hasattr(target, "reminder_reference")
            else recipient.first_name
        )
        title = kind_title(reminder.kind, reference=reference or recipient.username)
        url = reminder.link or (
            target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""
        )
        # The claim is checked again under a lock of the row, held until the reminder is marked
        # sent: a cause resolved meanwhile (the reminder cancelled, or planned for another day)
        # either came first, and nothing is sent, or waits until it was.
        try:
            with transaction.atomic():
                if not _still_claimed(reminder):
                    return False
                notification = _notify_in_app(reminder, recipient=recipient, title=title, url=url)
                if recipient.email:
                    _send_email(
                        reminder,
                        target=target,
                        recipient=recipient,
                        title=title,
                        notification=notification,
                        mail=mail,
                    )
                return _mark_sent(reminder, recipient=recipient, now=now)
        except (
            Exception
        ) as exc:  # the mail server's failures are many kinds of OSError and SMTPException
            logger.warning("Reminder %s could not be sent: %s", reminder.pk, exc)
            _record_failure(reminder, error=f"{type(exc).__name__}: {exc}", now=now)
            return False


def _still_claimed(reminder: Reminder) -> bool:
    return (
        Reminder.objects.select_for_update()
        .filter(pk=reminder.pk, claim_token=reminder.claim_token, status=Reminder.Status.CLAIMED)
        .exists()
    )


def _resolve_recipient(target, role: str):
    resolve = getattr(target, "reminder_recipient", None)
    return resolve(role) if resolve is not None else None


def _notify_in_app(reminder: Reminder, *, recipient, title: str, url: str) -> Notification:
    # get_or_create: a stale claim that is sent again must not show twice in the app.
    notification, _ = Notification.objects.get_or_create(
        reminder=reminder, user=recipient, defaults={"title": title[:200], "url": url[:300]}
    )
    return notification


def _send_email(
    reminder: Reminder,
    *,
    target,
    recipient,
    title: str,
    notification: Notification,
    mail: BaseEmailBackend,
) -> None:
    """A first name, the kind of reminder and a link: nothing about the young person.

    A record may attach files, such as the calendar invitation of an intake. The e-mail goes
    over the batch's connection; after a failure the next e-mail opens a fresh one, so a
    connection the server dropped fails one reminder (retried later), not the rest of the batch.
    """
    link = settings.SITE_URL.rstrip("/") + reverse(
        "notifications:notification_open", args=[notification.pk]
    )
    context = {
        "first_name": recipient.first_name or recipient.username,
        "title": title,
        "link": link,
    }
    message = EmailMessage(
        # A name may hold a line break (a form keeps what a script posts): a subject may not.
        subject=" ".join(f"[re-START] {title}".split()),
        body=render_to_string("notifications/email/reminder.txt", context),
        to=[recipient.email],
        headers=_headers(reminder),
        connection=mail,
    )
    attachments = getattr(target, "reminder_attachments", None)
    for filename, content, mimetype in attachments(reminder.kind, recipient) if attachments else []:
        message.attach(filename, content, mimetype)
    try:
        mail.open()  # once per batch: a no-op while the connection is open
        message.send()
    except Exception:
        _close_quietly(mail)
        raise


def _headers(reminder: Reminder) -> dict[str, str]:
    # The same Message-ID on every attempt lets mail systems drop a duplicate. A reminder whose
    # worker died while sending it goes out again, and says so: the first may have arrived.
    headers = {"Message-ID": f"<reminder-{reminder.pk}@restart-platform>"}
    if reminder.possibly_duplicate:
        headers[POSSIBLE_DUPLICATE_HEADER] = "yes"
    return headers


def _mark_sent(reminder: Reminder, *, recipient, now: datetime) -> bool:
    updated = Reminder.objects.filter(
        pk=reminder.pk, claim_token=reminder.claim_token, status=Reminder.Status.CLAIMED
    ).update(
        status=Reminder.Status.SENT,
        sent_at=now,
        sent_to=recipient,
        attempts=reminder.attempts + 1,
        last_error="",
    )
    return bool(updated)


def _record_failure(reminder: Reminder, *, error: str, now: datetime) -> None:
    attempts = reminder.attempts + 1
    if attempts >= settings.REMINDER_MAX_ATTEMPTS:
        _close(reminder, status=Reminder.Status.FAILED, error=error, attempts=attempts)
        return
    delay = min(settings.REMINDER_RETRY_BASE * 2 ** (attempts - 1), settings.REMINDER_RETRY_MAX)
    delay *= 1 + random.random() / 10  # noqa: S311 - jitter spreads retries, no secret involved  # nosec B311
    Reminder.objects.filter(pk=reminder.pk, claim_token=reminder.claim_token).update(
        status=Reminder.Status.PENDING,
        claim_token=None,
        claimed_at=None,
        attempts=attempts,
        next_attempt_at=now + delay,
        last_error=error[:2000],
    )


def _close(reminder: Reminder, *, status: str, error: str, attempts: int | None = None) -> None:
    Reminder.objects.filter(pk=reminder.pk, claim_token=reminder.claim_token).update(
        status=status,
        claim_token=None,
        attempts=reminder.attempts if attempts is None else attempts,
        last_error=error[:2000],
    )
