"""An invented world for `manage.py bench_matching`, built fast with bulk_create.

Uniform random scores make an assignment easy and a benchmark flattering. Real pools are not
like that: career interests cluster around a few popular areas, a handful of skills are held by
almost everyone and others by few, openings crowd into popular sectors, and some openings (no
skills asked, common hours, a circular employer in the central city) suit almost every young
person. Those openings are what makes an optimal assignment work hard, so the world here has
all of that. Everything is invented (Faker nl_NL for names); no real people.
"""

import datetime as dt
import random
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from faker import Faker

from employers.models import Employer, Opening
from intake.models import IntakeMeeting, IntakeRecord
from restart_platform.accounts.models import City, User
from restart_platform.taxonomy.models import InterestArea, Sector, Skill
from youth.models import YoungPerson, YouthSkill

from .models import Placement
from .pools import Pool

BATCH = 1000
KVK_BASE = 40_000_000  # invented KvK numbers: 40000000 and up

# (slug, name, centre, share of young people and employers). Rotterdam and Dordrecht come
# with their centres from the migrations; the towns around them are added here.
CITIES = [
    ("rotterdam", "Rotterdam", None, 45),
    ("dordrecht", "Dordrecht", None, 30),
    ("schiedam", "Schiedam", ("51.919200", "4.398900"), 7),
    ("capelle", "Capelle aan den IJssel", ("51.929200", "4.577800"), 6),
    ("zwijndrecht", "Zwijndrecht", ("51.815000", "4.633300"), 6),
    ("papendrecht", "Papendrecht", ("51.831700", "4.687500"), 3),
    ("vlaardingen", "Vlaardingen", ("51.912500", "4.341700"), 3),
]
CENTRAL_CITY = "rotterdam"

# A few popular areas; each young person draws 1 to 3, mostly within one cluster.
INTEREST_POPULARITY = {
    "technology": 22,
    "logistics": 15,
    "hospitality": 12,
    "repairing": 10,
    "driving": 8,
    "care": 8,
    "construction": 7,
    "it": 6,
    "sales": 5,
    "recycling-reuse": 4,
    "nature": 2,
    "creative": 2,
}
INTEREST_CLUSTERS = [
    {"technology", "repairing", "construction", "it"},
    {"logistics", "driving"},
    {"hospitality", "care", "sales"},
    {"recycling-reuse", "repairing", "nature"},
    {"creative", "it", "sales"},
]
INTEREST_COUNT = {1: 45, 2: 35, 3: 20}
SAME_CLUSTER = 0.8  # chance that a second or third interest comes from the first one's cluster

# Skills from most to least held: each is held about half as often as the one two places up.
SKILL_POPULARITY = [
    "motivation",
    "cooperation",
    "punctuality",
    "willingness-to-learn",
    "communication",
    "flexibility",
    "tools",
    "safety",
    "social-skills",
    "discipline",
    "concentration",
    "authority",
    "sorting",
    "operate-devices",
    "stock",
    "dismantling",
    "forklift",
    "repair-devices",
    "material-knowledge",
    "testing-electronics",
    "refurbishing",
]
SKILLS_HELD = {0: 8, 1: 10, 2: 15, 3: 17, 4: 16, 5: 13, 6: 10, 7: 6, 8: 5}
SKILLS_REQUIRED = {0: 12, 1: 28, 2: 30, 3: 18, 4: 12}
SKILLS_NICE = {0: 35, 1: 35, 2: 20, 3: 10}

