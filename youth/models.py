"""Young people and what a youth worker knows of them. The most sensitive data of the platform:
every look at a profile is logged, and barriers and notes are shown to few."""

import datetime as dt
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.access import may_see_case_reference
from restart_platform.accounts.models import City
from restart_platform.dates import DateKind, PlausibleDatesModel
from restart_platform.taxonomy.models import InterestArea, Skill
from restart_platform.validators import phone_validator, postcode_validator

MIN_AGE, MAX_AGE = 16, 26
ANONYMISED = _("Anonymised")
SCHOOL_OBLIGATION_AGE = 18  # kwalificatieplicht: until 18, or a startkwalificatie before that

WEEKDAYS = [
    ("mon", _("Monday")),
    ("tue", _("Tuesday")),
    ("wed", _("Wednesday")),
    ("thu", _("Thursday")),
    ("fri", _("Friday")),
    ("sat", _("Saturday")),
    ("sun", _("Sunday")),
]


def age_on(date_of_birth: dt.date, day: dt.date) -> int:
    return (
        day.year
        - date_of_birth.year
        - ((day.month, day.day) < (date_of_birth.month, date_of_birth.day))
    )


class YoungPersonQuerySet(models.QuerySet):
    def current(self):
        """Not merged into another record."""
        return self.filter(merged_into__isnull=True)


