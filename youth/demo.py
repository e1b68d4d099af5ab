"""About 120 invented young people in both cities, over the demo youth workers' caseloads,
with barriers, network factors, consents and contact logs."""

import datetime as dt
import random

from django.utils import timezone
from faker import Faker

from restart_platform.accounts.models import User
from restart_platform.taxonomy.models import InterestArea, Skill

from . import services
from .models import Barrier, Consent, NetworkFactor, YoungPerson

YOUTH_COUNT = 120
DEMO_MARK = "(demo)"
AMBITIONS = [
    "Ik wil iets met mijn handen doen, het liefst met techniek.",
    "Later wil ik mijn eigen fietsenwerkplaats.",
    "Geld verdienen en een diploma halen naast het werk.",
    "Iets met computers: repareren of klaarmaken voor hergebruik.",
    "Buiten werken, in het groen of op de bouw.",
]
HELPING = [
    "Moeder steunt de keuze voor werk.",
    "Voetbaltrainer is een belangrijk voorbeeld.",
    "Oom werkt in een garage.",
]
HINDERING = [
    "Vrienden hangen veel op straat.",
    "Thuis weinig rust.",
    "Zorgt veel voor jongere broertjes.",
]


def seed(*, stdout=None) -> None:
    if YoungPerson.objects.filter(ambitions__endswith=DEMO_MARK).exists():
        return
    fake = Faker("nl_NL")
    fake.seed_instance(4)
    rng = random.Random(4)  # noqa: S311 - invented demo data, not security  # nosec B311
    workers = list(
        User.objects.filter(role=User.Role.YOUTH_WORKER, username__startswith="jw.")
        .select_related("organisation__city")
        .order_by("username")
    )
    if not workers:
        return
    interests, skills = list(InterestArea.objects.all()), list(Skill.objects.all())
    today = timezone.localdate()
    for number in range(YOUTH_COUNT):
        worker = workers[number % len(workers)]
        age = rng.randint(16, 26)
        registered = today - dt.timedelta(days=rng.randint(5, 200))
        born = registered - dt.timedelta(days=int(365.25 * age) + rng.randint(10, 300))
        under_18 = age < 18
        youth = services.youth_register(
            by=worker,
            interests=rng.sample(interests, 2),
            skills=rng.sample(skills, 3),
            first_name=fake.first_name(),
            last_name=fake.last_name(),
            date_of_birth=born,
            email=f"jongere{number}@example.org",
            phone=f"06 {30_000_000 + number}",
            address=fake.street_address(),
            postcode=fake.postcode(),
            city=worker.organisation.city,
            youth_worker=worker,
            last_school=rng.choice(
                ["Zadkine", "Albeda", "Da Vinci College", "Praktijkschool De Brug"]
            ),
            school_level=rng.choice(["vmbo", "pro", "mbo1", "havo", "mbo2"]),
            **_school(number, rng=rng, registered=registered, under_18=under_18),
            ambitions=f"{rng.choice(AMBITIONS)} {DEMO_MARK}",
            available_days=rng.sample(["mon", "tue", "wed", "thu", "fri"], 4),
            available_hours=rng.choice([16, 24, 32, 36]),
            available_from=today + dt.timedelta(days=rng.randint(0, 60)),
            travel_range_km=rng.choice([5, 10, 15, 25]),
            referred_by=rng.choice(YoungPerson.Referral.values),
            registered_on=registered,
        )
        _fill(youth, worker=worker, number=number, rng=rng, registered=registered, today=today)
    if stdout:
        stdout.write(f"  created {YOUTH_COUNT} young people")


def _school(number: int, *, rng, registered, under_18: bool) -> dict:
    """Most left school without a startkwalificatie; some are still at school but at risk of
    leaving; now and then one is registered outside the target group, with the reason why."""
    left_on = registered - dt.timedelta(days=rng.randint(30, 400))
    school = {
        "left_school_on": left_on,
        "at_risk_of_leaving": False,
        "has_startkwalificatie": False,
        "target_group_reason": "",
        "school_obligation_arrangement": (
            "Afspraak met de leerplichtambtenaar: BBL-plek zoeken, tot dan twee dagen school."
            if under_18
            else ""
        ),
    }
    if number % 6 == 5:
        school |= {"left_school_on": None, "at_risk_of_leaving": True}
    if number % 17 == 16:
        school |= {
            "has_startkwalificatie": True,
            "school_obligation_arrangement": "",
            "target_group_reason": rng.choice(
                [
                    "Mbo-2-diploma, maar na twee jaar thuiszitten geen aansluiting meer op werk.",
                    "Diploma uit het buitenland niet erkend; wil via een leerwerkplek instromen.",
                ]
            ),
        }
    return school


def _fill(youth, *, worker, number, rng, registered, today) -> None:
    if number % 9 != 0:  # a few still miss their registration consent: the caseload page shows them
        services.consent_give(
            youth=youth, purpose=Consent.Purpose.REGISTRATION, given_on=registered, by=worker
        )
    if number % 3 == 0:
        services.consent_give(
            youth=youth,
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
            given_on=registered,
            by=worker,
        )
    for _ in range(rng.randint(0, 2)):
        services.barrier_save(
            barrier=Barrier(
                youth=youth,
                kind=rng.choice(Barrier.Kind.values),
                severity=rng.randint(1, 3),
                note="Besproken in het laatste gesprek; er loopt een afspraak.",
            ),
            by=worker,
        )
    services.network_factor_save(
        factor=NetworkFactor(
            youth=youth, effect=NetworkFactor.Effect.HELPS, description=rng.choice(HELPING)
        ),
        by=worker,
    )
    if number % 4 == 0:
        services.network_factor_save(
            factor=NetworkFactor(
                youth=youth, effect=NetworkFactor.Effect.HINDERS, description=rng.choice(HINDERING)
            ),
            by=worker,
        )
    # Most had a recent contact; some were left alone too long, so their reminder is due.
    quiet = number % 10 == 0
    last = today - dt.timedelta(days=rng.randint(35, 60) if quiet else rng.randint(0, 20))
    services.contact_log(
        youth=youth,
        by=worker,
        kind=rng.choice(["in_person", "phone", "message"]),
        date=max(last, registered),
        summary="Gesproken over werk, school en hoe het thuis gaat.",
    )