SECTOR_POPULARITY = {
    "logistics": 17,
    "installation": 15,
    "recycling": 13,
    "hospitality": 12,
    "facility": 10,
    "construction": 9,
    "repair": 7,
    "reuse-retail": 6,
    "care": 5,
    "manufacturing": 3,
    "refurbishment": 2,
    "green": 1,
}
# Sectors whose fitting interests are the popular ones: where the attractive openings are.
ATTRACTIVE_SECTORS = ["installation", "logistics", "recycling"]
ATTRACTIVE_SHARE = 0.04  # of the openings
OPENINGS_PER_EMPLOYER = 3
CIRCULARITY = {
    Employer.Circularity.CIRCULAR: 35,
    Employer.Circularity.IN_TRANSITION: 40,
    Employer.Circularity.NOT_YET: 25,
}
OPENING_KIND = {
    Opening.Kind.JOB: 60,
    Opening.Kind.PAID_INTERNSHIP: 25,
    Opening.Kind.LEARNING_WORK_PLACE: 15,
}
OPENING_HOURS = {16: 10, 24: 25, 32: 35, 36: 15, 40: 15}
TITLES = {
    "logistics": ["Magazijnmedewerker", "Orderpicker", "Chauffeur-bijrijder"],
    "installation": ["Leerling-monteur installatietechniek", "Assistent elektricien"],
    "recycling": ["Medewerker sorteerlijn", "Medewerker demontage"],
    "hospitality": ["Medewerker bediening", "Hulpkok"],
    "facility": ["Schoonmaker", "Medewerker facilitair"],
    "construction": ["Medewerker circulair slopen", "Leerling-timmerman"],
    "repair": ["Reparateur fietsen", "Reparateur witgoed"],
    "reuse-retail": ["Verkoopmedewerker kringloop", "Medewerker inname"],
    "care": ["Helpende zorg en welzijn", "Medewerker activiteiten"],
    "manufacturing": ["Productiemedewerker", "Operator"],
    "refurbishment": ["Medewerker refurbishment", "Monteur elektronica"],
    "green": ["Hovenier", "Medewerker groenonderhoud"],
}

# Readiness: where each young person is in the journey, and whether an intake was finished.
JOURNEY = {
    YoungPerson.Journey.REGISTERED: 30,
    YoungPerson.Journey.INTAKE: 25,
    YoungPerson.Journey.PROGRAMME: 30,
    YoungPerson.Journey.FOLLOW_UP: 15,
}
FINISHED_INTAKE = {
    YoungPerson.Journey.REGISTERED: 0.15,
    YoungPerson.Journey.INTAKE: 0.5,
    YoungPerson.Journey.PROGRAMME: 0.9,
    YoungPerson.Journey.FOLLOW_UP: 0.9,
}
OUTCOME = {
    IntakeRecord.Outcome.PROGRAMME: 40,
    IntakeRecord.Outcome.PLACEMENT: 20,
    IntakeRecord.Outcome.BUDDY: 10,
    IntakeRecord.Outcome.NOT_NOW: 20,
    IntakeRecord.Outcome.OTHER: 10,
}
AVAILABLE_HOURS = {None: 10, 8: 5, 16: 15, 24: 25, 32: 30, 40: 15}
TRAVEL_RANGE_KM = {5: 15, 10: 30, 15: 20, 20: 15, 25: 12, 40: 8}
REFERRALS = list(YoungPerson.Referral.values)


@dataclass(frozen=True)
class BenchWorld:
    admin: User
    youth_ids: list[int]
    opening_ids: list[int]
    attractive_ids: list[int]  # the openings that suit almost everyone
    places: int
    cities: dict[str, int]  # young people per city


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _sample(rng: random.Random, weights: dict, k: int) -> list:
    """k distinct keys, each drawn with a chance in proportion to its weight (Efraimidis and
    Spirakis: the k largest of u ** (1 / w))."""
    keyed = sorted(weights, key=lambda key: rng.random() ** (1 / weights[key]), reverse=True)
    return keyed[:k]


