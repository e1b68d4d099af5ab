"""Reads that span the apps: the dashboard sits above them all, so it may ask each of them."""

import datetime as dt

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.utils import timezone

from intake.selectors import annotate_awaiting_outcome
from restart_platform.accounts.access import scope_q
from restart_platform.accounts.models import City, User
from youth.models import Consent, YoungPerson
from youth.selectors import caseload_for, no_recent_contact_q

from .models import Story


def caseload_by_attention(
    user: User, *, today: dt.date, youth_worker: User | None = None
) -> QuerySet[YoungPerson]:
    """A caseload with those who need attention first: no contact for 30 days, then an intake
    without an outcome, then registration consent missing, then the rest.

    Ordered in the database, so the pages of the caseload follow one order.
    """
    youth = caseload_for(user)
    if youth_worker is not None:
        youth = youth.filter(youth_worker=youth_worker)
    youth = annotate_awaiting_outcome(youth, now=timezone.now())
    no_contact = no_recent_contact_q(today)
    awaiting = {"intakes_awaiting_outcome__gt": 0}
    return youth.annotate(
        needs_contact=Case(
            When(no_contact, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        awaits_outcome=Case(
            When(**awaiting, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        attention=Case(
            When(no_contact, then=Value(0)),
            When(**awaiting, then=Value(1)),
            When(has_registration_consent=False, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
    ).order_by(
        "attention", F("last_contact_on").asc(nulls_first=True), "first_name", "last_name", "pk"
    )


# --- Stories of the employer pitch -------------------------------------------------------------


def stories_visible_to(user: User) -> QuerySet[Story]:
    """Admins all; coordinators the stories of the young people of their cities; nobody else
    (a youth worker's caseload path is not given, so they see none)."""
    return Story.objects.filter(scope_q(user, city="youth__city"))


def stories_for_list(user: User, filters: dict) -> QuerySet[Story]:
    """With the young person and whether their consent "use in anonymous reports" is active,
    after the list's search box and filter."""
    stories = (
        stories_visible_to(user)
        .select_related("youth", "youth__city", "created_by")
        .annotate(has_consent=Exists(_reports_consent()))
    )
    if query := (filters.get("q") or "").strip():
        stories = stories.filter(
            Q(title__icontains=query)
            | Q(text__icontains=query)
            | Q(youth__first_name__icontains=query)
            | Q(youth__last_name__icontains=query)
        )
    if filters.get("shareable") in ("yes", "no"):
        stories = stories.filter(is_shareable=filters["shareable"] == "yes")
    return stories.order_by("-updated_at", "-pk")


def pitch_stories(user: User, *, city: City | None) -> QuerySet[Story]:
    """The stories the employer pitch shows: marked shareable, of a young person (not merged
    away) whose consent "use in anonymous reports" is active now. Read live: a withdrawn
    consent drops the story at once."""
    stories = stories_visible_to(user).filter(
        Exists(_reports_consent()), is_shareable=True, youth__merged_into__isnull=True
    )
    if city is not None:
        stories = stories.filter(youth__city=city)
    return stories.only("title", "text").order_by("-updated_at", "-pk")


def _reports_consent() -> QuerySet[Consent]:
    return Consent.objects.filter(
        youth=OuterRef("youth"),
        purpose=Consent.Purpose.ANONYMOUS_REPORTS,
        withdrawn_on__isnull=True,
    )
