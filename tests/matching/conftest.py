"""A small world to score: Rotterdam and Dordrecht with their coordinates, a third city without,
the seeded sectors with their career interests, and builders for young people and openings."""

import datetime as dt
import importlib
import random

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from employers.factories import EmployerFactory, OpeningFactory
from employers.models import Employer
from intake.factories import IntakeRecordFactory
from intake.models import IntakeRecord
from restart_platform.accounts.factories import city
from restart_platform.taxonomy.models import InterestArea, Sector, Skill
from youth.factories import YoungPersonFactory
from youth.models import YoungPerson, YouthSkill

# Data migrations, applied again: a transactional test elsewhere may have flushed what they seeded.
city_coordinates = importlib.import_module(
    "restart_platform.accounts.migrations.0005_seed_city_coordinates"
)
sector_interests = importlib.import_module(
    "restart_platform.taxonomy.migrations.0004_map_sectors_to_interest_areas"
)

TODAY = dt.date(2026, 12, 1)

# How HTMX asks for a panel once the page it sits on has loaded.
HTMX = {"HX-Request": "true"}


def youth_panel(youth: YoungPerson) -> str:
    """Matching's panel on the young person's profile."""
    return reverse("matching:youth_detail_panel", args=[youth.pk])


def opening_panel(opening) -> str:
    """Matching's panel on the opening's page."""
    return reverse("matching:opening_detail_panel", args=[opening.pk])


@pytest.fixture
def cities(rotterdam, dordrecht):
    city_coordinates.add_coordinates(apps, None)
    rotterdam.refresh_from_db()
    dordrecht.refresh_from_db()
    return {"rotterdam": rotterdam, "dordrecht": dordrecht, "schiedam": city("schiedam")}


@pytest.fixture
def sectors(db):
    sector_interests.link_interest_areas(apps, None)
    Sector.objects.get_or_create(
        slug="test-no-interests", defaults={"name_nl": "Zonder", "name_en": "Without"}
    )
    return {sector.slug: sector for sector in Sector.objects.all()}


def make_youth(jw, home, *, interests=(), skills=(), **fields) -> YoungPerson:
    fields.setdefault("available_from", TODAY)
    youth = YoungPersonFactory(youth_worker=jw, city=home, **fields)
    youth.interests.set(InterestArea.objects.filter(slug__in=interests))
    YouthSkill.objects.bulk_create(
        YouthSkill(youth=youth, skill=skill) for skill in Skill.objects.filter(slug__in=skills)
    )
    return youth


def fitting_youth(jw, home, **fields) -> YoungPerson:
    """Interested in technology (which recycling needs), holding tools and safety, in the
    programme, available 32 hours and willing to travel 40 km: a good fit for a recycling
    opening asking those skills."""
    fields = {
        "interests": ["technology"],
        "skills": ["tools", "safety"],
        "journey": YoungPerson.Journey.PROGRAMME,
        "travel_range_km": 40,
        "available_hours": 32,
        **fields,
    }
    return make_youth(jw, home, **fields)


def make_opening(
    place, sector, *, circularity=Employer.Circularity.CIRCULAR, required=(), nice=(), **fields
):
    fields.setdefault("start_date", TODAY)
    employer = EmployerFactory(city=place, sector=sector, circularity=circularity)
    opening = OpeningFactory(employer=employer, **fields)
    opening.required_skills.set(Skill.objects.filter(slug__in=required))
    opening.nice_to_have_skills.set(Skill.objects.filter(slug__in=nice))
    return opening


def finish_intake(youth, outcome, *, days_ago=10, status=IntakeRecord.Status.FINISHED):
    finished = status == IntakeRecord.Status.FINISHED
    return IntakeRecordFactory(
        meeting__youth=youth,
        status=status,
        outcome=outcome,
        next_step="Bellen over het vervolg",
        next_step_on=TODAY,
        finished_at=timezone.now() - dt.timedelta(days=days_ago) if finished else None,
    )


@pytest.fixture
def random_world(cities, sectors, jw_rotterdam):
    """Builds n young people and m openings with random skills, interests and availability."""

    def build(n_youth: int, n_openings: int, seed: int = 5) -> tuple[list[int], list[int]]:
        rng = random.Random(seed)
        places = list(cities.values())
        areas = list(InterestArea.objects.values_list("slug", flat=True))
        skills = list(Skill.objects.values_list("slug", flat=True))
        youth_ids = []
        for _ in range(n_youth):
            youth = make_youth(
                jw_rotterdam,
                rng.choice(places),
                interests=rng.sample(areas, rng.randint(0, 3)),
                skills=rng.sample(skills, rng.randint(0, 8)),
                available_hours=rng.choice([None, 0, 8, 16, 24, 32, 40]),
                available_from=rng.choice([None, TODAY + dt.timedelta(days=rng.randint(-30, 90))]),
                travel_range_km=rng.choice([5, 15, 19, 20, 25, 40]),
                journey=rng.choice([j for j in YoungPerson.Journey.values if j != "left"]),
            )
            if rng.random() < 0.3:
                finish_intake(youth, rng.choice(IntakeRecord.Outcome.values))
            youth_ids.append(youth.pk)
        opening_ids = []
        for _ in range(n_openings):
            opening = make_opening(
                rng.choice(places),
                rng.choice(list(sectors.values())),
                circularity=rng.choice(Employer.Circularity.values),
                required=rng.sample(skills, rng.randint(0, 5)),
                nice=rng.sample(skills, rng.randint(0, 3)),
                hours_per_week=rng.choice([8, 16, 24, 32, 36, 40]),
                start_date=TODAY + dt.timedelta(days=rng.randint(-20, 100)),
            )
            opening_ids.append(opening.pk)
        return youth_ids, opening_ids

    return build