@transaction.atomic
def build_world(*, youth: int, openings: int, places: int, seed: int) -> BenchWorld:
    """Young people, openings with `places` places in all, and what scoring reads of them."""
    if youth < 1 or openings < 1 or places < openings:
        raise ValueError("Needs a young person, an opening, and at least one place per opening.")
    rng = random.Random(seed)  # noqa: S311 - invented benchmark data, not security  # nosec B311
    fake = Faker("nl_NL")
    fake.seed_instance(seed)
    cities = _cities()
    admin, coordinators, youth_workers = _users(cities)
    youth_rows = _youth(rng, fake, youth, cities, youth_workers)
    _intakes(rng, youth_rows, youth_workers)
    opening_rows, attractive = _openings(rng, fake, openings, places, cities, coordinators)
    return BenchWorld(
        admin=admin,
        youth_ids=[row.pk for row in youth_rows],
        opening_ids=[row.pk for row in opening_rows],
        attractive_ids=[row.pk for row in attractive],
        places=sum(row.places for row in opening_rows),
        cities={
            city.name: sum(1 for row in youth_rows if row.city_id == city.pk)
            for city in cities.values()
        },
    )


def _cities() -> dict[str, City]:
    cities = {}
    for slug, name, centre, _share in CITIES:
        city = City.objects.get_or_create(slug=slug, defaults={"name": name})[0]
        if centre and city.latitude is None:
            city.latitude, city.longitude = (Decimal(value) for value in centre)
            city.save(update_fields=["latitude", "longitude"])
        cities[slug] = city
    return cities


def _users(cities: dict[str, City]) -> tuple[User, dict[int, User], dict[int, User]]:
    """An admin to look through, and per city a coordinator (owning its employers) and a youth
    worker (with its young people). No one logs in: their passwords are unusable."""
    unusable = make_password(None)
    admin = User.objects.create(
        username="bench.admin",
        role=User.Role.ADMIN,
        is_staff=True,
        is_superuser=True,
        password=unusable,
    )
    coordinators, youth_workers = {}, {}
    for slug, city in cities.items():
        coordinators[city.pk] = User(
            username=f"bench.coord.{slug}", role=User.Role.COORDINATOR, password=unusable
        )
        youth_workers[city.pk] = User(
            username=f"bench.jw.{slug}", role=User.Role.YOUTH_WORKER, password=unusable
        )
    User.objects.bulk_create([*coordinators.values(), *youth_workers.values()])
    User.cities.through.objects.bulk_create(
        User.cities.through(user_id=user.pk, city_id=city_id)
        for city_id, user in coordinators.items()
    )
    return admin, coordinators, youth_workers


def _city_share(cities: dict[str, City]) -> dict[City, int]:
    return {cities[slug]: share for slug, _name, _centre, share in CITIES}


def _youth(rng, fake, count, cities, youth_workers) -> list[YoungPerson]:
    today = timezone.localdate()
    shares = _city_share(cities)
    people = []
    for _ in range(count):
        city = _pick(rng, shares)
        registered = today - dt.timedelta(days=rng.randint(0, 500))
        people.append(
            YoungPerson(
                first_name=fake.first_name(),
                last_name=fake.last_name(),
                date_of_birth=today - dt.timedelta(days=rng.randint(16 * 365 + 200, 26 * 365)),
                registered_on=registered,
                city=city,
                youth_worker=youth_workers[city.pk],
                referred_by=rng.choice(REFERRALS),
                journey=_pick(rng, JOURNEY),
                available_days=sorted(rng.sample(["mon", "tue", "wed", "thu", "fri"], 3)),
                available_hours=_pick(rng, AVAILABLE_HOURS),
                available_from=None
                if rng.random() < 0.2
                else today + dt.timedelta(days=rng.randint(-60, 75)),
                travel_range_km=_pick(rng, TRAVEL_RANGE_KM),
            )
        )
    people = YoungPerson.objects.bulk_create(people, batch_size=BATCH)
    _youth_interests(rng, people)
    _youth_skills(rng, people)
    return people


