"""Reads for intake pages: the intakes of the young people a user may see, who may take part
in them, and the fidelity figures of a set of intakes."""

from dataclasses import dataclass

from django.db.models import (
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import Contact, Opening
from employers.selectors import employers_for_intake
from restart_platform.accounts.access import scope_q
from restart_platform.accounts.models import User
from youth.models import YoungPerson

from .models import IntakeMeeting, IntakeRecord, PendingOutcome, YesNo


def intakes_visible_to(user: User) -> QuerySet[IntakeMeeting]:
    """The intakes of the young people the user may see: caseload, city, or everything (admin)."""
    return IntakeMeeting.objects.filter(
        scope_q(user, city="youth__city", caseload="youth__youth_worker")
    )


def intakes_for_list(user: User) -> QuerySet[IntakeMeeting]:
    """With what a row of the list shows. Joined: what every row has; fetched for the page in
    a query each: the optional people around the meeting. Thirteen joins cost PostgreSQL more
    time planning the query (18 ms) than running it."""
    return (
        intakes_visible_to(user)
        .select_related("youth", "opening__employer", "record")
        .prefetch_related(
            "third_party",
            "employer_contact__employer_contact__employer",  # the contact's company, shown
        )
    )


def intake_for_detail(user: User) -> QuerySet[IntakeMeeting]:
    """With everyone around the meeting in one query: for one row by its key the joins cost
    PostgreSQL little to plan."""
    return intakes_visible_to(user).select_related(
        "youth",
        "youth__city",
        "youth_worker",
        "opening__employer",
        "third_party",
        "present_contact__employer",
        "record",
        "employer_contact__employer_contact__employer",
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


def awaiting_outcome_q(now) -> Q:
    """Its start has passed, it took place or may have (not cancelled, not a no-show), and no
    finished record yet: its row in PendingOutcome, which the database keeps, started before
    `now`. Found from the meetings and records themselves this is an anti-join of every meeting
    with the finished records, on every page that asks."""
    return Q(pending_outcome__starts_at__lt=now)


def intakes_awaiting_outcome(*, now) -> QuerySet[IntakeMeeting]:
    return IntakeMeeting.objects.filter(awaiting_outcome_q(now))


def youth_awaiting_outcome(*, now) -> QuerySet[PendingOutcome]:
    """For the caseload page: the young people with an intake that still waits for its outcome,
    as a set to test against (`pk__in`). The caseload orders thousands of young people by it;
    PostgreSQL reads the set once, from the few pending meetings, and hashes it."""
    return PendingOutcome.objects.filter(starts_at__lt=now).values("youth")


def pending_outcomes_visible_to(user: User, *, now) -> QuerySet[PendingOutcome]:
    """The intakes awaiting their outcome that the user may see, as `intakes_filtered` with
    `awaiting_outcome` finds them and in its order (latest start first), read from
    PendingOutcome alone: its young person and start are the meeting's, copied by the triggers,
    so neither the scope nor the order needs the meeting's row. For a count and the keys of the
    first few; read through the meetings, a coordinator's count joined all of them."""
    return PendingOutcome.objects.filter(
        scope_q(user, city="youth__city", caseload="youth__youth_worker"),
        starts_at__lt=now,
    ).order_by("-starts_at", "-meeting")


# --- Who may take part: every choice the intake forms offer, and the services accept ----------

# What a form says when a choice outside the young person's city is posted (or was offered once).
NOT_IN_CITY = {
    "employer_contact": _("Choose a contact of an employer in the young person's city."),
    "opening": _("Choose an opening of an employer in the young person's city."),
    "third_party": _("Choose a coordinator of the young person's city as third party."),
    "present_contact": _("Choose a contact of an employer in the young person's city."),
}


def intake_employer_accounts(user: User, youth: YoungPerson) -> QuerySet[User]:
    """Portal accounts of the contacts of the employers this user may meet this young person with."""
    employers = employers_for_intake(user, city_id=youth.city_id)
    return (
        User.objects.filter(
            role=User.Role.EMPLOYER_CONTACT,
            is_active=True,
            employer_contact__employer__in=employers.values("pk"),
        )
        .select_related("employer_contact__employer")
        .order_by("employer_contact__employer__name", "first_name", "last_name", "pk")
    )


def intake_openings(user: User, youth: YoungPerson) -> QuerySet[Opening]:
    """Openings, of any status, of those employers."""
    employers = employers_for_intake(user, city_id=youth.city_id)
    return (
        Opening.objects.filter(employer__in=employers.values("pk"))
        .select_related("employer")
        .order_by("employer__name", "title", "pk")
    )


def intake_contacts(user: User, youth: YoungPerson) -> QuerySet[Contact]:
    """Contact people of those employers, with a portal account or without one."""
    employers = employers_for_intake(user, city_id=youth.city_id)
    return (
        Contact.objects.filter(employer__in=employers.values("pk"))
        .select_related("employer")
        .order_by("employer__name", "name", "pk")
    )


def third_parties_for(youth: YoungPerson) -> QuerySet[User]:
    """Accounts that carry authority in the young person's city: its coordinators. Anyone else
    with authority (a job coach, the school, a manager) is named on the form, with their kind."""
    return (
        User.objects.filter(is_active=True, role=User.Role.COORDINATOR, cities=youth.city_id)
        .distinct()
        .order_by("first_name", "last_name", "pk")
    )


# --- Fidelity: how far the intakes followed the working elements ------------------------------


@dataclass(frozen=True)
class FidelityCounts:
    intakes: int
    held: int
    no_show: int
    held_third_party_present: int
    held_employer_present: int
    non_committal_yes: int
    non_committal_no: int
    non_committal_not_recorded: int
    barriers_mapped: int
    no_barriers_found: int
    barriers_not_recorded: int


def fidelity_counts(intakes: QuerySet[IntakeMeeting]) -> FidelityCounts:
    """The figures of the fidelity table, counted by the database in one query.

    Everything but `intakes` and `no_show` counts held intakes only: a meeting that did not take
    place says nothing about how a meeting is run. "Not recorded" is its own figure, never "no".
    """
    return FidelityCounts(**_with_record_fields(intakes).aggregate(**_counts()))


def _with_record_fields(intakes: QuerySet[IntakeMeeting]) -> QuerySet[IntakeMeeting]:
    # The record is one to one with its meeting: joined once, not looked up per figure.
    has_barrier = IntakeRecord.barriers.through.objects.filter(intakerecord=OuterRef("record"))
    return intakes.order_by().annotate(
        _has_barrier=Exists(has_barrier),
        _none_found=Coalesce(F("record__no_barriers_found"), Value(False)),
        _non_committal=F("record__non_committal"),
    )


def _counts() -> dict[str, Count]:
    held = Q(status=IntakeMeeting.Status.HELD)
    return {
        "intakes": Count("pk"),
        "held": Count("pk", filter=held),
        "no_show": Count("pk", filter=Q(status=IntakeMeeting.Status.NO_SHOW)),
        "held_third_party_present": Count("pk", filter=held & Q(third_party_present=True)),
        "held_employer_present": Count("pk", filter=held & Q(employer_present=True)),
        "non_committal_yes": Count("pk", filter=held & Q(_non_committal=YesNo.YES)),
        "non_committal_no": Count("pk", filter=held & Q(_non_committal=YesNo.NO)),
        "non_committal_not_recorded": Count(
            "pk", filter=held & (Q(_non_committal__isnull=True) | Q(_non_committal=""))
        ),
        "barriers_mapped": Count("pk", filter=held & Q(_has_barrier=True)),
        "no_barriers_found": Count("pk", filter=held & Q(_has_barrier=False, _none_found=True)),
        "barriers_not_recorded": Count(
            "pk", filter=held & Q(_has_barrier=False, _none_found=False)
        ),
    }


@dataclass(frozen=True)
class RecordFidelityCounts:
    held: int
    attendance_recorded: int
    youth_worker_present: int
    third_party_present: int
    with_record: int
    expectations_any: int
    expectations_mutual: int
    motivation_recorded: int


def fidelity_record_counts(intakes: QuerySet[IntakeMeeting]) -> RecordFidelityCounts:
    """The figures `fidelity_counts` leaves out, in one query: of the held intakes, those whose
    attendance was recorded (someone ticked present: a held meeting has people in it, so none
    ticked is attendance not recorded) and the youth worker or the third party among them; those
    with an intake record, and in it any expectation, the expectations of both sides (or the
    ones agreed), and the motivation (in words or as a rating)."""
    return _record_counts(intakes.order_by().aggregate(**_record_aggregates()))


def intake_fidelity(
    intakes: QuerySet[IntakeMeeting],
) -> tuple[FidelityCounts, RecordFidelityCounts]:
    """Both sets of figures in one query: they read the same intakes joined to the same records,
    and at ten thousand young people each pass over them took some 20 ms."""
    prefix = "record_"
    aggregates = {f"{prefix}{name}": value for name, value in _record_aggregates().items()}
    values = _with_record_fields(intakes).aggregate(**_counts(), **aggregates)
    records = {name[len(prefix) :]: values.pop(name) for name in aggregates}
    return FidelityCounts(**values), _record_counts(records)


def _record_aggregates() -> dict[str, Count]:
    held = Q(status=IntakeMeeting.Status.HELD)
    attendance = (
        Q(youth_present=True)
        | Q(youth_worker_present=True)
        | Q(employer_present=True)
        | Q(third_party_present=True)
    )
    has_record = Q(record__isnull=False)
    both_sides = ~Q(record__youth_expectations="") & ~Q(record__employer_expectations="")
    agreed = ~Q(record__agreed_expectations="")
    any_expectation = both_sides | agreed | ~Q(record__youth_expectations="")
    any_expectation |= ~Q(record__employer_expectations="")
    motivation = ~Q(record__motivation_words="") | Q(record__motivation_rating__isnull=False)
    return {
        "held": Count("pk", filter=held),
        "attendance_recorded": Count("pk", filter=held & attendance),
        # Not named after the fields they count: an aggregate may not shadow a field.
        "bridge": Count("pk", filter=held & attendance & Q(youth_worker_present=True)),
        "third_party": Count("pk", filter=held & attendance & Q(third_party_present=True)),
        "with_record": Count("pk", filter=held & has_record),
        "expectations_any": Count("pk", filter=held & has_record & any_expectation),
        "expectations_mutual": Count("pk", filter=held & has_record & (both_sides | agreed)),
        "motivation_recorded": Count("pk", filter=held & has_record & motivation),
    }


def _record_counts(counts: dict[str, int]) -> RecordFidelityCounts:
    counts["youth_worker_present"] = counts.pop("bridge")
    counts["third_party_present"] = counts.pop("third_party")
    return RecordFidelityCounts(**counts)


# --- Motivation beside a match (shown, never weighed) -----------------------------------------


def with_latest_intake_motivation(queryset: QuerySet, *, youth: str = "pk") -> QuerySet:
    """Annotate rows with the motivation rating and the "click" of both sides recorded at the
    young person's latest intake that has a record (`youth` is the path to the young person).
    Matching shows them beside a score; they are never part of it."""
    latest = (
        IntakeRecord.objects.filter(meeting__youth=OuterRef(youth))
        .exclude(meeting__status__in=[IntakeMeeting.Status.CANCELLED, IntakeMeeting.Status.NO_SHOW])
        .order_by("-meeting__starts_at", "-pk")
    )
    return queryset.annotate(
        intake_motivation=Subquery(latest.values("motivation_rating")[:1]),
        intake_youth_click=Subquery(latest.values("youth_click")[:1]),
        intake_employer_click=Subquery(latest.values("employer_click")[:1]),
    )


def intakes_scheduled_between(user: User, *, start, end) -> QuerySet[IntakeMeeting]:
    """For the start page: the user's scheduled intakes starting in [start, end), soonest first."""
    return (
        intakes_visible_to(user)
        .filter(status=IntakeMeeting.Status.SCHEDULED, starts_at__gte=start, starts_at__lt=end)
        .select_related("youth")
        .order_by("starts_at", "pk")
    )
