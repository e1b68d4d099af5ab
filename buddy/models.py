"""The buddy programme: mentors at the workplace, the young person's buddy profile, pairs that
start from a placement, their check-ins and the concerns a mentor raises.

The literature behind it (shared/DOMAIN.md, "Buddy programme"): pair on the fit between the
mentor's knowledge and the young person's needs and career interests, on shared personal
interests and on an age gap of about 15 years; never on gender or ethnicity. Relationships of
at least 12 months, and check-ins that attend to both skills and well-being, work better.
"""

import datetime as dt
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.access import may_see_case_reference
from restart_platform.dates import DateKind, PlausibleDatesModel
from restart_platform.weights import WeightsModel, weight_field, weights_constraints

# The same names as the components in buddy.scoring.COMPONENTS, in the same order.
WEIGHT_FIELDS = ("needs", "work_fields", "interests", "age_gap")

TARGET_MONTHS = 12  # relationships of at least a year work better
DEFAULT_CHECKIN_WEEKS = 4


class HelpKind(models.TextChoices):
    """What a colleague can help with beside the work itself: the young person's needs, the
    mentor's offer. Close to the barriers the youth worker records, seen from the workplace."""

    ORGANISATION = "organisation", _("Finding one's way in the organisation")
    CULTURE = "culture", _("The culture and unwritten rules at work")
    PRACTICAL = "practical", _("Practical matters (bank account, insurance, ID)")
    MONEY = "money", _("Money and debts")
    TRANSPORT = "transport", _("Transport")
    HOUSING = "housing", _("Housing")
    LANGUAGE = "language", _("Language")
    NETWORK = "network", _("Building a network")


def _help_kinds_valid(value) -> None:
    if not isinstance(value, list) or not set(value) <= set(HelpKind.values):
        raise ValidationError(_("Choose from the listed kinds of help."))


class Mentor(PlausibleDatesModel, models.Model):
    """An employee of an employer who volunteers to be a young colleague's buddy."""

    plausible_dates: ClassVar[dict[str, DateKind]] = {
        "trained_on": DateKind.HAPPENED,
        "volunteered_on": DateKind.HAPPENED,
    }

    employer = models.ForeignKey(
        "employers.Employer",
        on_delete=models.PROTECT,
        related_name="mentors",
        verbose_name=_("employer"),
    )
    name = models.CharField(_("name"), max_length=150)
    job_title = models.CharField(_("job title"), max_length=150)
    years_experience = models.PositiveSmallIntegerField(
        _("years of experience"), validators=[MaxValueValidator(60)]
    )
    email = models.EmailField(_("e-mail"))
    # With an account (the employer-contact role) the mentor logs check-ins from the portal and
    # sees only their own pairs.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mentor",
        verbose_name=_("platform account"),
        limit_choices_to={"role": "employer_contact"},
    )
    skills = models.ManyToManyField(
        "taxonomy.Skill", blank=True, related_name="+", verbose_name=_("knowledge and skills")
    )
    help_with = models.JSONField(
        _("can help with"), default=list, blank=True, validators=[_help_kinds_valid]
    )
    work_fields = models.ManyToManyField(
        "taxonomy.InterestArea",
        blank=True,
        related_name="+",
        verbose_name=_("work fields they can show"),
    )
    personal_interests = models.ManyToManyField(
        "taxonomy.PersonalInterest",
        blank=True,
        related_name="+",
        verbose_name=_("personal interests"),
    )
    # Only the year: the age gap is all the programme needs to know.
    birth_year = models.PositiveSmallIntegerField(
        _("year of birth"), validators=[MinValueValidator(1940), MaxValueValidator(2010)]
    )
    capacity = models.PositiveSmallIntegerField(
        _("how many young people at once"),
        default=1,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )
    trained_on = models.DateField(_("buddy training followed on"), null=True, blank=True)
    volunteered_on = models.DateField(
        _("volunteered on"),
        help_text=_("Taking part is voluntary: the date the mentor said yes."),
    )
    availability = models.CharField(_("availability"), max_length=200, blank=True)
    is_active = models.BooleanField(_("available as a buddy"), default=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("mentor")
        verbose_name_plural = _("mentors")
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gte=1, capacity__lte=5), name="mentor_capacity_1_to_5"
            ),
            models.CheckConstraint(
                condition=Q(birth_year__gte=1940, birth_year__lte=2010),
                name="mentor_birth_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(years_experience__lte=60), name="mentor_experience_at_most_60"
            ),
        ]

    def __str__(self):
        return self.name