def _youth_interests(rng, people: list[YoungPerson]) -> None:
    areas = dict(
        InterestArea.objects.filter(slug__in=INTEREST_POPULARITY).values_list("slug", "pk")
    )
    Through = YoungPerson.interests.through
    rows = []
    for person in people:
        first = _pick(rng, INTEREST_POPULARITY)
        cluster = set().union(*(group for group in INTEREST_CLUSTERS if first in group))
        chosen = [first]
        for _ in range(_pick(rng, INTEREST_COUNT) - 1):
            pool = cluster if rng.random() < SAME_CLUSTER else INTEREST_POPULARITY
            # Sorted: a set's order changes from run to run, and the seed must give one world.
            options = {
                slug: INTEREST_POPULARITY[slug] for slug in sorted(pool) if slug not in chosen
            }
            if options:
                chosen.append(_pick(rng, options))
        rows += [Through(youngperson_id=person.pk, interestarea_id=areas[slug]) for slug in chosen]
    Through.objects.bulk_create(rows, batch_size=BATCH)


def _skill_weights() -> dict[int, float]:
    skills = dict(Skill.objects.filter(slug__in=SKILL_POPULARITY).values_list("slug", "pk"))
    return {skills[slug]: 0.5 ** (rank / 2) for rank, slug in enumerate(SKILL_POPULARITY)}


def _youth_skills(rng, people: list[YoungPerson]) -> None:
    weights = _skill_weights()
    YouthSkill.objects.bulk_create(
        (
            YouthSkill(youth_id=person.pk, skill_id=skill)
            for person in people
            for skill in _sample(rng, weights, _pick(rng, SKILLS_HELD))
        ),
        batch_size=BATCH,
    )


def _intakes(rng, people: list[YoungPerson], youth_workers: dict[int, User]) -> None:
    """A finished intake for many of those past registration; "not now" caps readiness."""
    now = timezone.now()
    finished = [
        (person, now - dt.timedelta(days=rng.randint(3, 300)))
        for person in people
        if rng.random() < FINISHED_INTAKE[person.journey]
    ]
    meetings = IntakeMeeting.objects.bulk_create(
        (
            IntakeMeeting(
                youth_id=person.pk,
                youth_worker=youth_workers[person.city_id],
                created_by=youth_workers[person.city_id],
                starts_at=at - dt.timedelta(hours=2),
                place="Jongerencentrum",
            )
            for person, at in finished
        ),
        batch_size=BATCH,
    )
    IntakeRecord.objects.bulk_create(
        (
            IntakeRecord(
                meeting=meeting,
                status=IntakeRecord.Status.FINISHED,
                outcome=IntakeRecord.Outcome.PROGRAMME
                if person.journey == YoungPerson.Journey.PROGRAMME and rng.random() < 0.8
                else _pick(rng, OUTCOME),
                motivation_rating=rng.randint(1, 5),
                next_step="Bellen over het vervolg",
                next_step_on=at.date() + dt.timedelta(days=14),
                finished_at=at,
                finished_by=youth_workers[person.city_id],
            )
            for meeting, (person, at) in zip(meetings, finished, strict=True)
        ),
        batch_size=BATCH,
    )


