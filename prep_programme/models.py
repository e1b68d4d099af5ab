"""The pre-employment programme (voorschakelprogramma): programmes with three phases and their
criteria, cohorts that run them in a city, participants, sessions, attendance, skill ratings,
coaching talks and the employers involved."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import Employer
from restart_platform.accounts.access import may_see_case_reference
from restart_platform.accounts.models import City
from restart_platform.taxonomy.models import Skill
from youth.models import YoungPerson

PHASES = (1, 2, 3)
LAST_PHASE = 3
RATING_MIN, RATING_MAX = 1, 5


class Programme(models.Model):
    class Variant(models.TextChoices):
        STANDARD = "standard", _("Standard")
        CIRCULAR = "circular", _("Circular employers (with technical and circular skills)")

    name = models.CharField(_("name"), max_length=120, unique=True)
    description = models.TextField(_("description"), blank=True)
    variant = models.CharField(
        _("variant"), max_length=20, choices=Variant.choices, default=Variant.STANDARD
    )
    planned_weeks = models.PositiveSmallIntegerField(
        _("planned duration (weeks)"), validators=[MinValueValidator(1), MaxValueValidator(104)]
    )
    certificate = models.CharField(
        _("diploma or certificate it can lead to"),
        max_length=120,
        blank=True,
        help_text=_("For example Entree or a praktijkverklaring."),
    )
    core_skills = models.ManyToManyField(
        Skill, related_name="+", verbose_name=_("core skills rated in the programme")
    )
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(planned_weeks__gte=1), name="prep_programme_has_duration"
            )
        ]

    def __str__(self):
        return self.name


class Phase(models.Model):
    """One of a programme's three phases, with the criteria to move on from it (as data: the
    coordinators edit them). An empty criterion is not measured."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="phases")
    number = models.PositiveSmallIntegerField(_("phase"))
    name = models.CharField(_("name"), max_length=120)
    aims = models.TextField(_("aims"), blank=True)
    min_attendance_percent = models.PositiveSmallIntegerField(
        _("minimum attendance (%)"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(100)],
    )
    max_late = models.PositiveSmallIntegerField(
        _("at most this many late arrivals"), null=True, blank=True
    )
    window_days = models.PositiveSmallIntegerField(
        _("measured over the last (days)"), default=28, validators=[MinValueValidator(1)]
    )
    min_core_rating = models.PositiveSmallIntegerField(
        _("every core skill rated by the coach at least"),
        null=True,
        blank=True,
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )

    class Meta:
        ordering = ["programme", "number"]
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        constraints = [
            models.UniqueConstraint(fields=["programme", "number"], name="prep_phase_once"),
            models.CheckConstraint(condition=Q(number__in=PHASES), name="prep_phase_number_1_3"),
            models.CheckConstraint(
                condition=Q(min_attendance_percent__isnull=True)
                | Q(min_attendance_percent__lte=100),
                name="prep_phase_attendance_percent",
            ),
            models.CheckConstraint(
                condition=Q(min_core_rating__isnull=True)
                | Q(min_core_rating__gte=RATING_MIN, min_core_rating__lte=RATING_MAX),
                name="prep_phase_rating_1_5",
            ),
            models.CheckConstraint(condition=Q(window_days__gte=1), name="prep_phase_window"),
        ]

    def __str__(self):
        return f"{self.number}. {self.name}"


