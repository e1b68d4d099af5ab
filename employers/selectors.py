"""Reads for the employer pages, already narrowed to what the user may see."""

import difflib
import re
from datetime import date, timedelta

from django.db.models import (
    Count,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Window,
)
from django.db.models.functions import RowNumber

from restart_platform.accounts.access import has_role, scope_q
from restart_platform.accounts.models import User
from restart_platform.subqueries import counted, latest

from .models import (
    Agreement,
    Contact,
    Employer,
    Interaction,
    NetworkPartner,
    Opening,
    OwnerChange,
    StageChange,
)

STALE_AFTER_DAYS = 30
STALE_STAGES = [Employer.Stage.LEAD, Employer.Stage.CONTACTED]


def employers_visible_to(user: User) -> QuerySet[Employer]:
    return Employer.objects.filter(scope_q(user, city="city", employer_contact="contacts__user"))


def employers_for_list(user: User) -> QuerySet[Employer]:
    """Employers with what the list and the board show: city, sector, owner, last contact."""
    return (
        employers_visible_to(user)
        .select_related("city", "sector", "owner")
        .annotate(
            # Subqueries per employer shown, not joins grouped afterwards: the page then counts
            # and sorts the employers alone.
            last_interaction_on=latest(Interaction.objects.filter(employer=OuterRef("pk")), "date"),
            open_openings=counted(
                Opening.objects.filter(employer=OuterRef("pk"), status=Opening.Status.OPEN),
                "employer",
            ),
        )
    )


def employers_for_detail(user: User) -> QuerySet[Employer]:
    return (
        employers_visible_to(user)
        .select_related("city", "sector", "owner", "demand")
        .prefetch_related(
            Prefetch("contacts", queryset=Contact.objects.select_related("user")),
            Prefetch("interactions", queryset=Interaction.objects.select_related("author")),
            Prefetch("openings", queryset=Opening.objects.order_by("status", "start_date")),
            "demand__skills",
            Prefetch("stage_changes", queryset=StageChange.objects.select_related("changed_by")),
            Prefetch(
                "owner_changes", queryset=OwnerChange.objects.select_related("owner", "changed_by")
            ),
        )
    )


def stale_employers(user: User, *, today: date) -> QuerySet[Employer]:
    """Leads and contacted employers without an interaction in 30 days: they are cooling off."""
    cutoff = today - timedelta(days=STALE_AFTER_DAYS)
    return (
        employers_for_list(user)
        .filter(stage__in=STALE_STAGES, created_at__date__lte=cutoff)
        .filter(Q(last_interaction_on__isnull=True) | Q(last_interaction_on__lt=cutoff))
    )


def employers_for_intake(user: User, *, city_id: int) -> QuerySet[Employer]:
    """The employers a user may bring to the intake of a young person of this city: those of
    that city, and within the user's own scope. A youth worker sees no employer records, yet
    meets the employers of their young people's city; anyone else keeps their cities."""
    employers = Employer.objects.filter(city_id=city_id)
    if has_role(user, User.Role.YOUTH_WORKER):
        return employers
    return employers.filter(scope_q(user, city="city"))


def openings_visible_to(user: User) -> QuerySet[Opening]:
    return Opening.objects.filter(
        scope_q(user, city="employer__city", employer_contact="employer__contacts__user")
    )


def openings_for_list(user: User) -> QuerySet[Opening]:
    return (
        openings_visible_to(user)
        .select_related("employer", "employer__city", "employer__sector")
        .prefetch_related("required_skills")
    )


def partners_visible_to(user: User) -> QuerySet[NetworkPartner]:
    return NetworkPartner.objects.filter(scope_q(user, city="city"))


def partners_for_list(user: User) -> QuerySet[NetworkPartner]:
    return (
        partners_visible_to(user)
        .select_related("city")
        .annotate(agreement_count=Count("agreements"))
    )


def agreements_visible_to(user: User) -> QuerySet[Agreement]:
    return Agreement.objects.filter(scope_q(user, city="partner__city"))


_LEGAL_FORMS = re.compile(
    r"\b(b\.?v\.?|n\.?v\.?|v\.?o\.?f\.?|c\.?v\.?|holding|groep|group|stichting)\b"
)


def normalised_name(name: str) -> str:
    name = _LEGAL_FORMS.sub(" ", name.lower())
    return " ".join(re.sub(r"[^a-z0-9]+", " ", name).split())