class BuddyProfile(models.Model):
    """The young person's side: personal interests and what a buddy could help with."""

    youth = models.OneToOneField(
        "youth.YoungPerson",
        on_delete=models.CASCADE,
        related_name="buddy_profile",
        verbose_name=_("young person"),
    )
    personal_interests = models.ManyToManyField(
        "taxonomy.PersonalInterest",
        blank=True,
        related_name="+",
        verbose_name=_("personal interests"),
    )
    skills_to_learn = models.ManyToManyField(
        "taxonomy.Skill", blank=True, related_name="+", verbose_name=_("skills to learn")
    )
    help_needed = models.JSONField(
        _("help a colleague could give"), default=list, blank=True, validators=[_help_kinds_valid]
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("buddy profile")
        verbose_name_plural = _("buddy profiles")

    def __str__(self):
        return str(self.youth_id)


class PairScoreWeights(WeightsModel):
    """The weights of the pairing score's components, edited in the admin. One row (pk=1)."""

    WEIGHT_FIELDS = WEIGHT_FIELDS

    needs = weight_field(_("needs covered"), 40)
    work_fields = weight_field(_("work fields and career interests"), 20)
    interests = weight_field(_("shared personal interests"), 20)
    age_gap = weight_field(_("age gap near 15 years"), 20)

    class Meta:
        verbose_name = _("pairing score weights")
        verbose_name_plural = _("pairing score weights")
        constraints = weights_constraints(prefix="pair_score_weights", fields=WEIGHT_FIELDS)

    def __str__(self):
        return str(_("Pairing score weights"))


OPEN_STATUSES = ("proposed", "kicked_off", "active")


class Pair(PlausibleDatesModel, models.Model):
    """A mentor and a young person, from a placement at the mentor's employer."""

    plausible_dates: ClassVar[dict[str, DateKind]] = {
        "kickoff_on": DateKind.HAPPENED,
        "closed_on": DateKind.HAPPENED,
    }

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Proposed")
        KICKED_OFF = "kicked_off", _("Kick-off held")
        ACTIVE = "active", _("Active")
        CLOSED = "closed", _("Closed")

    class CloseReason(models.TextChoices):
        COMPLETED = "completed", _("Completed")
        YOUTH_LEFT_JOB = "youth_left_job", _("The young person left the job")
        MISMATCH = "mismatch", _("Mismatch")
        MENTOR_LEFT = "mentor_left", _("The mentor left")
        OTHER = "other", _("Other")

    youth = models.ForeignKey(
        "youth.YoungPerson",
        on_delete=models.PROTECT,
        related_name="buddy_pairs",
        verbose_name=_("young person"),
    )
    mentor = models.ForeignKey(
        Mentor, on_delete=models.PROTECT, related_name="pairs", verbose_name=_("mentor")
    )
    placement = models.ForeignKey(
        "matching.Placement",
        on_delete=models.PROTECT,
        related_name="buddy_pairs",
        verbose_name=_("placement"),
    )
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PROPOSED
    )
    # The pairing score when the pair was proposed, and its components: a person decided, and
    # the record shows on what.
    score = models.DecimalField(_("pairing score"), max_digits=4, decimal_places=1)
    score_components = models.JSONField(_("score components"), default=dict, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(_("proposed"), default=timezone.now)
    kickoff_on = models.DateField(_("kick-off held on"), null=True, blank=True)
    kickoff_agreements = models.TextField(_("what was agreed"), blank=True)
    onboarding_organisation = models.TextField(
        _("finding one's way in the organisation"), blank=True
    )
    onboarding_culture = models.TextField(_("the organisation's culture"), blank=True)
    onboarding_practical = models.TextField(_("practical matters"), blank=True)
    checkin_every_weeks = models.PositiveSmallIntegerField(
        _("check-in every (weeks)"),
        default=DEFAULT_CHECKIN_WEEKS,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    # The young person withdrew the "contact by a buddy" consent: the mentor sees nothing more.
    sharing_stopped_on = models.DateField(_("sharing stopped on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    close_reason = models.CharField(
        _("reason for closing"), max_length=20, choices=CloseReason.choices, blank=True
    )
    closing_conversation = models.TextField(_("closing conversation"), blank=True)

    class Meta:
        ordering = ["-proposed_at", "-pk"]
        verbose_name = _("buddy pair")
        verbose_name_plural = _("buddy pairs")
        constraints = [
            models.UniqueConstraint(
                fields=["youth"],
                condition=Q(status__in=OPEN_STATUSES),
                name="one_open_buddy_pair_per_youth",
                violation_error_message=_("This young person already has a buddy."),
            ),
            models.CheckConstraint(
                condition=Q(status="closed", closed_on__isnull=False) & ~Q(close_reason="")
                | Q(status__in=OPEN_STATUSES, closed_on__isnull=True, close_reason=""),
                name="buddy_pair_closed_has_date_and_reason",
            ),
            models.CheckConstraint(
                # A proposal may be closed without a kick-off (it did not go ahead).
                condition=Q(status__in=["proposed", "closed"]) | Q(kickoff_on__isnull=False),
                name="buddy_pair_kickoff_has_date",
            ),
            models.CheckConstraint(
                condition=Q(checkin_every_weeks__gte=1, checkin_every_weeks__lte=12),
                name="buddy_pair_checkin_every_1_to_12_weeks",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="buddy_pair_score_0_to_100"
            ),
        ]

    def __str__(self):
        return f"{self.mentor_id} & {self.youth_id}"

    def get_absolute_url(self):
        return reverse("buddy:pair_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def started_on(self) -> dt.date | None:
        return self.kickoff_on

    def months_running(self, today: dt.date | None = None) -> int:
        """Whole months since the kick-off, up to the close: set against the 12-month target."""
        if self.kickoff_on is None:
            return 0
        end = self.closed_on or today or timezone.localdate()
        months = (end.year - self.kickoff_on.year) * 12 + end.month - self.kickoff_on.month
        return max(0, months - (end.day < self.kickoff_on.day))

    def reached_target(self, today: dt.date | None = None) -> bool:
        return self.months_running(today) >= TARGET_MONTHS

    # The reminder outbox asks these (restart_platform/notifications/kinds.py).
    def reminder_recipient(self, role: str):
        if role == "mentor":
            return self.mentor.user
        if role == "youth_worker":
            return self.youth.youth_worker
        return self.placement.opening.employer.owner if role == "coordinator" else None

    def reminder_reference(self, recipient) -> str:
        # A mentor is an employer's employee: to them the pair, never the case reference.
        return self.youth.case_reference if may_see_case_reference(recipient) else ""

    def reminder_still_needed(self, kind: str) -> bool:
        if kind in ("buddy.placement_ended", "buddy.consent_withdrawn", "buddy.concern"):
            return True
        return self.is_open and self.sharing_stopped_on is None


def _rating(label: str) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label,
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(5)],
    )


RATING_FIELDS = (
    "work_rating",
    "wellbeing_rating",
    "organisation_rating",
    "practical_rating",
    "career_rating",
    "trust_mentor",
    "trust_youth",
    "job_satisfaction",
)


class CheckIn(PlausibleDatesModel, models.Model):
    """A conversation between mentor and young person, on skills and on well-being."""

    plausible_dates: ClassVar[dict[str, DateKind]] = {"held_on": DateKind.HAPPENED}

    pair = models.ForeignKey(
        Pair, on_delete=models.CASCADE, related_name="checkins", verbose_name=_("pair")
    )
    held_on = models.DateField(_("held on"))
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("logged by"),
    )
    work_note = models.TextField(_("the work and its skills"), blank=True)
    work_rating = _rating(_("the work and its skills (1-5)"))
    wellbeing_note = models.TextField(_("well-being"), blank=True)
    wellbeing_rating = _rating(_("well-being (1-5)"))
    organisation_note = models.TextField(_("the organisation and its culture"), blank=True)
    organisation_rating = _rating(_("the organisation and its culture (1-5)"))
    practical_note = models.TextField(
        _("practical matters (bank account, insurance, transport, housing, money)"), blank=True
    )
    practical_rating = _rating(_("practical matters (1-5)"))
    career_note = models.TextField(_("career: chances in the company, its network"), blank=True)
    career_rating = _rating(_("career (1-5)"))
    trust_mentor = _rating(_("trust as the mentor sees it (1-5)"))
    trust_youth = _rating(_("trust as the young person sees it (1-5)"))
    job_satisfaction = _rating(_("the young person's satisfaction with the job (1-5)"))
    created_at = models.DateTimeField(_("logged"), auto_now_add=True)

    class Meta:
        ordering = ["-held_on", "-pk"]
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")
        constraints = [
            models.CheckConstraint(
                condition=Q(**{f"{name}__isnull": True})
                | Q(**{f"{name}__gte": 1, f"{name}__lte": 5}),
                name=f"buddy_checkin_{name}_1_to_5",
            )
            for name in RATING_FIELDS
        ]
        indexes = [
            # A pair's latest check-in (is it behind its rhythm?), asked for every open pair by
            # the start page and the pairs list: the first entry of this index, not a sort of
            # the pair's check-ins.
            models.Index("pair", models.F("held_on").desc(), name="buddy_checkin_pair_latest_idx"),
        ]

    def __str__(self):
        return f"{self.pair_id} {self.held_on}"

    @property
    def covers_skills_and_wellbeing(self) -> bool:
        """The literature's mark of a mentor who makes a difference: both sides attended to."""
        skills = bool(self.work_note.strip()) or self.work_rating is not None
        wellbeing = bool(self.wellbeing_note.strip()) or self.wellbeing_rating is not None
        return skills and wellbeing


class Concern(models.Model):
    """Something a mentor worries about; it reaches the youth worker and the coordinator."""

    pair = models.ForeignKey(
        Pair, on_delete=models.CASCADE, related_name="concerns", verbose_name=_("pair")
    )
    what = models.TextField(_("what worries you"))
    needs_help_today = models.BooleanField(_("needs help today"), default=False)
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    raised_at = models.DateTimeField(_("raised"), default=timezone.now)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)

    class Meta:
        ordering = ["-raised_at", "-pk"]
        verbose_name = _("concern")
        verbose_name_plural = _("concerns")

    def __str__(self):
        return f"{self.pair_id} {self.raised_at:%Y-%m-%d}"