class Cohort(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="cohorts", verbose_name=_("programme")
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    name = models.CharField(_("name"), max_length=120)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    coaches = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        related_name="prep_cohorts",
        blank=True,
        verbose_name=_("coaches"),
        limit_choices_to={"role__in": ["coordinator", "youth_worker"]},
    )
    employers = models.ManyToManyField(
        Employer,
        through="EmployerInvolvement",
        related_name="prep_cohorts",
        blank=True,
        verbose_name=_("employers involved"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "name", "pk"]
        verbose_name = _("cohort")
        verbose_name_plural = _("cohorts")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=F("starts_on")), name="prep_cohort_ends_after_start"
            )
        ]

    def __str__(self):
        return self.name

    def clean(self):
        # The admin is a second path: a cohort's dates hold every session already recorded.
        if (
            self.pk
            and self.starts_on
            and self.ends_on
            and self.sessions.exclude(date__gte=self.starts_on, date__lte=self.ends_on).exists()
        ):
            raise ValidationError(
                {"starts_on": _("Sessions were recorded outside these dates: move them first.")}
            )

    def is_running_on(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    @property
    def is_running(self) -> bool:
        return self.is_running_on(timezone.localdate())


class Participant(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Taking part")
        LEFT = "left", _("Left early")
        FINISHED = "finished", _("Finished")

    class PlacementKind(models.TextChoices):
        INTERNSHIP = "internship", _("Internship")
        JOB = "job", _("Regular workplace")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.PROTECT, related_name="participants", verbose_name=_("cohort")
    )
    youth = models.ForeignKey(
        YoungPerson,
        on_delete=models.PROTECT,
        related_name="prep_participations",
        verbose_name=_("young person"),
    )
    phase = models.PositiveSmallIntegerField(_("phase"), default=1)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    enrolled_on = models.DateField(_("enrolled on"), default=timezone.localdate)
    school_arrangement = models.TextField(
        _("arrangement with school or leerplicht"),
        blank=True,
        help_text=_("Required under 18 without a startkwalificatie."),
    )
    # Phase 3 is an internship or a regular workplace at an employer of the alliance.
    placement_employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("phase 3 at employer"),
    )
    placement_kind = models.CharField(
        _("phase 3 as"), max_length=12, choices=PlacementKind.choices, blank=True
    )
    # The placement (matching) that phase 3 is: the employer and the kind above follow from it.
    placement = models.ForeignKey(
        "matching.Placement",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="prep_participations",
        verbose_name=_("phase 3 placement"),
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    left_reason = models.TextField(_("reason for leaving early"), blank=True)
    certificate = models.CharField(_("certificate obtained"), max_length=120, blank=True)

    class Meta:
        ordering = ["youth__first_name", "youth__last_name", "pk"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            # One running cohort per young person: one participation still taking part.
            models.UniqueConstraint(
                fields=["youth"], condition=Q(status="active"), name="prep_one_active_cohort"
            ),
            models.CheckConstraint(condition=Q(phase__in=PHASES), name="prep_participant_phase"),
            models.CheckConstraint(
                condition=~Q(phase=LAST_PHASE)
                | Q(placement_employer__isnull=False) & ~Q(placement_kind=""),
                name="prep_phase_3_has_placement",
            ),
            models.CheckConstraint(
                condition=~Q(status="left") | ~Q(left_reason="") & Q(ended_on__isnull=False),
                name="prep_left_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(status="finished") | Q(ended_on__isnull=False),
                name="prep_finished_has_date",
            ),
            models.CheckConstraint(
                condition=~Q(status="active") | Q(ended_on__isnull=True),
                name="prep_active_not_ended",
            ),
        ]

    def __str__(self):
        return f"{self.youth} ({self.cohort})"

    def get_absolute_url(self):
        # A reminder about a participant leads to the young person's profile.
        return self.youth.get_absolute_url()

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    # The reminder outbox asks these. The e-mail names the case reference, never the person.
    def reminder_recipient(self, role: str):
        return self.youth.youth_worker if role == "youth_worker" else None

    def reminder_reference(self, recipient) -> str:
        return self.youth.case_reference if may_see_case_reference(recipient) else ""

    def reminder_still_needed(self, kind: str) -> bool:
        if kind == "prep.placement_to_link":  # moved on already, or never will
            return self.status == self.Status.ACTIVE and self.phase == LAST_PHASE - 1
        return self.status == self.Status.ACTIVE


class PhaseChange(models.Model):
    """A dated step in a participant's history, with the criteria as measured at that moment."""

    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="phase_changes"
    )
    from_phase = models.PositiveSmallIntegerField(_("from phase"), null=True, blank=True)
    to_phase = models.PositiveSmallIntegerField(_("to phase"))
    changed_on = models.DateField(_("date"), default=timezone.localdate)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    note = models.TextField(_("note"), blank=True)
    checklist = models.JSONField(_("criteria as measured"), default=list, blank=True)
    criteria_met = models.BooleanField(_("all criteria met"), default=True)

    class Meta:
        ordering = ["changed_on", "pk"]
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        constraints = [
            # Enrolment starts in phase 1; after that one phase at a time, never skipping one.
            models.CheckConstraint(
                condition=Q(from_phase__isnull=True, to_phase=1)
                | Q(to_phase=F("from_phase") + 1, to_phase__lte=LAST_PHASE),
                name="prep_phase_change_one_step",
            ),
            models.CheckConstraint(
                condition=Q(criteria_met=True) | ~Q(note=""),
                name="prep_unmet_criteria_have_note",
            ),
        ]

    def __str__(self):
        return f"{self.from_phase or '-'} -> {self.to_phase} ({self.changed_on:%d-%m-%Y})"


