"""About 40 invented employers in Dordrecht and Rotterdam, in every stage a lead can reach
without a placement, with contacts, interactions, demand profiles and openings."""

import datetime as dt
import random

from django.utils import timezone
from faker import Faker

from restart_platform.accounts.models import City, User
from restart_platform.taxonomy.models import Sector, Skill

from . import services
from .models import Contact, Employer, Interaction, NetworkPartner, Opening

EMPLOYER_COUNT = 40
KVK_BASE = 70_000_000  # demo KvK numbers: 70000000 and up
# Active needs a placement; the matching app's demo data moves employers there.
DEMO_STAGES = [stage for stage in Employer.Stage.values if stage != Employer.Stage.ACTIVE]
ACTIVITIES = [
    "Repareert en verkoopt gebruikte wasmachines en koelkasten.",
    "Demonteert elektronica en sorteert metalen en kunststoffen.",
    "Maakt laptops en telefoons klaar voor hergebruik.",
    "Kringloopwinkel met eigen werkplaats voor meubels.",
    "Sloopt gebouwen circulair en verkoopt bouwmaterialen opnieuw.",
    "Werkt aan minder afval in de eigen productie.",
]
OPENING_TITLES = [
    "Medewerker demontage",
    "Reparateur witgoed",
    "Magazijnmedewerker",
    "Medewerker sorteerlijn",
    "Monteur elektronica",
    "Verkoopmedewerker kringloop",
    "Chauffeur-bijrijder",
    "Medewerker refurbishment",
]


def seed(*, stdout=None) -> None:
    if Employer.objects.filter(kvk_number__startswith=str(KVK_BASE)[:2]).exists():
        return
    fake = Faker("nl_NL")
    fake.seed_instance(3)
    rng = random.Random(3)  # noqa: S311 - invented demo data, not security  # nosec B311
    cities = list(City.objects.order_by("slug"))
    coordinators = {
        city.pk: User.objects.filter(role=User.Role.COORDINATOR, cities=city).first()
        for city in cities
    }
    sectors, skills = list(Sector.objects.all()), list(Skill.objects.all())
    employers = []
    for number in range(EMPLOYER_COUNT):
        city = cities[number % len(cities)]
        owner = coordinators[city.pk]
        employer = services.employer_create(
            by=owner,
            name=_invented_name(fake, rng),
            kvk_number=f"{KVK_BASE + number:08d}",
            city=city,
            address=fake.street_address(),
            postcode=fake.postcode(),
            sector=rng.choice(sectors),
            circularity=Employer.Circularity.values[number % 3],
            circular_activity=rng.choice(ACTIVITIES),
            size=rng.choice(Employer.Size.values),
            website=f"https://www.{fake.domain_word()}.example",
            found_via=rng.choice(Employer.Source.values),
            owner=owner,
            is_accredited_learning_company=number % 4 == 0,
        )
        _fill(employer, owner=owner, number=number, fake=fake, rng=rng, skills=skills)
        employers.append(employer)
    _link_demo_contacts(employers)
    _seed_partners(cities, coordinators)
    if stdout:
        stdout.write(f"  created {len(employers)} employers")


TRADES = [
    "Recycling",
    "Reparatie",
    "Kringloop",
    "Demontage",
    "Techniek",
    "Hergebruik",
    "Refurbish",
    "Metaalhandel",
]


def _invented_name(fake, rng) -> str:
    """A made-up company: a surname and a trade (Faker's company list holds real firms)."""
    return f"{fake.unique.last_name()} {rng.choice(TRADES)} (demo)"