def _openings(rng, fake, count, places, cities, coordinators):
    attractive_count = round(count * ATTRACTIVE_SHARE)
    regular = _employers(
        rng, fake, max(1, (count - attractive_count) // OPENINGS_PER_EMPLOYER), cities, coordinators
    )
    central = _employers(
        rng,
        fake,
        max(1, attractive_count // 2) if attractive_count else 0,
        cities,
        coordinators,
        offset=len(regular),
        attractive=True,
    )
    sectors = dict(Sector.objects.values_list("pk", "slug"))
    today = timezone.localdate()
    rows = [
        _opening(rng, rng.choice(central), sectors, today, attractive=True)
        for _ in range(attractive_count)
    ] + [
        _opening(rng, rng.choice(regular), sectors, today, attractive=False)
        for _ in range(count - attractive_count)
    ]
    # One place each, and the rest spread at random: most openings have one, some a few more.
    for _ in range(places - count):
        rng.choice(rows).places += 1
    rows = Opening.objects.bulk_create(rows, batch_size=BATCH)
    _opening_skills(rng, rows[attractive_count:], rows[:attractive_count])
    return rows, rows[:attractive_count]


def _employers(rng, fake, count, cities, coordinators, *, offset=0, attractive=False):
    shares = _city_share(cities)
    sectors = dict(Sector.objects.values_list("slug", "pk"))
    employers = []
    for number in range(count):
        city = cities[CENTRAL_CITY] if attractive else _pick(rng, shares)
        sector = rng.choice(ATTRACTIVE_SECTORS) if attractive else _pick(rng, SECTOR_POPULARITY)
        employers.append(
            Employer(
                name=fake.company(),
                kvk_number=f"{KVK_BASE + offset + number:08d}",
                city=city,
                sector_id=sectors[sector],
                circularity=Employer.Circularity.CIRCULAR
                if attractive
                else _pick(rng, CIRCULARITY),
                size=rng.choice(Employer.Size.values),
                owner=coordinators[city.pk],
                stage=Employer.Stage.COMMITTED,
            )
        )
    return Employer.objects.bulk_create(employers, batch_size=BATCH)


def _opening(rng, employer: Employer, sectors: dict[int, str], today, *, attractive: bool):
    kind = Opening.Kind.JOB if attractive else _pick(rng, OPENING_KIND)
    learning = kind == Opening.Kind.LEARNING_WORK_PLACE
    return Opening(
        employer=employer,
        kind=kind,
        title=rng.choice(TITLES[sectors[employer.sector_id]]),
        # Attractive openings ask common hours and start after almost everyone is available.
        hours_per_week=rng.choice([16, 24]) if attractive else _pick(rng, OPENING_HOURS),
        start_date=today
        + dt.timedelta(days=rng.randint(80, 100) if attractive else rng.randint(7, 120)),
        location=employer.city.name,
        places=1,
        crebo_code=f"{rng.randint(25000, 25999)}" if learning else "",
        mbo_level=rng.choice([1, 2]) if learning else None,
    )


def _opening_skills(rng, regular: list[Opening], attractive: list[Opening]) -> None:
    weights = _skill_weights()
    common = sorted(weights, key=weights.get, reverse=True)[:3]
    required, nice = Opening.required_skills.through, Opening.nice_to_have_skills.through
    required_rows, nice_rows = [], []
    for opening in regular:
        cut = _pick(rng, SKILLS_REQUIRED)
        asked = _sample(rng, weights, cut + _pick(rng, SKILLS_NICE))
        required_rows += [required(opening_id=opening.pk, skill_id=skill) for skill in asked[:cut]]
        nice_rows += [nice(opening_id=opening.pk, skill_id=skill) for skill in asked[cut:]]
    for opening in attractive:  # no skills asked, or one that almost everyone holds
        if rng.random() < 0.3:
            required_rows.append(required(opening_id=opening.pk, skill_id=rng.choice(common)))
    required.objects.bulk_create(required_rows, batch_size=BATCH)
    nice.objects.bulk_create(nice_rows, batch_size=BATCH)


# --- The pool a proposal works on ------------------------------------------------------------


def open_pool(*, youth_ids=None, opening_ids=None) -> Pool:
    """The filters of `pools.city_pool`, over every city at once (optionally within the given
    ids): the young people who may be proposed and the open openings with their free places."""
    placed = Placement.objects.filter(status=Placement.Status.ACTIVE).values("youth")
    youth = YoungPerson.objects.filter(merged_into=None).exclude(
        journey__in=(YoungPerson.Journey.PLACED, YoungPerson.Journey.LEFT)
    )
    openings = Opening.objects.filter(status=Opening.Status.OPEN, places__gt=F("filled_places"))
    if youth_ids is not None:
        youth = youth.filter(pk__in=youth_ids)
    if opening_ids is not None:
        openings = openings.filter(pk__in=opening_ids)
    rows = openings.order_by("pk").values_list("pk", "places", "filled_places")
    return Pool(
        youth_ids=list(youth.exclude(pk__in=placed).order_by("pk").values_list("pk", flat=True)),
        opening_ids=[pk for pk, _places, _filled in rows],
        free_places=[places - filled for _pk, places, filled in rows],
    )
