"""Reads for placements and their follow-ups: the lists, what may be placed, and the retention
figures."""

from datetime import date

from django.db.models import (
    Case,
    Count,
    DateField,
    Exists,
    F,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone

from employers.models import Opening
from employers.selectors import openings_visible_to
from restart_platform.accounts.access import scope_q
from restart_platform.accounts.models import User
from youth.models import YoungPerson, parse_case_reference
from youth.selectors import youth_visible_to

from ..models import FollowUp, Placement


def placements_visible_to(user: User) -> QuerySet[Placement]:
    """Admins all; coordinators the placements of the young people of their cities."""
    return Placement.objects.filter(scope_q(user, city="youth__city"))


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(scope_q(user, city="placement__youth__city"))


def placements_for_list(user: User) -> QuerySet[Placement]:
    """With the young person, the opening and its employer, and the date of the next follow-up
    still to be answered (none once the placement ended)."""
    # A subquery per row shown, not a GROUP BY over every placement and its follow-ups: the
    # database reads the follow-ups of the page's 50 rows only, and counts without them.
    next_due = (
        FollowUp.objects.filter(placement=OuterRef("pk"), still_there__isnull=True)
        .order_by("due_on")
        .values("due_on")[:1]
    )
    return (
        placements_visible_to(user)
        .select_related("youth", "youth__city", "opening", "opening__employer")
        .annotate(
            next_follow_up_on=Case(
                When(status=Placement.Status.ACTIVE, then=Subquery(next_due)),
                output_field=DateField(),
            )
        )
        .order_by("-start_date", "-pk")
    )


def _youth_or_opening_matches(query: str) -> Q:
    """A search box over pairs: the young person's names or case reference, the opening's title
    or its employer's name."""
    matches = (
        Q(youth__first_name__icontains=query)
        | Q(youth__preferred_name__icontains=query)
        | Q(youth__last_name__icontains=query)
        | Q(opening__title__icontains=query)
        | Q(opening__employer__name__icontains=query)
    )
    if (pk := parse_case_reference(query)) is not None:
        matches |= Q(youth__pk=pk)
    return matches


def follow_up_due_q(today: date) -> Q:
    """Active placements with a follow-up due on or before `today` and not yet answered."""
    due = FollowUp.objects.filter(
        placement=OuterRef("pk"), still_there__isnull=True, due_on__lte=today
    )
    return Q(status=Placement.Status.ACTIVE) & Q(Exists(due))


def placements_filtered(user: User, filters: dict, *, today: date) -> QuerySet[Placement]:
    """The placements list after its search box and filters."""
    placements = placements_for_list(user)
    if query := (filters.get("q") or "").strip():
        placements = placements.filter(_youth_or_opening_matches(query))
    if filters.get("status"):
        placements = placements.filter(status=filters["status"])
    if filters.get("city"):
        placements = placements.filter(youth__city=filters["city"])
    if filters.get("follow_up_due"):
        placements = placements.filter(follow_up_due_q(today))
    return placements


def placements_for_detail(user: User) -> QuerySet[Placement]:
    return (
        placements_for_list(user)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("answered_by"))
        )
    )


def youth_to_place(user: User) -> QuerySet[YoungPerson]:
    """The young people a placement may be recorded for: in the user's scope, still in the
    programme, and not placed at the moment."""
    active = Placement.objects.filter(youth=OuterRef("pk"), status=Placement.Status.ACTIVE)
    return (
        youth_visible_to(user)
        .exclude(journey=YoungPerson.Journey.LEFT)
        .exclude(Exists(active))
        .select_related("city")
        .order_by("last_name", "first_name", "pk")
    )


def openings_to_fill(user: User) -> QuerySet[Opening]:
    """The open openings the user may see that have a place left."""
    return (
        openings_visible_to(user)
        .filter(status=Opening.Status.OPEN, filled_places__lt=F("places"))
        .select_related("employer")
        .order_by("employer__name", "title", "pk")
    )


def retention_figures(user: User, *, today: date | None = None) -> dict[int, dict]:
    """For each follow-up month: of the placements whose answer is known, how many young people
    were still there, as a count and a percentage (None while nothing is known).

    Known means answered, or left before: a placement that ended on or before that month's
    date (or was answered "not there" at an earlier month) was not there then, even though its
    later follow-ups are no longer asked. Counting only answered follow-ups would leave out
    everyone who left early and make the later months look better than they are. Unanswered
    follow-ups of active placements are unknown, and not counted. One query.
    """
    today = today or timezone.localdate()
    left_earlier = Exists(
        FollowUp.objects.filter(
            placement=OuterRef("placement"), month__lt=OuterRef("month"), still_there=False
        )
    )
    left_before = Q(
        still_there__isnull=True, due_on__lte=today, placement__status=Placement.Status.ENDED
    ) & (Q(placement__ended_on__lte=F("due_on")) | left_earlier)
    rows = (
        follow_ups_visible_to(user)
        # Only rows a figure counts: answered, or due by today. The follow-ups still to come
        # (a third of them at any time) count nowhere and need not be joined to a placement.
        .filter(Q(still_there__isnull=False) | Q(due_on__lte=today))
        .values("month")
        .annotate(
            answered=Count("pk", filter=Q(still_there__isnull=False)),
            stayed=Count("pk", filter=Q(still_there=True)),
            left_before=Count("pk", filter=left_before),
            awaiting=Count(
                "pk",
                filter=Q(
                    still_there__isnull=True,
                    due_on__lte=today,
                    placement__status=Placement.Status.ACTIVE,
                ),
            ),
        )
        .order_by("month")
    )
    counted = {row["month"]: row for row in rows}
    figures = {}
    for month in FollowUp.MONTHS:
        row = counted.get(month, {})
        known = row.get("answered", 0) + row.get("left_before", 0)
        stayed = row.get("stayed", 0)
        figures[month] = {
            "month": month,
            "known": known,
            "still_there": stayed,
            "percentage": round(100 * stayed / known) if known else None,
            "awaiting": row.get("awaiting", 0),
        }
    return figures