def _fill(employer, *, owner, number, fake, rng, skills) -> None:
    stage = DEMO_STAGES[number % len(DEMO_STAGES)]
    for _ in range(rng.randint(1, 2)):
        Contact.objects.create(
            employer=employer,
            name=fake.name(),
            job_title=rng.choice(["Eigenaar", "HR-adviseur", "Bedrijfsleider"]),
            email=f"{fake.user_name()}@example.org",
            phone=f"06 {rng.randint(10_000_000, 99_999_999)}",
        )
    today = timezone.localdate()
    # Some leads are left without contact for over 30 days: the weekly digest is about them.
    last_contact = today - dt.timedelta(days=rng.choice([3, 12, 25, 45, 70]))
    for days_before in (0, 14):
        services.interaction_log(
            employer=employer,
            by=owner,
            kind=rng.choice(Interaction.Kind.values),
            date=last_contact - dt.timedelta(days=days_before),
            summary=fake.paragraph(nb_sentences=2),
        )
    Employer.objects.filter(pk=employer.pk).update(
        created_at=timezone.now() - dt.timedelta(days=90)
    )
    if stage != Employer.Stage.LEAD:
        reason = (
            "Geen capaciteit voor begeleiding dit jaar." if stage == Employer.Stage.DECLINED else ""
        )
        services.employer_move_stage(employer=employer, to_stage=stage, by=owner, reason=reason)
    if number % 3 != 2:
        services.employer_set_next_action(
            employer=employer,
            action=rng.choice(["Terugbellen", "Bezoek plannen", "Offerte leerwerkplek sturen"]),
            due=today + dt.timedelta(days=rng.randint(1, 21)),
            by=owner,
        )
    if stage in {Employer.Stage.INTERESTED, Employer.Stage.COMMITTED, Employer.Stage.PAUSED}:
        services.demand_profile_save(
            employer=employer,
            by=owner,
            skills=rng.sample(skills, 4),
            roles="Medewerker demontage, reparateur",
            openings_12_months=rng.randint(1, 4),
            openings_24_months=rng.randint(4, 8),
            expected_retirements=rng.choice([None, 0, 1, 2, 3, 5]),
            expects_labour_shortage=rng.choice(["yes", "yes", "no", ""]),
            concerns=rng.sample(
                ["motivation", "reliability", "supervision_time", "employee_skills", "safety"],
                rng.randint(1, 3),
            ),
            concerns_in_their_words=rng.choice(
                [
                    "Komen ze elke dag op tijd? Wij draaien in ploegen.",
                    "Wie begeleidt ze de eerste weken? Onze monteurs hebben het druk.",
                    "Eerlijk gezegd twijfel ik aan de motivatie, maar ik wil het proberen.",
                    "",
                ]
            ),
            offers_jobs=True,
            offers_paid_internships=number % 2 == 0,
            offers_learning_work_places=True,
            diploma_track="Entree-opleiding, assistent logistiek",
            offers_buddies=number % 2 == 1,
            programme_role="Gastles over werken in de werkplaats" if number % 2 else "",
        )
        for index in range(rng.randint(1, 3)):
            _opening(employer, index=index, rng=rng, skills=skills, by=owner)


def _opening(employer, *, index, rng, skills, by) -> Opening:
    kind = Opening.Kind.values[index % 3]
    learning = kind == Opening.Kind.LEARNING_WORK_PLACE
    opening = Opening(
        employer=employer,
        kind=kind,
        title=rng.choice(OPENING_TITLES),
        description="Je leert het vak op de werkvloer, met een vaste begeleider.",
        hours_per_week=rng.choice([24, 32, 36]),
        start_date=timezone.localdate() + dt.timedelta(days=rng.randint(7, 90)),
        location=employer.city.name,
        places=rng.randint(1, 3),
        crebo_code="25701" if learning else "",
        mbo_level=1 if learning else None,
    )
    picked = rng.sample(skills, 5)
    return services.opening_save(
        opening=opening, by=by, required_skills=picked[:3], nice_to_have_skills=picked[3:]
    )


def _link_demo_contacts(employers) -> None:
    """employer.demo1 and employer.demo2 are the portal accounts of two committed employers."""
    committed = Employer.objects.filter(
        pk__in=[e.pk for e in employers], stage=Employer.Stage.COMMITTED
    ).order_by("pk")
    for username, employer in zip(["employer.demo1", "employer.demo2"], committed, strict=False):
        user = User.objects.filter(username=username).first()
        if user and not Contact.objects.filter(user=user).exists():
            Contact.objects.create(
                employer=employer,
                name=user.get_full_name(),
                job_title="HR-adviseur",
                email=user.email,
                user=user,
            )


def _seed_partners(cities, coordinators) -> None:
    for city in cities:
        services.partner_save(
            partner=NetworkPartner(
                name=f"Gemeente {city.name} (demo)",
                kind=NetworkPartner.Kind.MUNICIPALITY,
                city=city,
                is_lead=True,
                role="Leidt het netwerk: stuurt de samenwerking aan, financiert en bewaakt de afspraken.",
            ),
            by=coordinators[city.pk],
        )
        for kind, name in [
            (NetworkPartner.Kind.YOUTH_WORK, f"Jongerenwerk {city.name} (demo)"),
            (NetworkPartner.Kind.UWV, f"UWV {city.name} (demo)"),
            (NetworkPartner.Kind.SCHOOL, f"mbo-college {city.name} (demo)"),
        ]:
            services.partner_save(
                partner=NetworkPartner(name=name, kind=kind, city=city), by=coordinators[city.pk]
            )
