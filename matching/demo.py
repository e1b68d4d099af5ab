"""Invented placements at every follow-up stage, in each city: started 2, 4, 7 and 13 months ago,
their passed follow-ups answered (mostly still there, a few left with a reason, some still
waiting for their answer), and the employers with a placement moved to the "active" stage."""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from employers.models import Employer, Opening
from employers.services import employer_move_stage
from restart_platform.accounts.models import City, User
from restart_platform.notifications.services import morning_of
from youth.models import Consent, YoungPerson
from youth.services import consent_give

from . import services
from .models import FollowUp, Placement

DEMO_MARK = "(demo)"
# Per city: how long ago each placement started, so that every follow-up stage is there.
STARTED_MONTHS_AGO = [2, 4, 7, 13, 4, 13]
# Some young people left: (placement number in its city, the follow-up month that found them gone).
LEFT_AT = {4: 3, 5: 6}
WAITING = {2}  # the latest passed follow-up of these is still to be answered
REASONS = {
    3: "Werktijden waren niet vol te houden naast de zorg voor zijn broertjes.",
    6: "Heeft een opleiding gevonden die beter past; begint na de zomer.",
}
AGREEMENTS = {
    Opening.Kind.JOB: Placement.Agreement.EMPLOYMENT,
    Opening.Kind.PAID_INTERNSHIP: Placement.Agreement.INTERNSHIP,
    Opening.Kind.LEARNING_WORK_PLACE: Placement.Agreement.BBL,
}


def seed(*, stdout=None) -> None:
    if Placement.objects.filter(youth__ambitions__endswith=DEMO_MARK).exists():
        return
    made = []
    for city in City.objects.order_by("slug"):
        coordinator = (
            User.objects.filter(role=User.Role.COORDINATOR, is_active=True, cities=city)
            .order_by("pk")
            .first()
        )
        if coordinator is not None:
            made += _seed_city(city, coordinator=coordinator)
    _activate_employers(made)
    if stdout:
        stdout.write(f"  created {len(made)} placements")


def _seed_city(city: City, *, coordinator: User) -> list[Placement]:
    today = timezone.localdate()
    made = []
    for youth in _candidates(city, count=len(STARTED_MONTHS_AGO)):
        opening = _opening_with_a_place(city)
        if opening is None:
            break
        number = len(made)
        placement = services.placement_create(
            youth=youth,
            opening=opening,
            by=coordinator,
            start_date=today - relativedelta(months=STARTED_MONTHS_AGO[number]),
            hours_per_week=min(opening.hours_per_week, youth.available_hours or 32),
            agreement=AGREEMENTS[opening.kind],
        )
        _answer_passed_follow_ups(placement, number=number, by=coordinator, today=today)
        made.append(placement)
    return made


def _candidates(city: City, *, count: int) -> list[YoungPerson]:
    """Demo young people of the city who agreed to share their profile with employers.

    A profile is shared before someone is placed: where too few agreed, the youth worker
    records the consent of the next few first.
    """
    sharing = Consent.objects.filter(
        youth=OuterRef("pk"),
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
        withdrawn_on__isnull=True,
    )
    placed = Placement.objects.filter(youth=OuterRef("pk"), status=Placement.Status.ACTIVE)
    youth = (
        YoungPerson.objects.current()
        .filter(city=city, ambitions__endswith=DEMO_MARK)
        .exclude(journey=YoungPerson.Journey.LEFT)
        .exclude(Exists(placed))
        .annotate(has_sharing_consent=Exists(sharing))
        .select_related("youth_worker")
        .order_by("-has_sharing_consent", "pk")[:count]
    )
    for person in youth:
        if not person.has_sharing_consent:
            consent_give(
                youth=person,
                purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
                given_on=person.registered_on,
                by=person.youth_worker,
            )
    return list(youth)


def _opening_with_a_place(city: City) -> Opening | None:
    return (
        Opening.objects.filter(
            employer__city=city, status=Opening.Status.OPEN, filled_places__lt=F("places")
        )
        .order_by("filled_places", "pk")
        .first()
    )


def _answer_passed_follow_ups(placement, *, number: int, by: User, today: dt.date) -> None:
    """Answer what was due, each a few days after its date, as a coordinator would have."""
    passed = list(placement.follow_ups.filter(due_on__lte=today).order_by("month"))
    if number in WAITING:
        passed = passed[:-1]
    for follow_up in passed:
        left = LEFT_AT.get(number) == follow_up.month
        services.follow_up_answer(
            follow_up=follow_up,
            by=by,
            still_there=not left,
            reason=REASONS[follow_up.month] if left else "",
        )
        answered_on = min(follow_up.due_on + dt.timedelta(days=3), today)
        FollowUp.objects.filter(pk=follow_up.pk).update(
            answered_at=morning_of(answered_on) + dt.timedelta(hours=2)
        )
        if left:
            Placement.objects.filter(pk=placement.pk).update(ended_on=follow_up.due_on)
            break


def _activate_employers(placements: list[Placement]) -> None:
    """An employer where a young person was placed is an active partner of the alliance."""
    employer_ids = {placement.opening.employer_id for placement in placements}
    for employer in Employer.objects.filter(pk__in=employer_ids).exclude(
        stage=Employer.Stage.ACTIVE
    ):
        employer_move_stage(employer=employer, to_stage=Employer.Stage.ACTIVE, by=employer.owner)
