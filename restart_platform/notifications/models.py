from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReminderQuerySet(models.QuerySet):
    def due(self, now):
        return self.filter(status=Reminder.Status.PENDING, next_attempt_at__lte=now)

    def open(self):
        return self.filter(status__in=[Reminder.Status.PENDING, Reminder.Status.CLAIMED])


class Reminder(models.Model):
    """A follow-up that must not slip: a row in the outbox, written with the change that caused it.

    The dispatcher scans `next_attempt_at` for pending rows, claims them, sends an e-mail and an
    in-app notification, and marks them sent. The broker only triggers the dispatcher, so a
    broker that is down delays reminders but loses none.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("pending")
        CLAIMED = "claimed", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        CANCELLED = "cancelled", _("cancelled")

    key = models.CharField(
        _("idempotency key"),
        max_length=200,
        unique=True,
        help_text=_("Planning the same key again changes the pending reminder, never adds one."),
    )
    kind = models.CharField(_("kind"), max_length=80)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("record type")
    )
    object_id = models.CharField(_("record id"), max_length=64, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    # Either a role on the record, resolved when the reminder is sent (so a reassigned record
    # reaches the new person), or a fixed recipient.
    recipient_role = models.CharField(_("recipient role on the record"), max_length=40, blank=True)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("recipient"),
    )
    city = models.ForeignKey(
        "accounts.City", on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("city")
    )
    link = models.CharField(
        _("link"),
        max_length=300,
        blank=True,
        help_text=_("Where the notification leads when there is no record."),
    )
    due_at = models.DateTimeField(_("due"))
    next_attempt_at = models.DateTimeField(_("next attempt"))
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    claimed_at = models.DateTimeField(_("claimed"), null=True, blank=True)
    claim_token = models.UUIDField(null=True, blank=True, editable=False)
    possibly_duplicate = models.BooleanField(
        _("possibly sent twice"),
        default=False,
        help_text=_("A worker stopped while sending this; it was sent again to be sure."),
    )
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    sent_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("sent to"),
    )
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = ReminderQuerySet.as_manager()

    class Meta:
        ordering = ["next_attempt_at", "pk"]
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="reminder_due_idx"),
            models.Index(fields=["content_type", "object_id"], name="reminder_target_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(recipient__isnull=False)
                | (~Q(recipient_role="") & Q(content_type__isnull=False)),
                name="reminder_has_recipient",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False),
                name="reminder_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status="claimed")
                | Q(claim_token__isnull=False, claimed_at__isnull=False),
                name="reminder_claim_has_token",
            ),
        ]

    def __str__(self):
        return f"{self.kind} ({self.key})"


class Notification(models.Model):
    """The in-app side of a sent reminder, read in the notification list."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("user"),
    )
    reminder = models.ForeignKey(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=200)
    url = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        constraints = [
            models.UniqueConstraint(
                fields=["reminder", "user"], name="notification_once_per_reminder"
            ),
        ]
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self):
        return self.title

    @property
    def is_read(self) -> bool:
        return self.read_at is not None


class Heartbeat(models.Model):
    """The last moment a background job was at work, written by the job itself on each run.

    /healthz reads it to tell a stopped dispatcher from a quiet one: due reminders that wait
    are a fault only when no dispatch has run for a while.
    """

    DISPATCH = "reminders.dispatch"  # the reminder dispatcher's job

    job = models.CharField(_("job"), max_length=80, unique=True)
    beat_at = models.DateTimeField(_("last run"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self):
        return self.job