class YoungPerson(PlausibleDatesModel, models.Model):
    plausible_dates = {
        "date_of_birth": DateKind.BIRTH,
        "left_school_on": DateKind.HAPPENED,
        "available_from": DateKind.PLANNED,
    }

    class SchoolLevel(models.TextChoices):
        PRO = "pro", _("Practical education (praktijkonderwijs)")
        VSO = "vso", _("Special secondary education (vso)")
        VMBO = "vmbo", _("vmbo")
        HAVO = "havo", _("havo")
        VWO = "vwo", _("vwo")
        MBO1 = "mbo1", _("mbo level 1")
        MBO2 = "mbo2", _("mbo level 2")
        MBO3 = "mbo3", _("mbo level 3")
        MBO4 = "mbo4", _("mbo level 4")
        OTHER = "other", _("Other")

    class Referral(models.TextChoices):
        RMC = "rmc", _("RMC (regional reporting and coordination of early school leaving)")
        SCHOOL = "school", _("School")
        YOUTH_WORK = "youth_work", _("Youth work")
        MUNICIPALITY = "municipality", _("Municipality")
        SELF = "self", _("Came by themselves")
        OTHER = "other", _("Other")

    class Journey(models.TextChoices):
        REGISTERED = "registered", _("Registered")
        INTAKE = "intake", _("Intake")
        PROGRAMME = "programme", _("Pre-employment programme")
        PLACED = "placed", _("Placed")
        FOLLOW_UP = "follow_up", _("Follow-up")
        LEFT = "left", _("Left")

    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    preferred_name = models.CharField(_("preferred name"), max_length=100, blank=True)
    date_of_birth = models.DateField(_("date of birth"))
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True, validators=[phone_validator])
    address = models.CharField(_("address"), max_length=200, blank=True)
    postcode = models.CharField(
        _("postcode"), max_length=7, blank=True, validators=[postcode_validator]
    )
    city = models.ForeignKey(
        City,
        on_delete=models.PROTECT,
        related_name="young_people",
        verbose_name=_("city"),
        db_index=False,  # youth_city_id_idx below leads with it
    )
    youth_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="caseload",
        verbose_name=_("youth worker"),
        limit_choices_to={"role": "youth_worker"},
    )
    last_school = models.CharField(_("last school"), max_length=200, blank=True)
    school_level = models.CharField(
        _("level"), max_length=10, choices=SchoolLevel.choices, blank=True
    )
    left_school_on = models.DateField(_("left school on"), null=True, blank=True)
    at_risk_of_leaving = models.BooleanField(_("at risk of leaving school"), default=False)
    has_startkwalificatie = models.BooleanField(_("has a startkwalificatie"), default=False)
    target_group_reason = models.TextField(
        _("reason to register outside the target group"),
        blank=True,
        max_length=2000,
        help_text=_(
            "Needed for a young person with a startkwalificatie, or who neither left school nor "
            "is at risk of leaving."
        ),
    )
    school_obligation_arrangement = models.TextField(
        _("arrangement with the school or the leerplichtambtenaar"),
        blank=True,
        help_text=_(
            "Under 18 without a startkwalificatie the kwalificatieplicht applies: learning at "
            "school, or in a BBL place (working and learning)."
        ),
    )
    interests = models.ManyToManyField(
        InterestArea, blank=True, related_name="+", verbose_name=_("career interests")
    )
    ambitions = models.TextField(_("ambitions in their own words"), blank=True)
    skills = models.ManyToManyField(
        Skill, through="YouthSkill", related_name="+", verbose_name=_("skills")
    )
    available_days = models.JSONField(_("available days"), default=list, blank=True)
    available_hours = models.PositiveSmallIntegerField(
        _("hours a week available"), null=True, blank=True, validators=[MaxValueValidator(60)]
    )
    available_from = models.DateField(_("available from"), null=True, blank=True)
    travel_range_km = models.PositiveSmallIntegerField(
        _("travel range (km)"), default=10, validators=[MaxValueValidator(150)]
    )
    referred_by = models.CharField(_("referred by"), max_length=20, choices=Referral.choices)
    journey = models.CharField(
        _("journey"), max_length=20, choices=Journey.choices, default=Journey.REGISTERED
    )
    journey_changed_at = models.DateTimeField(_("journey changed"), default=timezone.now)
    left_reason = models.TextField(_("reason for leaving"), blank=True)
    # Written by the pre-employment programme's services (a higher app), read by matching's
    # readiness: the phase lives here so that matching need not import the programme.
    programme_phase = models.PositiveSmallIntegerField(
        _("phase in the pre-employment programme"), null=True, blank=True, editable=False
    )
    notes = models.TextField(_("notes"), blank=True)
    registered_on = models.DateField(_("registered on"), default=timezone.localdate)
    merged_into = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="merged_records",
        verbose_name=_("merged into"),
    )
    # Set once by youth_erase: the record was anonymised in place (AVG erasure) and stays only
    # as coarse data for the figures; it cannot be edited, nor erased again.
    erased_at = models.DateTimeField(_("anonymised"), null=True, blank=True, editable=False)
    # Optimistic locking: a save names the version it read; a newer one in the database wins.
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = YoungPersonQuerySet.as_manager()

    class Meta:
        ordering = ["first_name", "last_name", "pk"]
        verbose_name = _("young person")
        verbose_name_plural = _("young people")
        indexes = [
            models.Index(fields=["city", "journey"], name="youth_city_journey_idx"),
            # A city's young people as keys alone: a coordinator's every scope joins them, and
            # PostgreSQL reads them from this index without visiting the table.
            models.Index(fields=["city", "id"], name="youth_city_id_idx"),
            models.Index(fields=["last_name", "first_name"], name="youth_name_idx"),
            # The list's default order: its first page is read from here, not sorted.
            models.Index(fields=["first_name", "last_name", "id"], name="youth_list_order_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(date_of_birth__lte=F("registered_on")),
                name="youth_born_before_registration",
            ),
            models.CheckConstraint(
                condition=~Q(journey="left") | ~Q(left_reason=""), name="youth_left_has_reason"
            ),
            models.CheckConstraint(
                condition=~Q(merged_into=F("pk")), name="youth_not_merged_into_itself"
            ),
            models.CheckConstraint(
                condition=Q(programme_phase__isnull=True) | Q(programme_phase__in=[1, 2, 3]),
                name="youth_programme_phase_1_3",
            ),
        ]

    def __str__(self):
        if self.erased_at:
            return str(ANONYMISED)
        return f"{self.display_name} {self.last_name}"

    def get_absolute_url(self):
        return reverse("youth:youth_detail", args=[self.pk])

    def clean(self):
        super().clean()
        if self.erased_at:
            raise ValidationError(_("This young person was anonymised; the record cannot change."))

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def display_name(self) -> str:
        if self.erased_at:
            return str(ANONYMISED)
        return self.preferred_name or self.first_name

    @property
    def case_reference(self) -> str:
        return f"JP-{self.pk:05d}"

    @property
    def age(self) -> int:
        return age_on(self.date_of_birth, timezone.localdate())

    @property
    def outside_target_group(self) -> bool:
        """re-START is for young people without a startkwalificatie who left school or may."""
        return outside_target_group(
            has_startkwalificatie=self.has_startkwalificatie,
            left_school_on=self.left_school_on,
            at_risk_of_leaving=self.at_risk_of_leaving,
        )

    @property
    def must_attend_school(self) -> bool:
        """Kwalificatieplicht: under 18 and no startkwalificatie yet."""
        return self.age < SCHOOL_OBLIGATION_AGE and not self.has_startkwalificatie

    # The reminder outbox asks these. The e-mail names the case reference, never the person.
    def reminder_recipient(self, role: str):
        return self.youth_worker if role == "youth_worker" else None

    def reminder_reference(self, recipient) -> str:
        return self.case_reference if may_see_case_reference(recipient) else ""

    def reminder_still_needed(self, kind: str) -> bool:
        return (
            self.journey != self.Journey.LEFT
            and self.merged_into_id is None
            and self.erased_at is None
        )


