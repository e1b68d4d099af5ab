"""Invented intakes for the demo young people: some held and recorded, some still to come."""

import datetime as dt
import random

from django.utils import timezone

from employers.models import Contact, Opening
from restart_platform.accounts.models import User
from restart_platform.notifications.services import cancel_reminders
from youth.models import YoungPerson

from . import services
from .models import IntakeMeeting, IntakeRecord

INTAKE_COUNT = 36


def seed(*, stdout=None) -> None:
    if IntakeMeeting.objects.exists():
        return
    rng = random.Random(5)  # noqa: S311 - invented demo data, not security  # nosec B311
    contacts = list(Contact.objects.filter(user__isnull=False).select_related("employer", "user"))
    youth = list(
        YoungPerson.objects.current()
        .filter(ambitions__endswith="(demo)")
        .select_related("youth_worker", "city")
        .order_by("pk")
    )
    coordinators = {
        city_id: User.objects.filter(role=User.Role.COORDINATOR, cities=city_id).first()
        for city_id in {y.city_id for y in youth}
    }
    for number, person in enumerate(youth[:INTAKE_COUNT]):
        contact = contacts[number % len(contacts)] if contacts and number % 2 == 0 else None
        opening = (
            Opening.objects.filter(employer=contact.employer, status="open").first()
            if contact
            else None
        )
        meeting = services.intake_schedule(
            youth=person,
            by=person.youth_worker,
            starts_at=office_slot(
                timezone.localdate() + dt.timedelta(days=rng.randint(1, 20)), rng
            ),
            place=rng.choice(
                ["Jongerencentrum De Kiem", "Werkplaats van de werkgever", "Wijkcentrum Oost"]
            ),
            employer_contact=contact.user if contact else None,
            opening=opening,
            third_party=coordinators.get(person.city_id),
        )
        if number % 3:  # two in three were held already
            _hold(meeting, number=number, rng=rng)
    if stdout:
        stdout.write(f"  created {min(INTAKE_COUNT, len(youth))} intakes")


def office_slot(day: dt.date, rng: random.Random, *, earlier: bool = False) -> dt.datetime:
    """A time people would plan a meeting at: a working day, 09:00 to 16:45, on a whole quarter.

    A weekend day moves to the Monday after, or to the Friday before when `earlier`.
    """
    step = -1 if earlier else 1
    while day.weekday() >= 5:
        day += dt.timedelta(days=step)
    quarter = rng.randrange(9 * 4, 17 * 4)
    return dt.datetime.combine(
        day, dt.time(quarter // 4, quarter % 4 * 15), tzinfo=timezone.get_default_timezone()
    )


def _hold(meeting, *, number, rng) -> None:
    held = office_slot(
        timezone.localdate() - dt.timedelta(days=rng.randint(2, 40)), rng, earlier=True
    )
    IntakeMeeting.objects.filter(pk=meeting.pk).update(starts_at=held)
    # Held in the (invented) past: its invitations and reminders are history, not news.
    cancel_reminders(about=meeting)
    meeting.refresh_from_db()
    fields = {
        "motivation_words": "Ik wil laten zien dat ik het kan en mijn eigen geld verdienen.",
        "motivation_rating": rng.randint(3, 5),
        "motivation_drivers": "Zelfstandig wonen; een voorbeeld zijn voor zijn broertje.",
        "youth_expectations": "Duidelijke uitleg en een vaste begeleider.",
        "employer_expectations": "Op tijd komen en vragen durven stellen.",
        "agreed_expectations": "Eerst twee weken meelopen, dan samen evalueren.",
        "was_non_committal": True,
        "youth_click": IntakeRecord.Click.YES,
        "employer_click": rng.choice([IntakeRecord.Click.YES, IntakeRecord.Click.UNSURE]),
    }
    finished = number % 5 != 1  # a few stay a draft: the caseload shows them as awaiting an outcome
    if finished:
        outcome = (
            IntakeRecord.Outcome.PLACEMENT if meeting.opening_id else IntakeRecord.Outcome.PROGRAMME
        )
        fields |= {
            "outcome": outcome,
            "outcome_opening": meeting.opening,
            "next_step": "Startgesprek plannen",
            "next_step_on": timezone.localdate() + dt.timedelta(days=rng.randint(3, 20)),
        }
    services.intake_record_save(
        meeting=meeting,
        by=meeting.youth_worker,
        version=None,
        finish=finished,
        barriers=meeting.youth.barriers.filter(is_resolved=False),
        **fields,
    )