class Session(models.Model):
    class Kind(models.TextChoices):
        TRAINING = "training", _("Training")
        WORKPLACE_VISIT = "visit", _("Workplace visit")
        EMPLOYER_SESSION = "employer", _("Employer session")
        COACHING = "coaching", _("Coaching")

    cohort = models.ForeignKey(
        Cohort, on_delete=models.CASCADE, related_name="sessions", verbose_name=_("cohort")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    date = models.DateField(_("date"))
    starts_at = models.TimeField(_("starts at"))
    title = models.CharField(_("title"), max_length=120, blank=True)
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer"),
    )

    class Meta:
        ordering = ["-date", "-starts_at", "pk"]
        verbose_name = _("session")
        verbose_name_plural = _("sessions")

    def __str__(self):
        return f"{self.get_kind_display()} {self.date:%d-%m-%Y}"

    def clean(self):
        cohort = self.cohort
        if self.date and not cohort.starts_on <= self.date <= cohort.ends_on:
            raise ValidationError(
                {
                    "date": _(
                        "The session must fall within the cohort's dates (%(start)s to %(end)s)."
                    )
                    % {
                        "start": f"{cohort.starts_on:%d-%m-%Y}",
                        "end": f"{cohort.ends_on:%d-%m-%Y}",
                    }
                }
            )


class Attendance(models.Model):
    class Status(models.TextChoices):
        PRESENT = "present", _("Present")
        LATE = "late", _("Late")
        ABSENT_EXCUSED = "excused", _("Absent with a reason")
        ABSENT_UNEXCUSED = "unexcused", _("Absent without a reason")

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="attendances"
    )
    status = models.CharField(_("attendance"), max_length=10, choices=Status.choices)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "participant"], name="prep_attendance_once"),
        ]

    def __str__(self):
        return f"{self.session}: {self.get_status_display()}"


class SkillRating(models.Model):
    class Rater(models.TextChoices):
        COACH = "coach", _("Coach")
        SELF = "self", _("The young person themself")
        EMPLOYER = "employer", _("Employer")

    participant = models.ForeignKey(Participant, on_delete=models.CASCADE, related_name="ratings")
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="+", verbose_name=_("skill")
    )
    rating = models.PositiveSmallIntegerField(
        _("rating"), validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)]
    )
    rater = models.CharField(_("rated by"), max_length=10, choices=Rater.choices)
    rated_on = models.DateField(_("date"), default=timezone.localdate)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    employer = models.ForeignKey(
        Employer,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("employer"),
    )

    class Meta:
        ordering = ["rated_on", "pk"]
        verbose_name = _("skill rating")
        verbose_name_plural = _("skill ratings")
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__gte=RATING_MIN, rating__lte=RATING_MAX),
                name="prep_rating_1_5",
            ),
            models.CheckConstraint(
                condition=~Q(rater="employer") | Q(employer__isnull=False),
                name="prep_employer_rating_names_employer",
            ),
        ]
        indexes = [
            models.Index(fields=["participant", "skill", "rated_on"], name="prep_rating_idx")
        ]

    def __str__(self):
        return f"{self.skill}: {self.rating}"


class CoachingTalk(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.CASCADE, related_name="coaching_talks"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("coach"),
    )
    held_on = models.DateField(_("date"), default=timezone.localdate)
    self_confidence = models.PositiveSmallIntegerField(
        _("self-confidence (1-5)"),
        validators=[MinValueValidator(RATING_MIN), MaxValueValidator(RATING_MAX)],
    )
    career_competences = models.TextField(_("career competences"), blank=True)
    agreements = models.TextField(_("what was agreed"))

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("coaching talk")
        verbose_name_plural = _("coaching talks")
        constraints = [
            models.CheckConstraint(
                condition=Q(self_confidence__gte=RATING_MIN, self_confidence__lte=RATING_MAX),
                name="prep_self_confidence_1_5",
            )
        ]

    def __str__(self):
        return f"{self.held_on:%d-%m-%Y}"


class EmployerInvolvement(models.Model):
    class Kind(models.TextChoices):
        REQUIREMENTS = "requirements", _("Set requirements")
        SESSION = "session", _("Gave a session")
        VISIT = "visit", _("Hosted a workplace visit")
        RATED = "rated", _("Rated skills")
        PLACE = "place", _("Offers a phase 3 place")

    cohort = models.ForeignKey(Cohort, on_delete=models.CASCADE, related_name="involvements")
    employer = models.ForeignKey(
        Employer, on_delete=models.PROTECT, related_name="+", verbose_name=_("employer")
    )
    kind = models.CharField(_("how"), max_length=14, choices=Kind.choices)
    note = models.CharField(_("note"), max_length=300, blank=True)
    noted_on = models.DateField(_("date"), default=timezone.localdate)

    class Meta:
        ordering = ["employer__name", "kind"]
        verbose_name = _("employer involvement")
        verbose_name_plural = _("employer involvements")
        constraints = [
            models.UniqueConstraint(
                fields=["cohort", "employer", "kind"], name="prep_involvement_once"
            )
        ]

    def __str__(self):
        return f"{self.employer}: {self.get_kind_display()}"