class YouthSkill(models.Model):
    youth = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, related_name="skill_assessments"
    )
    skill = models.ForeignKey(
        Skill, on_delete=models.PROTECT, related_name="+", verbose_name=_("skill")
    )
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("assessed by"),
    )
    assessed_on = models.DateField(_("assessed on"), default=timezone.localdate)

    class Meta:
        ordering = ["skill__category", "skill__name_nl"]
        verbose_name = _("skill of a young person")
        verbose_name_plural = _("skills of young people")
        constraints = [models.UniqueConstraint(fields=["youth", "skill"], name="youth_skill_once")]

    def __str__(self):
        return str(self.skill)


class Barrier(models.Model):
    class Kind(models.TextChoices):
        NO_NETWORK = "no_network", _("No supportive network")
        LIMITED_SKILLS = "limited_skills", _("Limited skills")
        LANGUAGE = "language", _("Language")
        DEBTS = "debts", _("Debts")
        HOUSING = "housing", _("Housing")
        HEALTH = "health", _("Health")
        TRANSPORT = "transport", _("Transport")
        PRACTICAL = "practical", _("Practical matters (bank account, ID, ...)")
        OTHER = "other", _("Other")

    class Severity(models.IntegerChoices):
        LITTLE = 1, _("Hinders a little")
        SOME = 2, _("Hinders")
        MUCH = 3, _("Hinders a lot")

    youth = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="barriers")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    severity = models.PositiveSmallIntegerField(_("how much it hinders"), choices=Severity.choices)
    note = models.TextField(_("note"), blank=True)
    is_resolved = models.BooleanField(_("resolved"), default=False)
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["is_resolved", "-severity", "pk"]
        verbose_name = _("barrier")
        verbose_name_plural = _("barriers")
        constraints = [
            models.CheckConstraint(
                condition=Q(severity__gte=1, severity__lte=3), name="barrier_severity_1_to_3"
            ),
            models.CheckConstraint(
                condition=Q(is_resolved=False, resolved_on__isnull=True)
                | Q(is_resolved=True, resolved_on__isnull=False),
                name="barrier_resolved_has_date",
            ),
        ]

    def __str__(self):
        return self.get_kind_display()


