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

from employers.models import Contact, Opening
from restart_platform.dates import DateKind, PlausibleDatesModel
from youth.models import Barrier, NetworkFactor, YoungPerson


class YesNo(models.TextChoices):
    """An answer that may also be missing: "" is "not recorded", never read as "no"."""

    YES = "yes", _("Yes")
    NO = "no", _("No")


class IntakeMeeting(PlausibleDatesModel, models.Model):
    plausible_dates = {"starts_at": DateKind.PLANNED}

    class Status(models.TextChoices):
        SCHEDULED = "scheduled", _("Scheduled")
        HELD = "held", _("Held")
        NO_SHOW = "no_show", _("No-show")
        CANCELLED = "cancelled", _("Cancelled")

    class Absent(models.TextChoices):
        YOUTH = "youth", _("The young person")
        EMPLOYER = "employer", _("The employer")
        BOTH = "both", _("The young person and the employer")

    class Authority(models.TextChoices):
        """Why the third party's presence carries weight (derde partij met gezag)."""

        COORDINATOR = "coordinator", _("Alliance coordinator")
        EMPLOYER_MANAGER = "employer_manager", _("Manager at the employer")
        MUNICIPALITY = "municipality", _("Municipality")
        SCHOOL = "school", _("School")
        JOB_COACH = "job_coach", _("Job coach")
        OTHER = "other", _("Other")

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
        help_text=_(
            "A coordinator of the young person's city, present to give the meeting weight."
        ),
    )
    third_party_name = models.CharField(
        _("third party without an account"),
        max_length=200,
        blank=True,
        help_text=_("Name and role, e.g. a job coach of the municipality."),
    )
    third_party_authority = models.CharField(
        _("kind of authority"), max_length=20, choices=Authority.choices, blank=True
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
    # Who did not come (a no-show), or who was there (held): what the fidelity figures count.
    absent = models.CharField(
        _("who did not come"), max_length=10, choices=Absent.choices, blank=True
    )
    youth_present = models.BooleanField(_("the young person was present"), default=False)
    youth_worker_present = models.BooleanField(
        _("the youth worker was present as bridge"), default=False
    )
    employer_present = models.BooleanField(_("the employer was present"), default=False)
    present_contact = models.ForeignKey(
        Contact,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="intakes_attended",
        verbose_name=_("employer contact present"),
    )
    present_employer_name = models.CharField(
        _("name of the employer's representative"), max_length=150, blank=True
    )
    present_employer_role = models.CharField(
        _("role of the employer's representative"), max_length=150, blank=True
    )
    third_party_present = models.BooleanField(
        _("the third party with authority was present"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-starts_at", "-pk"]
        verbose_name = _("intake meeting")
        verbose_name_plural = _("intake meetings")
        indexes = [
            models.Index(fields=["starts_at"], name="intake_starts_at_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=240),
                name="intake_duration_15_to_240",
            ),
            models.CheckConstraint(
                condition=~Q(status="cancelled") | ~Q(cancel_reason=""),
                name="intake_cancelled_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(status="no_show", absent__in=["youth", "employer", "both"])
                | (~Q(status="no_show") & Q(absent="")),
                name="intake_no_show_says_who",
            ),
            models.CheckConstraint(
                condition=Q(status="held")
                | Q(
                    youth_present=False,
                    youth_worker_present=False,
                    employer_present=False,
                    third_party_present=False,
                ),
                name="intake_presence_only_when_held",
            ),
            # An employer present is a known contact, or someone named: never an empty tick.
            models.CheckConstraint(
                condition=Q(employer_present=False)
                | Q(present_contact__isnull=False)
                | ~Q(present_employer_name=""),
                name="intake_employer_present_is_named",
            ),
            models.CheckConstraint(
                condition=Q(third_party_present=False)
                | (
                    (Q(third_party__isnull=False) | ~Q(third_party_name=""))
                    & ~Q(third_party_authority="")
                ),
                name="intake_third_party_present_is_named",
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
        if self.status in {self.Status.CANCELLED, self.Status.NO_SHOW}:
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


class IntakeRecord(PlausibleDatesModel, models.Model):
    """The structured record of the meeting, one section per working element of the literature."""

    plausible_dates = {"next_step_on": DateKind.PLANNED}

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
    no_barriers_found = models.BooleanField(
        _("no barriers to motivation found"),
        default=False,
        help_text=_("Asked, and none came up: not the same as not asked."),
    )
    network_factors = models.ManyToManyField(
        NetworkFactor,
        blank=True,
        related_name="intake_records",
        verbose_name=_("helping and hindering factors in the network"),
    )
    network_helping = models.TextField(_("notes on helping factors"), blank=True)
    network_hindering = models.TextField(_("notes on hindering factors"), blank=True)
    # Mutual expectations, made explicit.
    youth_expectations = models.TextField(_("the young person's expectations"), blank=True)
    employer_expectations = models.TextField(_("the employer's expectations"), blank=True)
    agreed_expectations = models.TextField(_("expectations agreed"), blank=True)
    non_committal = models.CharField(
        _("the meeting was non-committal"),
        max_length=3,
        choices=YesNo.choices,
        blank=True,
        help_text=_("A first meeting commits no one: were both sides told so?"),
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
            models.CheckConstraint(
                condition=Q(non_committal__in=["", "yes", "no"]),
                name="intake_non_committal_yes_no_or_not_recorded",
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
        indexes = [
            models.Index(
                fields=["meeting"],
                condition=Q(status="finished"),
                name="intake_record_finished_idx",
            )
        ]

    def __str__(self):
        return f"{self.meeting} ({self.get_status_display()})"


class PendingOutcome(models.Model):
    """An intake meeting whose outcome is still to be recorded: scheduled or held, and no
    finished record. Kept by the database itself.

    Whether an intake awaits its outcome (its start has passed and it is pending) orders the
    caseload and fills the start page; found from the meetings alone it costs an anti-join of
    every meeting with the finished records, each time (20,000 meetings: 4 ms of the caseload's
    order). Triggers on the meetings and records tables (migration 0006) rewrite a meeting's
    row whenever it or its record is added, changed or deleted, on every path: the services,
    the admin, a merge, an erasure, a bulk write. Django never writes it. A later migration
    that rebuilds either table on SQLite drops those triggers;
    `tests/intake/test_pending_outcome.py` then fails.
    """

    meeting = models.OneToOneField(
        IntakeMeeting, on_delete=models.CASCADE, primary_key=True, related_name="pending_outcome"
    )
    youth = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="+")
    starts_at = models.DateTimeField(_("starts at"))

    class Meta:
        verbose_name = _("intake awaiting its outcome")
        verbose_name_plural = _("intakes awaiting their outcome")

    def __str__(self):
        return f"{self.meeting_id}: {self.starts_at:%Y-%m-%d %H:%M}"
