"""The intake: a personal, non-committal first meeting of a young person and an employer,
organised by a youth worker, with a third party with authority present; and its record."""

import datetime as dt
import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from employers.models import Opening
from youth.models import Barrier, YoungPerson


class IntakeMeeting(models.Model):
    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        CANCELLED = "cancelled", _("Cancelled")

    uid = models.UUIDField(
        default=uuid.uuid4, unique=True, editable=False
    )  # the calendar event's UID
    sequence = models.PositiveIntegerField(
        default=0, editable=False
    )  # iCalendar SEQUENCE: grows with each update
    youth = models.ForeignKey(
        YoungPerson,
        on_delete=models.PROTECT,
        related_name="intakes",
        verbose_name=_("young person"),
    )
    youth_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="intakes_organised",
        verbose_name=_("youth worker"),
        limit_choices_to={"role": "youth_worker"},
    )
    employer_contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intakes_attended",
        verbose_name=_("employer contact"),
        limit_choices_to={"role": "employer_contact"},
    )
    opening = models.ForeignKey(
        Opening,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intakes",
        verbose_name=_("opening"),
    )
    third_party = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="intakes_as_third_party",
        verbose_name=_("third party with authority"),
        help_text=_("The coordinator or another professional present to give the meeting weight."),
    )
    third_party_name = models.CharField(
        _("third party without an account"),
        max_length=200,
        blank=True,
        help_text=_("Name and role, e.g. a job coach of the municipality."),
    )
    starts_at = models.DateTimeField(_("starts at"))
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration (minutes)"),
        default=60,
        validators=[MinValueValidator(15), MaxValueValidator(240)],
    )
    place = models.CharField(_("place"), max_length=200)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.SCHEDULED
    )
    cancel_reason = models.TextField(_("reason for cancelling"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("intake meeting")
        verbose_name_plural = _("intake meetings")
        indexes = [models.Index(fields=["starts_at"], name="intake_starts_at_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=240),
                name="intake_duration_15_to_240",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="intake_cancelled_has_reason",
            ),
        ]

    def __str__(self):
        return self.reference

    def get_absolute_url(self):
        return reverse("intake:intake_detail", args=[self.pk])

    @property
    def reference(self) -> str:
        return f"INT-{self.pk:05d}"

    @property
    def ends_at(self) -> dt.datetime:
        return self.starts_at + dt.timedelta(minutes=self.duration_minutes)

    def participants(self) -> list:
        """Everyone with an account who takes part: they get the invitation and the reminders."""
        people = [self.youth_worker, self.employer_contact, self.third_party]
        return list({person.pk: person for person in people if person is not None}.values())

    # The reminder outbox asks these.
    def reminder_recipient(self, role: str):
        return self.youth_worker if role == "youth_worker" else None

    def reminder_reference(self, recipient) -> str:
        # The employer contact and a third party are invited too: to them, the meeting's own
        # reference only; the case reference is for the young person's youth worker.
        if recipient.pk == self.youth_worker_id:
            return f"{self.reference} ({self.youth.case_reference})"
        return self.reference

    def reminder_still_needed(self, kind: str) -> bool:
        if kind == "intake.cancelled":
            return True
        if self.status == self.Status.CANCELLED:
            return False
        if kind == "intake.outcome_missing":
            return not IntakeRecord.objects.filter(
                meeting=self, status=IntakeRecord.Status.FINISHED
            ).exists()
        return True

    def reminder_attachments(self, kind: str, recipient) -> list[tuple[str, bytes, str]]:
        if kind not in {"intake.invitation", "intake.updated", "intake.cancelled"}:
            return []
        from .calendar import meeting_ics

        return [
            (
                "intake.ics",
                meeting_ics(self, recipient=recipient),
                "text/calendar; method=" + ("CANCEL" if kind == "intake.cancelled" else "REQUEST"),
            )
        ]


class IntakeRecord(models.Model):
    """The structured record of the meeting, one section per working element of the literature."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        FINISHED = "finished", _("Finished")

    class Click(models.TextChoices):
        YES = "yes", _("Yes, there is a click")
        UNSURE = "unsure", _("Not sure yet")
        NO = "no", _("No click")

    class Outcome(models.TextChoices):
        PROGRAMME = "programme", _("To the pre-employment programme")
        PLACEMENT = "placement", _("To a placement at an opening")
        BUDDY = "buddy", _("A buddy")
        NOT_NOW = "not_now", _("Not now")
        OTHER = "other", _("Other")

    meeting = models.OneToOneField(IntakeMeeting, on_delete=models.CASCADE, related_name="record")
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    # Motivation at the centre.
    motivation_words = models.TextField(_("motivation in their own words"), blank=True)
    motivation_rating = models.PositiveSmallIntegerField(
        _("motivation (1 to 5)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    motivation_drivers = models.TextField(_("what drives it"), blank=True)
    # Barriers to motivation, and the network around the young person.
    barriers = models.ManyToManyField(
        Barrier, blank=True, related_name="intake_records", verbose_name=_("barriers to motivation")
    )
    network_helping = models.TextField(_("helping factors in the network"), blank=True)
    network_hindering = models.TextField(_("hindering factors in the network"), blank=True)
    # Mutual expectations, made explicit.
    youth_expectations = models.TextField(_("the young person's expectations"), blank=True)
    employer_expectations = models.TextField(_("the employer's expectations"), blank=True)
    agreed_expectations = models.TextField(_("expectations agreed"), blank=True)
    was_non_committal = models.BooleanField(
        _("the meeting was non-committal"),
        default=False,
        help_text=_("A first meeting commits no one: both sides were told so."),
    )
    # Is there a click?
    youth_click = models.CharField(
        _("the young person's impression"), max_length=10, choices=Click.choices, blank=True
    )
    youth_impression = models.TextField(_("in their words"), blank=True)
    employer_click = models.CharField(
        _("the employer's impression"), max_length=10, choices=Click.choices, blank=True
    )
    employer_impression = models.TextField(_("in the employer's words"), blank=True)
    # What comes of it.
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_opening = models.ForeignKey(
        Opening,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("opening for the placement"),
    )
    outcome_note = models.TextField(_("about the outcome"), blank=True)
    next_step = models.CharField(_("next step"), max_length=300, blank=True)
    next_step_on = models.DateField(_("next step on"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    version = models.PositiveIntegerField(default=1, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("intake record")
        verbose_name_plural = _("intake records")
        constraints = [
            models.CheckConstraint(
                condition=Q(motivation_rating__isnull=True)
                | Q(motivation_rating__gte=1, motivation_rating__lte=5),
                name="intake_motivation_1_to_5",
            ),
            # Only a finished record counts as done, and it names its outcome and next step.
            models.CheckConstraint(
                condition=Q(status="draft")
                | (
                    ~Q(outcome="")
                    & ~Q(next_step="")
                    & Q(next_step_on__isnull=False)
                    & Q(finished_at__isnull=False)
                ),
                name="intake_finished_has_outcome_and_next_step",
            ),
        ]

    def __str__(self):
        return f"{self.meeting} ({self.get_status_display()})"
