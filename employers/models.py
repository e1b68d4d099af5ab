from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.models import City
from restart_platform.dates import DateKind, PlausibleDatesModel
from restart_platform.taxonomy.models import Sector, Skill
from restart_platform.validators import phone_validator, postcode_validator

kvk_validator = RegexValidator(r"^[0-9]{8}$", _("A KvK number has exactly 8 digits."))
crebo_validator = RegexValidator(r"^[0-9]{5}$", _("A crebo code has exactly 5 digits."))


class Employer(PlausibleDatesModel, models.Model):
    """A company the alliance recruits, from first lead to taking on young people."""

    plausible_dates = {"next_action_due": DateKind.PLANNED}

    class Circularity(models.TextChoices):
        CIRCULAR = "circular", _("Circular")
        IN_TRANSITION = "in_transition", _("In transition")
        NOT_YET = "not_yet", _("Not (yet) circular")

    class Size(models.TextChoices):
        MICRO = "micro", _("1 to 9 employees")
        SMALL = "small", _("10 to 49 employees")
        MEDIUM = "medium", _("50 to 249 employees")
        LARGE = "large", _("250 employees or more")

    class Stage(models.TextChoices):
        LEAD = "lead", _("Lead")
        CONTACTED = "contacted", _("Contacted")
        MEETING_PLANNED = "meeting_planned", _("Meeting planned")
        INTERESTED = "interested", _("Interested")
        COMMITTED = "committed", _("Committed")
        ACTIVE = "active", _("Active")
        PAUSED = "paused", _("Paused")
        DECLINED = "declined", _("Declined")

    class Source(models.TextChoices):
        NETWORK = "network", _("Own network")
        PARTNER = "partner", _("Referred by a partner")
        EVENT = "event", _("Event or meeting")
        COLD = "cold", _("Approached directly")
        INBOUND = "inbound", _("They contacted us")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kvk_number = models.CharField(
        _("KvK number"),
        max_length=8,
        unique=True,
        validators=[kvk_validator],
        error_messages={"unique": _("An employer with this KvK number is already registered.")},
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="employers", verbose_name=_("city")
    )
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[postcode_validator]
    )
    sector = models.ForeignKey(
        Sector, on_delete=models.PROTECT, related_name="employers", verbose_name=_("sector")
    )
    circularity = models.CharField(_("circularity"), max_length=20, choices=Circularity.choices)
    circular_activity = models.TextField(
        _("circular activity"),
        blank=True,
        help_text=_("In a sentence or two: what makes the work circular."),
    )
    size = models.CharField(_("size"), max_length=10, choices=Size.choices, blank=True)
    website = models.URLField(_("website"), blank=True)
    found_via = models.CharField(
        _("found via"), max_length=10, choices=Source.choices, default=Source.OTHER
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="owned_employers",
        verbose_name=_("relationship owner"),
        limit_choices_to={"role": "coordinator"},
    )
    is_accredited_learning_company = models.BooleanField(
        _("accredited learning company (SBB)"),
        default=False,
        help_text=_(
            "Erkend leerbedrijf: may train mbo students, in the BOL (internship) and the BBL (working and learning)."
        ),
    )
    stage = models.CharField(_("stage"), max_length=20, choices=Stage.choices, default=Stage.LEAD)
    stage_changed_at = models.DateTimeField(_("stage changed"), auto_now_add=True)
    declined_reason = models.TextField(_("reason for declining"), blank=True)
    first_placement_on = models.DateField(
        _("first young person taken on"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set when the first placement starts; only then can the employer be active."),
    )
    next_action = models.CharField(_("next action"), max_length=200, blank=True)
    next_action_due = models.DateField(_("next action due"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("employer")
        verbose_name_plural = _("employers")
        indexes = [
            models.Index(fields=["city", "stage"], name="employer_city_stage_idx"),
            models.Index(fields=["name"], name="employer_name_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(kvk_number__regex=r"^[0-9]{8}$"), name="employer_kvk_is_8_digits"
            ),
            models.CheckConstraint(
                condition=~Q(stage="declined") | ~Q(declined_reason=""),
                name="employer_declined_has_reason",
            ),
            models.CheckConstraint(
                condition=Q(next_action_due__isnull=True) | ~Q(next_action=""),
                name="employer_due_date_has_action",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("employers:employer_detail", args=[self.pk])

    # The reminder outbox asks these (see restart_platform/notifications/kinds.py).
    def reminder_recipient(self, role: str):
        return self.owner if role == "owner" else None

    def reminder_reference(self, recipient) -> str:
        return self.name


class StageChange(models.Model):
    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="stage_changes")
    from_stage = models.CharField(
        _("from"), max_length=20, choices=Employer.Stage.choices, blank=True
    )
    to_stage = models.CharField(_("to"), max_length=20, choices=Employer.Stage.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_at = models.DateTimeField(_("changed"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("stage change")
        verbose_name_plural = _("stage changes")

    def __str__(self):
        return f"{self.employer_id}: {self.from_stage} -> {self.to_stage}"


class OwnerChange(models.Model):
    """The dated history of who owned the relationship."""

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="owner_changes")
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("owner"),
    )
    changed_at = models.DateTimeField(_("from"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("owner change")
        verbose_name_plural = _("owner changes")

    def __str__(self):
        return f"{self.employer_id}: {self.owner_id}"


class Contact(models.Model):
    """A person at the employer; with a platform account, they use the employer portal."""

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("employer")
    )
    name = models.CharField(_("name"), max_length=150)
    job_title = models.CharField(_("role"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    # One account belongs to one employer: the database holds that, not only the form.
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="employer_contact",
        verbose_name=_("platform account"),
        limit_choices_to={"role": "employer_contact"},
    )

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")

    def __str__(self):
        return self.name


class Interaction(PlausibleDatesModel, models.Model):
    plausible_dates = {"date": DateKind.HAPPENED}

    class Kind(models.TextChoices):
        CALL = "call", _("Call")
        VISIT = "visit", _("Visit")
        EMAIL = "email", _("E-mail")
        EVENT = "event", _("Event")
        MEETING = "meeting", _("Meeting")

    employer = models.ForeignKey(Employer, on_delete=models.CASCADE, related_name="interactions")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["employer", "date"], name="interaction_employer_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class DemandProfile(models.Model):
    """The employer's own picture of what they need, and what they offer the alliance."""

    class Concern(models.TextChoices):
        """What employers commonly worry about when taking on young people without a
        startkwalificatie; recruitment starts from these (the literature scan, section 2)."""

        MOTIVATION = "motivation", _("Motivation")
        RELIABILITY = "reliability", _("Reliability and punctuality")
        SUPERVISION_TIME = "supervision_time", _("Time needed for supervision")
        EMPLOYEE_SKILLS = "employee_skills", _("Employee skills")
        TECHNICAL_SKILLS = "technical_skills", _("Technical skills")
        LANGUAGE = "language", _("Language")
        SAFETY = "safety", _("Working safely")
        COSTS = "costs", _("Costs and paperwork")
        TEAM_FIT = "team_fit", _("Fit with the team")

    employer = models.OneToOneField(Employer, on_delete=models.CASCADE, related_name="demand")
    roles = models.TextField(_("roles they hire for"), blank=True)
    skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", verbose_name=_("skills they ask for")
    )
    # None is "not known": an employer who cannot say yet is not an employer with no demand.
    openings_12_months = models.PositiveSmallIntegerField(
        _("expected openings in 12 months"), null=True, blank=True
    )
    openings_24_months = models.PositiveSmallIntegerField(
        _("expected openings in 24 months"), null=True, blank=True
    )
    expected_retirements = models.PositiveSmallIntegerField(
        _("expected retirements in 5 years"), null=True, blank=True
    )
    expects_labour_shortage = models.CharField(
        _("expects a labour shortage in their trade"),
        max_length=3,
        choices=[("yes", _("Yes")), ("no", _("No"))],
        blank=True,
    )
    concerns = models.JSONField(
        _("concerns about taking on young people without a startkwalificatie"),
        default=list,
        blank=True,
    )
    concerns_in_their_words = models.TextField(
        _("concerns and expectations in their own words"), blank=True, max_length=2000
    )
    offers_jobs = models.BooleanField(_("jobs"), default=False)
    offers_paid_internships = models.BooleanField(_("paid internships"), default=False)
    offers_learning_work_places = models.BooleanField(_("learning-work places"), default=False)
    diploma_track = models.CharField(
        _("diploma track"),
        max_length=200,
        blank=True,
        help_text=_("For learning-work places, e.g. the Entree-opleiding (mbo level 1)."),
    )
    offers_buddies = models.BooleanField(_("buddies"), default=False)
    programme_role = models.TextField(_("role in the pre-employment programme"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("demand profile")
        verbose_name_plural = _("demand profiles")
        constraints = [
            models.CheckConstraint(
                condition=Q(openings_12_months__isnull=True)
                | Q(openings_24_months__isnull=True)
                | Q(openings_24_months__gte=models.F("openings_12_months")),
                name="demand_24_months_covers_12",
            ),
            models.CheckConstraint(
                condition=Q(expects_labour_shortage__in=["", "yes", "no"]),
                name="demand_labour_shortage_yes_no_or_unknown",
            ),
        ]

    def __str__(self):
        return str(self.employer)

    def get_concerns_display(self) -> list[str]:
        labels = dict(self.Concern.choices)
        return [str(labels[code]) for code in self.concerns if code in labels]

    @property
    def offers(self) -> list[str]:
        labels = [
            (self.offers_jobs, _("jobs")),
            (self.offers_paid_internships, _("paid internships")),
            (self.offers_learning_work_places, _("learning-work places")),
            (self.offers_buddies, _("buddies")),
            (bool(self.programme_role), _("a role in the pre-employment programme")),
        ]
        return [str(label) for offered, label in labels if offered]


class Opening(PlausibleDatesModel, models.Model):
    plausible_dates = {"start_date": DateKind.PLANNED}

    class Kind(models.TextChoices):
        JOB = "job", _("Job")
        PAID_INTERNSHIP = "paid_internship", _("Paid internship")
        LEARNING_WORK_PLACE = "learning_work_place", _("Learning-work place")

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        FILLED = "filled", _("Filled")
        CLOSED = "closed", _("Closed")

    employer = models.ForeignKey(
        Employer, on_delete=models.CASCADE, related_name="openings", verbose_name=_("employer")
    )
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    required_skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", verbose_name=_("required skills")
    )
    nice_to_have_skills = models.ManyToManyField(
        Skill, blank=True, related_name="+", verbose_name=_("nice-to-have skills")
    )
    hours_per_week = models.PositiveSmallIntegerField(
        _("hours a week"), validators=[MinValueValidator(1), MaxValueValidator(60)]
    )
    start_date = models.DateField(_("start date"))
    location = models.CharField(_("location"), max_length=200, blank=True)
    places = models.PositiveSmallIntegerField(
        _("number of places"), default=1, validators=[MinValueValidator(1)]
    )
    filled_places = models.PositiveSmallIntegerField(_("places filled"), default=0, editable=False)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    crebo_code = models.CharField(
        _("crebo code"), max_length=5, blank=True, validators=[crebo_validator]
    )
    mbo_level = models.PositiveSmallIntegerField(
        _("mbo level"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(4)],
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["start_date", "title", "pk"]
        verbose_name = _("opening")
        verbose_name_plural = _("openings")
        indexes = [models.Index(fields=["status", "start_date"], name="opening_status_start_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(places__gte=1), name="opening_has_a_place"),
            models.CheckConstraint(
                condition=Q(filled_places__lte=models.F("places")), name="opening_not_overfilled"
            ),
            models.CheckConstraint(
                condition=Q(hours_per_week__gte=1, hours_per_week__lte=60),
                name="opening_hours_1_to_60",
            ),
            models.CheckConstraint(
                condition=~Q(kind="learning_work_place")
                | (Q(crebo_code__regex=r"^[0-9]{5}$") & Q(mbo_level__gte=1, mbo_level__lte=4)),
                name="opening_learning_work_place_has_course",
            ),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("employers:opening_detail", args=[self.pk])


class NetworkPartner(models.Model):
    """An organisation around the alliance; in each city exactly one of them leads the network."""

    class Kind(models.TextChoices):
        MUNICIPALITY = "municipality", _("Municipality")
        YOUTH_WORK = "youth_work", _("Youth work")
        JOB_COACH = "job_coach", _("Job coach provider")
        UWV = "uwv", _("UWV")
        SCHOOL = "school", _("School")
        SECTOR_BODY = "sector_body", _("Sector body")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="partners", verbose_name=_("city")
    )
    role = models.TextField(_("role and responsibilities"), blank=True)
    contact_name = models.CharField(_("contact"), max_length=150, blank=True)
    contact_email = models.EmailField(_("contact e-mail"), blank=True)
    contact_phone = models.CharField(
        _("contact phone"), max_length=20, blank=True, validators=[phone_validator]
    )
    is_lead = models.BooleanField(_("leads the network"), default=False)

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("network partner")
        verbose_name_plural = _("network partners")
        constraints = [
            models.UniqueConstraint(
                fields=["city"],
                condition=Q(is_lead=True),
                name="one_lead_partner_per_city",
                violation_error_message=_(
                    "Another partner already leads the network in this city."
                ),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("employers:partner_detail", args=[self.pk])


class Agreement(PlausibleDatesModel, models.Model):
    plausible_dates = {"starts_on": DateKind.PLANNED, "ends_on": DateKind.PLANNED}

    class Kind(models.TextChoices):
        SUBSIDY = "subsidy", _("Subsidy")
        WAGE_COST = "wage_cost", _("Wage-cost arrangement")
        COVENANT = "covenant", _("Covenant or cooperation agreement")
        OTHER = "other", _("Other")

    partner = models.ForeignKey(NetworkPartner, on_delete=models.CASCADE, related_name="agreements")
    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)

    class Meta:
        ordering = ["-starts_on", "pk"]
        verbose_name = _("agreement")
        verbose_name_plural = _("agreements")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True) | Q(ends_on__gte=models.F("starts_on")),
                name="agreement_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title