def possible_duplicates(
    user: User, *, name: str, kvk_number: str, city_id: int | None, exclude_pk=None
) -> list[Employer]:
    """Employers the user may see that may be this one: the same KvK number, or a very similar
    name in the same city. Another city's employers are not shown (the KvK number's own
    uniqueness still stops a second registration)."""
    candidates = (
        employers_visible_to(user)
        .filter(Q(kvk_number=kvk_number) | Q(city_id=city_id))
        .only("pk", "name", "kvk_number", "city_id")
    )
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    wanted = normalised_name(name)
    return [
        employer
        for employer in candidates
        if employer.kvk_number == kvk_number
        or difflib.SequenceMatcher(None, wanted, normalised_name(employer.name)).ratio() >= 0.85
    ]


def employers_filtered(user: User, filters: dict, *, today: date) -> QuerySet[Employer]:
    """The employer list after its search box, filters and sort (the export uses the same)."""
    employers = employers_for_list(user)
    if query := (filters.get("q") or "").strip():
        employers = employers.filter(
            Q(name__icontains=query) | Q(kvk_number__startswith=query.replace(" ", ""))
        )
    for field in ("city", "stage", "circularity", "owner", "sector"):
        if filters.get(field):
            employers = employers.filter(**{field: filters[field]})
    if filters.get("stale"):
        employers = employers.filter(pk__in=stale_employers(user, today=today).values("pk"))
    sort = filters.get("sort") or "name"
    nulls_last = sort.lstrip("-") in {"last_interaction_on", "next_action_due"}
    order = (
        (
            F(sort.lstrip("-")).desc(nulls_last=True)
            if sort.startswith("-")
            else F(sort).asc(nulls_last=True)
        )
        if nulls_last
        else sort
    )
    return employers.order_by(order, "name", "pk")


def first_per_stage(employers: QuerySet[Employer], n: int) -> QuerySet[Employer]:
    """The first `n` employers of each stage, in the queryset's own order."""
    order = [
        _order_expression(field) for field in employers.query.order_by or Employer._meta.ordering
    ]
    ranked = employers.annotate(
        place_in_stage=Window(RowNumber(), partition_by=F("stage"), order_by=order)
    )
    return ranked.filter(place_in_stage__lte=n)


def _order_expression(field):
    if not isinstance(field, str):
        return field
    return F(field[1:]).desc() if field.startswith("-") else F(field).asc()


def employer_of_contact(user: User) -> Employer | None:
    """The employer whose portal an employer-contact account uses; None when it is unlinked."""
    contact = (
        Contact.objects.select_related("employer", "employer__city", "employer__sector")
        .filter(user=user)
        .first()
    )
    return contact.employer if contact else None


OPENING_SORTS = {
    "start_date": ("start_date", "title", "pk"),
    "title": ("title", "start_date", "pk"),
    "employer": ("employer__name", "start_date", "pk"),
}


def openings_filtered(user: User, filters: dict) -> QuerySet[Opening]:
    """The openings list after its search box, filters and sort."""
    openings = openings_for_list(user)
    if query := (filters.get("q") or "").strip():
        openings = openings.filter(Q(title__icontains=query) | Q(employer__name__icontains=query))
    for field, lookup in [
        ("kind", "kind"),
        ("status", "status"),
        ("city", "employer__city"),
        ("sector", "employer__sector"),
    ]:
        if filters.get(field):
            openings = openings.filter(**{lookup: filters[field]})
    if filters.get("skill"):
        openings = openings.filter(required_skills=filters["skill"])
    return openings.order_by(
        *OPENING_SORTS.get(filters.get("sort") or "start_date", OPENING_SORTS["start_date"])
    )


def partners_filtered(user: User, filters: dict) -> QuerySet[NetworkPartner]:
    """The partner list after its search box and filters."""
    partners = partners_for_list(user)
    if query := filters.get("q"):
        partners = partners.filter(Q(name__icontains=query) | Q(contact_name__icontains=query))
    if filters.get("kind"):
        partners = partners.filter(kind=filters["kind"])
    if filters.get("city"):
        partners = partners.filter(city=filters["city"])
    if filters.get("lead_only"):
        partners = partners.filter(is_lead=True)
    return partners.order_by("name", "pk")


def employers_next_action_overdue(user: User, *, today: date) -> QuerySet[Employer]:
    """For the start page: the employers the user may see whose next action was due before
    today, the longest overdue first (a declined employer is done with)."""
    return (
        employers_visible_to(user)
        .filter(next_action_due__lt=today)
        .exclude(stage=Employer.Stage.DECLINED)
        .select_related("city")
        .order_by("next_action_due", "name", "pk")
    )
