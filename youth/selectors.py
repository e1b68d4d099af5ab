"""Reads for the young-people pages, narrowed to what the user may see."""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Prefetch, Q, QuerySet

from restart_platform.accounts.access import scope_q
from restart_platform.accounts.models import User

from .models import Consent, ContactMoment, JourneyChange, YoungPerson, YouthSkill

NO_CONTACT_DAYS = 30


def youth_visible_to(user: User) -> QuerySet[YoungPerson]:
    """Admins all; coordinators their cities; a youth worker their own caseload; nobody else."""
    return YoungPerson.objects.current().filter(scope_q(user, city="city", caseload="youth_worker"))


def active_consent(purpose: str):
    return Consent.objects.filter(youth=OuterRef("pk"), purpose=purpose, withdrawn_on__isnull=True)


def with_last_contact(youth: QuerySet[YoungPerson]) -> QuerySet[YoungPerson]:
    """`last_contact_on`, kept by the database per young person (LastContact): sorting and
    filtering on it (`no_recent_contact_q`) read one row each instead of their contact moments."""
    return youth.annotate(last_contact_on=F("last_contact__date"))


def youth_for_list(user: User) -> QuerySet[YoungPerson]:
    return (
        with_last_contact(youth_visible_to(user))
        .select_related("city", "youth_worker")
        .annotate(
            has_registration_consent=Exists(active_consent(Consent.Purpose.REGISTRATION)),
            has_sharing_consent=Exists(active_consent(Consent.Purpose.SHARE_WITH_EMPLOYERS)),
        )
    )


def youth_filtered(user: User, filters: dict, *, today: dt.date) -> QuerySet[YoungPerson]:
    """The list after its search box and filters."""
    youth = youth_for_list(user)
    if query := (filters.get("q") or "").strip():
        youth = youth.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(preferred_name__icontains=query)
            | Q(email__icontains=query)
        )
    for field in ("city", "journey", "youth_worker", "referred_by"):
        if filters.get(field):
            youth = youth.filter(**{field: filters[field]})
    if filters.get("no_contact"):
        youth = youth.filter(no_recent_contact_q(today))
    if filters.get("consent_missing"):
        youth = youth.filter(has_registration_consent=False)
    return youth.order_by(*SORTS.get(filters.get("sort") or "name", SORTS["name"]))


SORTS = {
    "name": ("first_name", "last_name", "pk"),
    "-registered_on": ("-registered_on", "pk"),
    "last_contact_on": ("last_contact_on", "pk"),
}


def no_recent_contact_q(today: dt.date) -> Q:
    cutoff = today - dt.timedelta(days=NO_CONTACT_DAYS)
    return (Q(last_contact_on__isnull=True) & Q(registered_on__lte=cutoff)) | Q(
        last_contact_on__lt=cutoff
    )


def active_consent_holders(purpose: str) -> QuerySet[Consent]:
    """The young people with an active consent for `purpose`, as a set to test against
    (`pk__in`): PostgreSQL reads it once and hashes it, where a subquery per person would be
    run for every young person a page sorts."""
    return Consent.objects.filter(purpose=purpose, withdrawn_on__isnull=True).values("youth")


def caseload_for(user: User, *, listed: bool = True) -> QuerySet[YoungPerson]:
    """The young people still in a caseload (those who left are done), with their last contact;
    `listed`, also with their consents and related rows as the lists show them. The caseload
    page adds what the apps above this one know of them."""
    youth = youth_for_list(user) if listed else with_last_contact(youth_visible_to(user))
    return youth.exclude(journey=YoungPerson.Journey.LEFT)


def youth_for_detail(user: User) -> QuerySet[YoungPerson]:
    return (
        youth_visible_to(user)
        .select_related("city", "youth_worker")
        .prefetch_related(
            "interests",
            Prefetch(
                "skill_assessments",
                queryset=YouthSkill.objects.select_related("skill", "assessed_by"),
            ),
            "barriers",
            "network_factors",
            Prefetch(
                "consents", queryset=Consent.objects.select_related("recorded_by", "withdrawn_by")
            ),
            Prefetch("contacts", queryset=ContactMoment.objects.select_related("author")),
            Prefetch(
                "journey_changes", queryset=JourneyChange.objects.select_related("changed_by")
            ),
            "caseload_changes__youth_worker",
        )
    )


def target_group_exceptions(user: User) -> QuerySet[YoungPerson]:
    """Young people registered outside the target group, with the reason given: countable."""
    return youth_visible_to(user).exclude(target_group_reason="")


def has_consent(youth: YoungPerson, purpose: str) -> bool:
    return Consent.objects.filter(youth=youth, purpose=purpose, withdrawn_on__isnull=True).exists()


def possible_duplicates(
    *, first_name: str, last_name: str, date_of_birth, email: str, phone: str, exclude_pk=None
):
    """Records that may be this young person: same name and date of birth, or same e-mail or phone."""
    same = Q(
        first_name__iexact=first_name.strip(),
        last_name__iexact=last_name.strip(),
        date_of_birth=date_of_birth,
    )
    if email:
        same |= Q(email__iexact=email.strip())
    if phone:
        same |= Q(phone=phone.strip())
    candidates = YoungPerson.objects.current().filter(same)
    if exclude_pk:
        candidates = candidates.exclude(pk=exclude_pk)
    return list(candidates.select_related("youth_worker")[:10])
