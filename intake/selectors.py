"""Reads for intake pages: the intakes of the young people a user may see."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from restart_platform.accounts.access import scope_q
from restart_platform.accounts.models import User

from .models import IntakeMeeting, IntakeRecord


def intakes_visible_to(user: User) -> QuerySet[IntakeMeeting]:
    """The intakes of the young people the user may see: caseload, city, or everything (admin)."""
    return IntakeMeeting.objects.filter(
        scope_q(user, city="youth__city", caseload="youth__youth_worker")
    )


def intakes_for_list(user: User) -> QuerySet[IntakeMeeting]:
    return intakes_visible_to(
        user
    ).select_related(
        "youth",
        "youth__city",
        "youth_worker",
        "employer_contact",
        "opening",
        "opening__employer",
        "third_party",
        "record",
        "employer_contact__employer_contact__employer",  # the employer contact's company, shown in the list
    )


def intakes_filtered(user: User, filters: dict) -> QuerySet[IntakeMeeting]:
    intakes = intakes_for_list(user)
    if query := (filters.get("q") or "").strip():
        intakes = intakes.filter(
            Q(youth__first_name__icontains=query)
            | Q(youth__last_name__icontains=query)
            | Q(place__icontains=query)
        )
    now = timezone.now()
    when = filters.get("when")
    if when == "upcoming":
        intakes = intakes.filter(starts_at__gte=now, status=IntakeMeeting.Status.SCHEDULED)
    elif when == "past":
        intakes = intakes.filter(starts_at__lt=now)
    if filters.get("status"):
        intakes = intakes.filter(status=filters["status"])
    if filters.get("awaiting_outcome"):
        intakes = intakes.filter(awaiting_outcome_q(now))
    if filters.get("city"):
        intakes = intakes.filter(youth__city=filters["city"])
    order = ("starts_at", "pk") if when == "upcoming" else ("-starts_at", "-pk")
    return intakes.order_by(*order)


def awaiting_outcome_q(now, prefix: str = "") -> Q:
    """Held (its start has passed), not cancelled, and no finished record yet."""
    return Q(
        **{f"{prefix}starts_at__lt": now, f"{prefix}status": IntakeMeeting.Status.SCHEDULED}
    ) & ~Q(**{f"{prefix}record__status": IntakeRecord.Status.FINISHED})


def annotate_awaiting_outcome(youth: QuerySet, *, now) -> QuerySet:
    """For the caseload page: how many of a young person's intakes still wait for an outcome."""
    return youth.annotate(
        intakes_awaiting_outcome=Count(
            "intakes", filter=awaiting_outcome_q(now, "intakes__"), distinct=True
        )
    )
