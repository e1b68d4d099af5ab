"""Invented intakes for the demo young people: some held and recorded, some still to come."""

import datetime as dt
import random

from django.utils import timezone
from faker import Faker

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
    people = list(Contact.objects.select_related("employer"))
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
        # An intake is with an employer of the young person's own city.
        local = [c for c in contacts if c.employer.city_id == person.city_id]
        contact = local[number % len(local)] if local and number % 2 == 0 else None
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
        if number % 3:  # two in three took place already
            here = [c for c in people if c.employer.city_id == person.city_id]
            _hold(meeting, number=number, rng=rng, people=here)
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


def _hold(meeting, *, number, rng, people) -> None:
    held = office_slot(
        timezone.localdate() - dt.timedelta(days=rng.randint(2, 40)), rng, earlier=True
    )
    IntakeMeeting.objects.filter(pk=meeting.pk).update(starts_at=held)
    # Held in the (invented) past: its invitations and reminders are history, not news.
    cancel_reminders(about=meeting)
    meeting.refresh_from_db()
    if number % 7 == 4:  # now and then someone does not come
        services.intake_record_attendance(
            meeting=meeting,
            by=meeting.youth_worker,
            status=IntakeMeeting.Status.NO_SHOW,
            absent=rng.choice(list(IntakeMeeting.Absent.values)),
        )
        return
    _attendance(meeting, number=number, rng=rng, people=people)
    fields = {
        "motivation_words": "Ik wil laten zien dat ik het kan en mijn eigen geld verdienen.",
        "motivation_rating": rng.randint(3, 5),
        "motivation_drivers": "Zelfstandig wonen; een voorbeeld zijn voor zijn broertje.",
        "youth_expectations": "Duidelijke uitleg en een vaste begeleider.",
        "employer_expectations": "Op tijd komen en vragen durven stellen.",
        "agreed_expectations": "Eerst twee weken meelopen, dan samen evalueren.",
        "non_committal": rng.choice(["yes", "yes", "yes", "no", ""]),
        "youth_click": IntakeRecord.Click.YES,
        "employer_click": rng.choice([IntakeRecord.Click.YES, IntakeRecord.Click.UNSURE]),
    }
    # A few stay a draft (the caseload shows them as awaiting an outcome), and a draft may
    # still miss the answer on non-committal; a finished record always has it.
    finished = number % 5 != 1
    if finished and not fields["non_committal"]:
        fields["non_committal"] = "yes"
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
    barriers = list(meeting.youth.barriers.filter(is_resolved=False))
    services.intake_record_save(
        meeting=meeting,
        by=meeting.youth_worker,
        version=None,
        finish=finished,
        barriers=barriers,
        no_barriers_found=not barriers,
        network_factors=list(meeting.youth.network_factors.all()[:2]),
        new_helping_factor="Oom met een eigen garage wil meedenken." if number % 4 == 0 else "",
        **fields,
    )


def _attendance(meeting, *, number, rng, people) -> None:
    """Who was there: often the planned contact, sometimes a colleague without an account."""
    planned = getattr(meeting.employer_contact, "employer_contact", None)
    colleague = rng.choice(people) if people else None
    fake = Faker("nl_NL")
    fake.seed_instance(number)
    by_name = number % 3 == 2 or (planned is None and colleague is None)
    third_party_came = number % 4 != 3
    services.intake_record_attendance(
        meeting=meeting,
        by=meeting.youth_worker,
        status=IntakeMeeting.Status.HELD,
        youth_present=True,
        youth_worker_present=True,
        employer_present=True,
        present_contact=None if by_name else (planned or colleague),
        present_employer_name=fake.name() if by_name else "",
        present_employer_role=rng.choice(["Teamleider werkplaats", "Eigenaar", "HR-adviseur"])
        if by_name
        else "",
        third_party_present=third_party_came and meeting.third_party_id is not None,
        third_party=meeting.third_party,
        third_party_name="",
        third_party_authority=meeting.third_party_authority,
    )
