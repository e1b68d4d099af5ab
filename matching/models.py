"""Matching: how a young person and an opening are scored; shortlists, profiles shared with
employers, placements and their follow-ups."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.access import may_see_case_reference
from restart_platform.dates import DateKind, PlausibleDatesModel
from restart_platform.weights import WeightsModel, weight_field, weights_constraints

# The same names as the components in matching.scoring.COMPONENTS, in the same order.
WEIGHT_FIELDS = (
    "interests",
    "required_skills",
    "nice_skills",
    "distance",
    "availability",
    "readiness",
    "circular",
)


class ScoreWeights(WeightsModel):
    """The weights of the score's components, edited in the admin. There is one row (pk=1)."""

    WEIGHT_FIELDS = WEIGHT_FIELDS

    interests = weight_field(_("career interests"), 20)
    required_skills = weight_field(_("required skills"), 25)
    nice_skills = weight_field(_("nice-to-have skills"), 5)
    distance = weight_field(_("distance"), 15)
    availability = weight_field(_("hours and start date"), 15)
    readiness = weight_field(_("readiness"), 10)
    circular = weight_field(_("circular work"), 10)
    minimum_score = models.PositiveSmallIntegerField(
        _("minimum score"),
        default=40,
        validators=[MaxValueValidator(100)],
        help_text=_("Pairs scoring below this (0 to 100) are not proposed."),
    )

    class Meta:
        verbose_name = _("score weights")
        verbose_name_plural = _("score weights")
        constraints = [
            *weights_constraints(prefix="score_weights", fields=WEIGHT_FIELDS),
            models.CheckConstraint(
                condition=Q(minimum_score__lte=100), name="score_weights_minimum_score_0_to_100"
            ),
        ]

    def __str__(self):
        return str(_("Score weights"))

    @property
    def total(self) -> int:
        return sum(self.as_dict().values())