class NetworkFactor(models.Model):
    """Someone or something in the young person's network that helps, or hinders."""

    class Effect(models.TextChoices):
        HELPS = "helps", _("Helps")
        HINDERS = "hinders", _("Hinders")

    youth = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="network_factors")
    effect = models.CharField(_("effect"), max_length=10, choices=Effect.choices)
    description = models.CharField(_("description"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["effect", "pk"]
        verbose_name = _("network factor")
        verbose_name_plural = _("network factors")

    def __str__(self):
        # Not the description: this text is the change history's name for the row.
        return f"{self.get_effect_display()} ({self.pk})"


class Consent(PlausibleDatesModel, models.Model):
    plausible_dates = {"given_on": DateKind.HAPPENED}

    class Purpose(models.TextChoices):
        REGISTRATION = "registration", _("Registration on the platform")
        SHARE_WITH_EMPLOYERS = "share_with_employers", _("Sharing the profile with employers")
        BUDDY_CONTACT = "buddy_contact", _("Being contacted by a buddy")
        ANONYMOUS_REPORTS = "anonymous_reports", _("Use in anonymous reports")

    # PROTECT: a consent is the legal ground for what was shared; deleting the young person
    # must not erase it (erasure is anonymisation).
    youth = models.ForeignKey(YoungPerson, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(_("purpose"), max_length=30, choices=Purpose.choices)
    given_on = models.DateField(_("given on"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawal recorded by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["purpose", "-given_on", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["youth", "purpose"],
                condition=Q(withdrawn_on__isnull=True),
                name="one_active_consent_per_purpose",
                violation_error_message=_("This consent is already recorded."),
            ),
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("given_on")),
                name="consent_withdrawn_after_given",
            ),
        ]

    def __str__(self):
        return self.get_purpose_display()

    def clean(self):
        super().clean()
        if self.given_on and self.youth_id and self.given_on < self.youth.date_of_birth:
            raise ValidationError(
                {"given_on": _("A consent cannot be given before the young person was born.")}
            )

    @property
    def is_active(self) -> bool:
        return self.withdrawn_on is None


class JourneyChange(models.Model):
    youth = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="journey_changes")
    from_status = models.CharField(max_length=20, choices=YoungPerson.Journey.choices, blank=True)
    to_status = models.CharField(max_length=20, choices=YoungPerson.Journey.choices)
    reason = models.TextField(blank=True)
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("journey change")
        verbose_name_plural = _("journey changes")

    def __str__(self):
        return f"{self.youth_id}: {self.from_status} -> {self.to_status}"


class CaseloadChange(models.Model):
    """The dated history of whose caseload a young person was in."""

    youth = models.ForeignKey(
        YoungPerson, on_delete=models.CASCADE, related_name="caseload_changes"
    )
    youth_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("caseload change")
        verbose_name_plural = _("caseload changes")

    def __str__(self):
        return f"{self.youth_id}: {self.youth_worker_id}"


class ContactMoment(PlausibleDatesModel, models.Model):
    """The youth worker's contact log."""

    plausible_dates = {"date": DateKind.HAPPENED}

    class Kind(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        PHONE = "phone", _("Phone")
        MESSAGE = "message", _("Message")
        HOME_VISIT = "home_visit", _("Home visit")
        OTHER = "other", _("Other")

    youth = models.ForeignKey(YoungPerson, on_delete=models.CASCADE, related_name="contacts")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    date = models.DateField(_("date"))
    summary = models.TextField(_("summary"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("contact moment")
        verbose_name_plural = _("contact moments")
        indexes = [models.Index(fields=["youth", "date"], name="youth_contact_date_idx")]

    def __str__(self):
        return f"{self.get_kind_display()} {self.date}"


class LastContact(models.Model):
    """The date of a young person's latest contact moment, kept by the database itself.

    The caseload orders every young person by it, and the lists filter on it; looked up from
    the contact moments per person that cost most of those pages. Triggers on the contact
    moments table (migration 0008) rewrite the row whenever a contact is added, changed, moved
    to another record or deleted, on every path: the services, the admin, a merge, a bulk
    insert. Django never writes it. A later migration that rebuilds the contact moments table on
    SQLite drops those triggers; `tests/youth/test_last_contact.py` then fails.
    """

    youth = models.OneToOneField(
        YoungPerson, on_delete=models.CASCADE, primary_key=True, related_name="last_contact"
    )
    date = models.DateField(_("last contact"))

    class Meta:
        verbose_name = _("last contact")
        verbose_name_plural = _("last contacts")

    def __str__(self):
        return f"{self.youth_id}: {self.date}"


TARGET_GROUP_MESSAGE = _(
    "re-START is for young people without a startkwalificatie who left school or are at risk "
    "of leaving. Say why you register this young person anyway."
)


def outside_target_group(
    *, has_startkwalificatie: bool, left_school_on: dt.date | None, at_risk_of_leaving: bool
) -> bool:
    return has_startkwalificatie or (left_school_on is None and not at_risk_of_leaving)


def validate_age_on_registration(date_of_birth: dt.date, registered_on: dt.date) -> list[str]:
    """The programme is for young people of 16 to 26; returns what is wrong, in words."""
    if date_of_birth > registered_on:
        return [str(_("The date of birth cannot be in the future."))]
    age = age_on(date_of_birth, registered_on)
    if not MIN_AGE <= age <= MAX_AGE:
        return [
            str(
                _(
                    "The programme is for young people of 16 to 26; this date of birth gives %(age)d."
                )
                % {"age": age}
            )
        ]
    return []


def parse_case_reference(value: str) -> int | None:
    """The id in a case reference: 'JP-00012', 'jp 12' or '12' -> 12; anything else None."""
    match = re.fullmatch(r"(?:JP[-\s]?)?0*(\d{1,9})", value.strip(), flags=re.IGNORECASE)
    return int(match.group(1)) if match else None
