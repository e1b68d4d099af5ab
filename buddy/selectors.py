"""Reads for the buddy programme, each starting from what the user may see."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce

from employers.selectors import employers_visible_to
from matching.models import Placement
from restart_platform.accounts.access import Role, has_role, scope_q
from restart_platform.accounts.models import User
from restart_platform.subqueries import counted, latest
from youth.models import parse_case_reference

from .explanations import Component, Terms, explain
from .models import OPEN_STATUSES, CheckIn, Concern, Mentor, Pair, PairScoreWeights
from .scoring import score_mentors


def mentors_visible_to(user: User) -> QuerySet[Mentor]:
    """Admins all; coordinators the mentors at employers in their cities; a mentor with an
    account their own record. Youth workers and other employer contacts: none."""
    return Mentor.objects.filter(scope_q(user, city="employer__city", owner="user"))


def pairs_visible_to(user: User) -> QuerySet[Pair]:
    """Admins all; coordinators the pairs of young people in their cities; youth workers those
    of their caseload; a mentor their own pairs, until the young person withdraws the buddy
    consent. Other employer contacts: none."""
    q = scope_q(user, city="youth__city", caseload="youth__youth_worker")
    if has_role(user, Role.EMPLOYER_CONTACT):
        q |= Q(mentor__user=user, sharing_stopped_on__isnull=True)
    return Pair.objects.filter(q)


def mentors_with_room(*, employer_id: int) -> QuerySet[Mentor]:
    """The active mentors of an employer with fewer open pairs than their capacity."""
    return (
        Mentor.objects.filter(employer_id=employer_id, is_active=True)
        .annotate(open_pairs=Count("pairs", filter=Q(pairs__status__in=OPEN_STATUSES)))
        .filter(open_pairs__lt=F("capacity"))
    )


@dataclass(frozen=True)
class Suggestion:
    mentor: Mentor
    total: float
    components: list[Component]


def suggestions_for(*, placement: Placement, user: User, today: dt.date) -> list[Suggestion]:
    """The mentors at the placement's employer with room, best first, each component explained.
    Only mentors the user may see are scored: a person decides, from what they may know."""
    mentors = {
        mentor.pk: mentor
        for mentor in mentors_with_room(employer_id=placement.opening.employer_id).filter(
            pk__in=mentors_visible_to(user).values("pk")
        )
    }
    terms = Terms()
    return [
        Suggestion(
            mentor=mentors[result.mentor.id], total=result.total, components=explain(result, terms)
        )
        for result in score_mentors(
            placement.youth_id, mentors, PairScoreWeights.load(), today=today
        )
    ]


# --- Pages --------------------------------------------------------------------------------------


def pairs_for_list(user: User) -> QuerySet[Pair]:
    """With the young person, the mentor and their employer, and the latest check-in."""
    return (
        pairs_visible_to(user)
        .select_related("youth", "youth__city", "mentor", "mentor__employer")
        .annotate(last_checkin_on=_last_checkin())
        .order_by("-proposed_at", "-pk")
    )


def _last_checkin() -> Subquery:
    """A pair's latest check-in date: a subquery per pair shown, not a join with every check-in
    grouped afterwards (which grouped all 1,500 pairs to show 25)."""
    return latest(CheckIn.objects.filter(pair=OuterRef("pk")), "held_on")


def pairs_filtered(user: User, filters: dict) -> QuerySet[Pair]:
    """The pairs list after its search box (young person, case reference, mentor, employer)
    and its status filter."""
    pairs = pairs_for_list(user)
    if query := (filters.get("q") or "").strip():
        matches = (
            Q(youth__first_name__icontains=query)
            | Q(youth__preferred_name__icontains=query)
            | Q(youth__last_name__icontains=query)
            | Q(mentor__name__icontains=query)
            | Q(mentor__employer__name__icontains=query)
        )
        if (pk := parse_case_reference(query)) is not None:
            matches |= Q(youth__pk=pk)
        pairs = pairs.filter(matches)
    if filters.get("status"):
        pairs = pairs.filter(status=filters["status"])
    return pairs


def pairs_for_detail(user: User) -> QuerySet[Pair]:
    return (
        pairs_for_list(user)
        .select_related("placement", "placement__opening", "proposed_by")
        .prefetch_related(
            Prefetch("checkins", queryset=CheckIn.objects.select_related("logged_by")),
            Prefetch("concerns", queryset=Concern.objects.select_related("raised_by")),
        )
    )


def pairs_of_youth(user: User, youth_id: int) -> list[Pair]:
    return list(pairs_for_list(user).filter(youth_id=youth_id))


def mentors_for_list(user: User) -> QuerySet[Mentor]:
    return (
        mentors_visible_to(user)
        .select_related("employer", "employer__city")
        # A subquery per mentor shown, not a join with every pair grouped afterwards.
        .annotate(
            open_pairs=counted(
                Pair.objects.filter(mentor=OuterRef("pk"), status__in=OPEN_STATUSES), "mentor"
            )
        )
        .order_by("name", "pk")
    )


def mentors_filtered(user: User, filters: dict) -> QuerySet[Mentor]:
    mentors = mentors_for_list(user)
    if query := (filters.get("q") or "").strip():
        mentors = mentors.filter(Q(name__icontains=query) | Q(employer__name__icontains=query))
    if filters.get("available"):
        mentors = mentors.filter(is_active=True, open_pairs__lt=F("capacity"))
    return mentors


def mentors_for_detail(user: User) -> QuerySet[Mentor]:
    return mentors_for_list(user).prefetch_related(
        "skills",
        "work_fields",
        "personal_interests",
        Prefetch("pairs", queryset=Pair.objects.select_related("youth").order_by("-proposed_at")),
    )


def mentor_accounts_for(user: User) -> QuerySet[User]:
    """The portal accounts a mentor may be given: those of the contact people of the employers
    the user may see."""
    return User.objects.filter(
        role=Role.EMPLOYER_CONTACT,
        is_active=True,
        employer_contact__employer__in=employers_visible_to(user),
    ).order_by("last_name", "first_name", "pk")


# --- The start page -----------------------------------------------------------------------------

NO_CHECKIN_WEEKS = 8  # as the coordinator's eight-week alarm (services.NO_CHECKIN_WEEKS)


def _with_checkin_since(pairs: QuerySet[Pair]) -> QuerySet[Pair]:
    """The latest check-in, or before the first one the kick-off: what the cadence counts from."""
    return pairs.annotate(
        last_checkin_on=_last_checkin(),
        checkin_since=Coalesce(F("last_checkin_on"), F("kickoff_on")),
    )


def _checkin_due_q(today: dt.date) -> Q:
    """The next check-in is due by today: `checkin_every_weeks` after `checkin_since`. The
    cadence is 1 to 12 weeks (a database constraint), so one branch per value keeps the date
    arithmetic in the database on every backend."""
    q = Q(pk__in=[])
    for weeks in range(1, 13):
        q |= Q(checkin_every_weeks=weeks, checkin_since__lte=today - dt.timedelta(weeks=weeks))
    return q


def pairs_needing_attention(user: User, *, today: dt.date) -> QuerySet[Pair]:
    """Open pairs the user may see with an open concern, a placement that ended while the pair
    stayed open, or no check-in for eight weeks; each with the flags that say which."""
    silent_since = today - dt.timedelta(weeks=NO_CHECKIN_WEEKS)
    pairs = _with_checkin_since(pairs_visible_to(user).filter(status__in=OPEN_STATUSES)).annotate(
        has_open_concern=Exists(Concern.objects.filter(pair=OuterRef("pk"), resolved_at=None)),
        placement_ended=ExpressionWrapper(
            Q(placement__status=Placement.Status.ENDED), output_field=BooleanField()
        ),
    )
    silent = Q(kickoff_on__isnull=False, checkin_since__lt=silent_since)
    return (
        pairs.filter(
            Q(has_open_concern=True) | Q(placement__status=Placement.Status.ENDED) | silent
        )
        .annotate(silent=ExpressionWrapper(silent, output_field=BooleanField()))
        .select_related("youth", "mentor")
        .order_by(F("checkin_since").asc(nulls_first=True), "pk")
    )


def pairs_checkin_due(user: User, *, today: dt.date) -> QuerySet[Pair]:
    """For a mentor's start page: their started, open pairs whose next check-in is due."""
    started = pairs_visible_to(user).filter(status__in=OPEN_STATUSES, kickoff_on__isnull=False)
    return (
        _with_checkin_since(started)
        .filter(_checkin_due_q(today))
        .select_related("youth", "mentor")
        .order_by("checkin_since", "pk")
    )