class Shortlist(models.Model):
    """A coordinator's choice of a young person for an opening (from suggestions or a proposal)."""

    youth = models.ForeignKey(
        "youth.YoungPerson",
        on_delete=models.CASCADE,
        related_name="shortlists",
        verbose_name=_("young person"),
    )
    opening = models.ForeignKey(
        "employers.Opening",
        on_delete=models.CASCADE,
        related_name="shortlists",
        verbose_name=_("opening"),
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    rank = models.PositiveSmallIntegerField(
        _("rank among the suggestions"),
        null=True,
        blank=True,
        help_text=_("1 is the best suggestion; empty when chosen outside the suggestions."),
    )
    reason = models.TextField(
        _("why this one"), blank=True, help_text=_("When a lower-ranked suggestion is chosen: why.")
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("shortlist entry")
        verbose_name_plural = _("shortlist")
        constraints = [
            models.UniqueConstraint(fields=["youth", "opening"], name="shortlist_once_per_pair")
        ]

    def __str__(self):
        return f"{self.youth_id} -> {self.opening_id}"


class Share(models.Model):
    """A candidate profile shared with an employer, minimised, with the employer's answer.

    Employers reach it by its opaque token, never by a counting id.
    """

    class Status(models.TextChoices):
        ACTIVE = "active", _("Shared")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Answer(models.TextChoices):
        PENDING = "pending", _("Waiting for an answer")
        INTERESTED = "interested", _("Interested")
        NOT_NOW = "not_now", _("Not now")

    token = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # PROTECT: a share is the record of what was disclosed to whom; no deletion of a young
    # person or an opening may take it along.
    youth = models.ForeignKey(
        "youth.YoungPerson",
        on_delete=models.PROTECT,
        related_name="shares",
        verbose_name=_("young person"),
    )
    opening = models.ForeignKey(
        "employers.Opening",
        on_delete=models.PROTECT,
        related_name="shares",
        verbose_name=_("opening"),
    )
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    shared_at = models.DateTimeField(_("shared"), auto_now_add=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawn_reason = models.CharField(_("reason for withdrawing"), max_length=200, blank=True)
    answer = models.CharField(
        _("answer"), max_length=12, choices=Answer.choices, default=Answer.PENDING
    )
    answer_reason = models.TextField(_("reason"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    intake = models.ForeignKey(
        "intake.IntakeMeeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("intake"),
    )

    class Meta:
        ordering = ["-shared_at", "-pk"]
        verbose_name = _("shared profile")
        verbose_name_plural = _("shared profiles")
        # Lists and the start page show the oldest or newest few: walked in this order.
        indexes = [models.Index(fields=["shared_at", "id"], name="matching_share_shared_at")]
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "opening"],
                condition=Q(status="active"),
                name="one_active_share_per_pair",
                violation_error_message=_("This profile is already shared for this opening."),
            ),
            models.CheckConstraint(
                condition=~Q(answer="not_now") | ~Q(answer_reason=""),
                name="share_not_now_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(answer="pending") | Q(answered_at__isnull=False),
                name="share_answer_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.youth_id} -> {self.opening_id} ({self.status})"

    @property
    def intake_proposal_url(self) -> str:
        """The intake form for an "interested" answer, with who it brings together filled in:
        the young person, the opening, the employer contact who answered, and the coordinator
        who shared the profile as the third party with authority. The form drops any of them it
        may not offer. The reminder to the youth worker and the "Plan the intake" buttons use it.
        """
        query = {
            "youth": self.youth_id,
            "opening": self.opening_id,
            "employer_contact": self.answered_by_id or "",
            "third_party": self.shared_by_id,
        }
        return f"{reverse('intake:intake_create')}?{urlencode(query)}"


class Placement(PlausibleDatesModel, models.Model):
    """A young person placed at an opening: it fills one of its places."""

    plausible_dates = {"start_date": DateKind.PLANNED, "ended_on": DateKind.HAPPENED}

    class Agreement(models.TextChoices):
        EMPLOYMENT = "employment", _("Employment contract")
        INTERNSHIP = "internship", _("Paid internship agreement")
        BBL = "bbl", _("BBL: employment contract with a praktijkovereenkomst")
        OTHER = "other", _("Other agreement")

    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    youth = models.ForeignKey(
        "youth.YoungPerson",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("young person"),
    )
    opening = models.ForeignKey(
        "employers.Opening",
        on_delete=models.PROTECT,
        related_name="placements",
        verbose_name=_("opening"),
    )
    start_date = models.DateField(_("start date"))
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week"), validators=[MaxValueValidator(60)]
    )
    agreement = models.CharField(
        _("contract or agreement"), max_length=12, choices=Agreement.choices
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    end_reason = models.TextField(_("why it ended"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-pk"]
        verbose_name = _("placement")
        verbose_name_plural = _("placements")
        # The list's order: its first page is read from here, not sorted.
        indexes = [models.Index(fields=["start_date", "id"], name="matching_placement_start")]
        constraints = [
            # A young person has one active placement at a time: the database holds it.
            models.UniqueConstraint(
                fields=["youth"],
                condition=Q(status="active"),
                name="one_active_placement_per_youth",
                violation_error_message=_("This young person already has an active placement."),
            ),
            models.CheckConstraint(
                condition=Q(status="active", ended_on__isnull=True)
                | Q(status="ended", ended_on__isnull=False),
                name="placement_ended_has_date",
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1, hours_per_week__lte=60),
                name="placement_hours_1_to_60",
            ),
        ]

    def __str__(self):
        return f"{self.youth_id} @ {self.opening_id}"

    def get_absolute_url(self):
        return reverse("matching:placement_detail", args=[self.pk])

    # The reminder outbox asks these: follow-ups go to the employer's relationship owner.
    def reminder_recipient(self, role: str):
        return self.opening.employer.owner if role == "coordinator" else None

    def reminder_reference(self, recipient) -> str:
        return self.youth.case_reference if may_see_case_reference(recipient) else ""

    def reminder_still_needed(self, kind: str) -> bool:
        return self.status == self.Status.ACTIVE


class FollowUp(models.Model):
    """At 1, 3, 6 and 12 months: is the young person still there, and if not, why."""

    MONTHS = (1, 3, 6, 12)

    placement = models.ForeignKey(Placement, on_delete=models.CASCADE, related_name="follow_ups")
    month = models.PositiveSmallIntegerField(_("month"))
    due_on = models.DateField(_("due on"))
    still_there = models.BooleanField(_("still there"), null=True, blank=True)
    reason = models.TextField(_("if not, why"), blank=True)
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["placement", "month"]
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-ups")
        constraints = [
            models.UniqueConstraint(fields=["placement", "month"], name="follow_up_once_per_month"),
            models.CheckConstraint(
                condition=Q(month__in=[1, 3, 6, 12]), name="follow_up_month_1_3_6_12"
            ),
            models.CheckConstraint(
                condition=Q(still_there__isnull=True) | Q(answered_at__isnull=False),
                name="follow_up_answer_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(still_there=False) | ~Q(reason=""), name="follow_up_left_has_reason"
            ),
        ]

    def __str__(self):
        return f"{self.placement_id} +{self.month}m"


class Proposal(models.Model):
    """An assignment proposal for a city's pool: the young people and opening places that give
    the highest total score. Computed in the background; rows are accepted or rejected by a
    coordinator, and an accepted row becomes a shortlist entry. Nothing more happens by itself.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting to start")
        RUNNING = "running", _("Being computed")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    class Stage(models.TextChoices):
        WAITING = "waiting", _("Waiting for a free worker")
        LOADING = "loading", _("Reading the young people and openings")
        SCORING = "scoring", _("Scoring every pair")
        ASSIGNING = "assigning", _("Finding the best assignment")
        SAVING = "saving", _("Saving the proposal")
        FINISHED = "finished", _("Finished")

    UNFINISHED = (Status.QUEUED, Status.RUNNING)

    city = models.ForeignKey(
        "accounts.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    stage = models.CharField(
        _("stage"), max_length=10, choices=Stage.choices, default=Stage.WAITING
    )
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    minimum_score = models.PositiveSmallIntegerField(_("minimum score"), null=True, blank=True)
    youth_count = models.PositiveIntegerField(_("young people"), default=0)
    place_count = models.PositiveIntegerField(_("free places"), default=0)
    total_score = models.DecimalField(
        _("total score"), max_digits=10, decimal_places=1, null=True, blank=True
    )
    seconds = models.FloatField(_("computing time (s)"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("assignment proposal")
        verbose_name_plural = _("assignment proposals")
        constraints = [
            # One proposal at a time per city: asking again while one runs shows that one.
            models.UniqueConstraint(
                fields=["city"],
                condition=Q(status__in=["queued", "running"]),
                name="one_unfinished_proposal_per_city",
            ),
            models.CheckConstraint(
                condition=Q(progress__lte=100), name="proposal_progress_0_to_100"
            ),
            models.CheckConstraint(
                condition=Q(status__in=["queued", "running"]) | Q(finished_at__isnull=False),
                name="proposal_finished_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.city} {self.requested_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("matching:proposal_detail", args=[self.pk])

    @property
    def is_finished(self) -> bool:
        return self.status not in self.UNFINISHED


class ProposalRow(models.Model):
    """One pair of a proposal, and the coordinator's decision on it."""

    class Decision(models.TextChoices):
        OPEN = "open", _("Not decided")
        ACCEPTED = "accepted", _("Accepted")
        REJECTED = "rejected", _("Rejected")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="rows")
    youth = models.ForeignKey(
        "youth.YoungPerson",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("young person"),
    )
    opening = models.ForeignKey(
        "employers.Opening", on_delete=models.CASCADE, related_name="+", verbose_name=_("opening")
    )
    score = models.DecimalField(_("score"), max_digits=4, decimal_places=1)
    decision = models.CharField(
        _("decision"), max_length=10, choices=Decision.choices, default=Decision.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    shortlist = models.ForeignKey(
        Shortlist, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-score", "pk"]
        verbose_name = _("proposal row")
        verbose_name_plural = _("proposal rows")
        constraints = [
            models.UniqueConstraint(fields=["proposal", "youth"], name="proposal_youth_once"),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=100), name="proposal_row_score_0_to_100"
            ),
            models.CheckConstraint(
                condition=Q(decision="open") | Q(decided_at__isnull=False),
                name="proposal_row_decision_has_time",
            ),
        ]

    def __str__(self):
        return f"{self.youth_id} -> {self.opening_id} ({self.score})"


class FeatureChange(models.Model):
    """A note that something a score reads has changed, written by a database trigger.

    The triggers (migration 0009) sit on the tables the score reads, so every path that changes
    them, a form, the admin, a bulk update or raw SQL, leaves a note in the same transaction.
    `matching.features` reads the notes to refresh only what changed. The rows are pruned after
    a day by `matching.tasks.prune_feature_changes`.
    """

    class Kind(models.TextChoices):
        YOUTH = "youth", _("young person")
        OPENING = "opening", _("opening")
        EMPLOYER = "employer", _("employer")
        SECTOR = "sector", _("sector")
        ALL = "all", _("everything")

    id = models.BigAutoField(primary_key=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    object_id = models.BigIntegerField(_("object id"), null=True, blank=True)
    changed_at = models.DateTimeField(_("changed at"), db_default=Now())

    class Meta:
        verbose_name = _("feature change")
        verbose_name_plural = _("feature changes")
        indexes = [models.Index(fields=["changed_at"], name="matching_featurechange_at")]

    def __str__(self):
        return f"{self.kind} {self.object_id or ''}".strip()
