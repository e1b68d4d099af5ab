"""Invented buddy programme data: mentors at the demo employers, and a pair for most demo
placements at every stage of the relationship.

Each placement gets the story its placement allows: a new one a proposal, one a few months old
a kick-off or a few check-ins, one of thirteen months a pair past the 12-month target (one still
running, one completed), and the placements that ended a pair closed early with its reason. The
mentor of employer.demo1's employer has that portal account, so the demo contact sees their own
pairs and logs a check-in from the portal. One placement per city keeps no buddy, so the
overview can set retention with a buddy against retention without one.
"""

import datetime as dt
import random

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef
from django.utils import timezone
from faker import Faker

from employers.models import Contact, Employer
from matching.models import Placement
from restart_platform.accounts.models import User
from restart_platform.taxonomy.models import InterestArea, PersonalInterest, Skill
from youth.models import Consent
from youth.services import consent_give

from . import services
from .models import CheckIn, HelpKind, Mentor, Pair

DEMO_MARK = "(demo)"
MENTOR_ACCOUNT = "employer.demo1"
JOB_TITLES = [
    "Meewerkend voorman",
    "Teamleider logistiek",
    "Senior monteur",
    "Afdelingshoofd",
    "Praktijkopleider",
    "Ervaren collega productie",
]
ORGANISATION = "Rondleiding langs alle afdelingen; wie is wie en bij wie je terechtkunt (demo)"
CULTURE = "Hoe we elkaar aanspreken, pauzes samen, op tijd afmelden bij ziekte (demo)"
PRACTICAL = "Bankrekening openen, reiskostenvergoeding regelen, zorgverzekering nakijken (demo)"
AGREEMENTS = [
    "Elke vier weken een gesprek van een half uur in de kantine; tussendoor mag ze altijd appen.",
    "Samen lunchen op dinsdag; bij vragen over het werk eerst naar de buddy.",
    "Maandelijks een wandeling over het terrein; de buddy helpt met de roosterapp.",
]
WORK_NOTES = [
    "Leert de heftruck kennen; veiligheidsinstructie gehaald.",
    "Werkt nu zelfstandig aan de inpaklijn.",
    "Vraagt zelf om uitleg bij nieuwe klussen; dat gaat steeds beter.",
    "Heeft de eerste week op een andere afdeling meegedraaid.",
]
WELLBEING_NOTES = [
    "Slaapt slecht door geldzorgen; samen naar de budgetcoach gekeken.",
    "Voelt zich op zijn plek in het team.",
    "Was een week moe en stil; thuis speelt wat, de jongerenwerker weet het.",
    "Zit goed in zijn vel, vertelt trots over zijn werk.",
]
ORGANISATION_NOTES = [
    "Weet nu bij wie hij moet zijn voor verlof en rooster.",
    "Snapt de ongeschreven regels in de kantine beter.",
]
PRACTICAL_NOTES = [
    "Bankrekening is geopend; loon komt nu goed binnen.",
    "OV-abonnement aangevraagd via de werkgever.",
    "Zorgverzekering en toeslag samen nagelopen.",
]
CAREER_NOTES = [
    "Wil over een jaar de vakopleiding in de BBL doen.",
    "Heeft kennisgemaakt met de planner; dat lijkt hem wat.",
]
CONCERN = (
    "Ze kwam deze week twee keer te laat en zei dat ze thuis weg moet. Kan de jongerenwerker "
    "contact opnemen? (demo)"
)


def seed(*, stdout=None) -> None:
    if Mentor.objects.filter(availability__endswith=DEMO_MARK).exists():
        return
    fake = Faker("nl_NL")
    fake.seed_instance(12)
    rng = random.Random(12)  # noqa: S311 - invented demo data, not security  # nosec B311
    today = timezone.localdate()
    placements = list(
        Placement.objects.filter(youth__ambitions__endswith=DEMO_MARK)
        .select_related("youth", "youth__youth_worker", "opening__employer__owner")
        .order_by("youth__city__slug", "pk")
    )
    terms = _Terms()
    mentors = _mentors(placements, fake=fake, rng=rng, today=today, terms=terms)
    made = 0
    by_city: dict[int, list[Placement]] = {}
    for placement in placements:
        by_city.setdefault(placement.youth.city_id, []).append(placement)
    for city_number, city_placements in enumerate(by_city.values()):
        stories = STORIES[city_number % len(STORIES)]
        for number, placement in enumerate(city_placements):
            story = stories[number] if number < len(stories) else None
            if story is None:
                continue
            _profile(placement, rng=rng, terms=terms)
            mentor = _mentor_with_room(mentors[placement.opening.employer_id])
            if mentor is None:
                continue
            story(placement, mentor, rng=rng, today=today)
            made += 1
    if stdout:
        stdout.write(f"  created {Mentor.objects.count()} mentors and {made} buddy pairs")


class _Terms:
    def __init__(self):
        self.interests = list(PersonalInterest.objects.active().order_by("pk"))
        self.fields = list(InterestArea.objects.active().order_by("pk"))
        self.skills = list(Skill.objects.active().order_by("pk"))


# --- Mentors ------------------------------------------------------------------------------------


def _mentors(placements, *, fake, rng, today, terms) -> dict[int, list[Mentor]]:
    """Three mentors at each employer with a demo placement (where employer.demo1 works, one of
    them with that account and room for two), one at a few other committed employers."""
    account = User.objects.filter(username=MENTOR_ACCOUNT).first()
    account_employer = (
        Contact.objects.filter(user=account).values_list("employer_id", flat=True).first()
        if account
        else None
    )
    employers = list(
        Employer.objects.filter(
            pk__in={placement.opening.employer_id for placement in placements}
        ).order_by("pk")
    )
    others = list(
        Employer.objects.filter(name__endswith=DEMO_MARK, stage=Employer.Stage.COMMITTED)
        .exclude(pk__in=[employer.pk for employer in employers])
        .exclude(Exists(Contact.objects.filter(employer=OuterRef("pk"), user__isnull=False)))
        .order_by("pk")[:4]
    )
    mentors: dict[int, list[Mentor]] = {}
    for employer in [*employers, *others]:
        count = 3 if employer in employers else 1
        mentors[employer.pk] = []
        for position in range(count):
            with_account = employer.pk == account_employer and position == 0
            mentors[employer.pk].append(
                _mentor(
                    employer,
                    account=account if with_account else None,
                    fake=fake,
                    rng=rng,
                    today=today,
                    terms=terms,
                    capacity=2 if with_account else 1,
                )
            )
    return mentors


def _mentor(employer, *, account, fake, rng, today, terms, capacity) -> Mentor:
    name = account.get_full_name() if account else fake.name()
    local = "".join(ch for ch in name.lower() if ch.isalpha())[:30] or "mentor"
    skills = list(
        employer.openings.values_list("required_skills", flat=True).exclude(required_skills=None)
    )
    skill_pool = [skill for skill in terms.skills if skill.pk in set(skills)] or terms.skills
    return services.mentor_save(
        by=employer.owner,
        employer=employer,
        name=name,
        job_title=rng.choice(JOB_TITLES),
        years_experience=rng.randint(6, 25),
        email=account.email if account else f"{local}.mentor@example.org",
        user=account,
        birth_year=today.year - rng.randint(32, 52),
        help_with=sorted(rng.sample(HelpKind.values, 3)),
        capacity=capacity,
        trained_on=today - dt.timedelta(days=rng.randint(120, 500)),
        volunteered_on=today - dt.timedelta(days=rng.randint(520, 700)),
        availability=f"{rng.choice(['Dinsdag', 'Woensdag', 'Donderdag'])} na het werk {DEMO_MARK}",
        is_active=True,
        skills=rng.sample(skill_pool, min(4, len(skill_pool))),
        work_fields=rng.sample(terms.fields, min(2, len(terms.fields))),
        personal_interests=rng.sample(terms.interests, min(3, len(terms.interests))),
    )


def _mentor_with_room(mentors: list[Mentor]) -> Mentor | None:
    for mentor in mentors:
        if mentor.pairs.filter(status__in=["proposed", "kicked_off", "active"]).count() < (
            mentor.capacity
        ):
            return mentor
    return None


def _profile(placement, *, rng, terms) -> None:
    youth = placement.youth
    if not Consent.objects.filter(
        youth=youth, purpose=Consent.Purpose.BUDDY_CONTACT, withdrawn_on__isnull=True
    ).exists():
        consent_give(
            youth=youth,
            purpose=Consent.Purpose.BUDDY_CONTACT,
            given_on=placement.start_date,
            by=youth.youth_worker,
        )
    needed = list(placement.opening.required_skills.all()) or terms.skills
    services.buddy_profile_save(
        youth=youth,
        by=youth.youth_worker,
        personal_interests=rng.sample(terms.interests, min(2, len(terms.interests))),
        skills_to_learn=rng.sample(needed, min(2, len(needed))),
        help_needed=rng.sample(HelpKind.values, 2),
    )


# --- The stories of the pairs, one per placement of a city, in placement order -----------------
# The matching demo starts each city's placements 2, 4, 7 and 13 months ago, then 4 and 13
# months ago for the two that ended (matching.demo.STARTED_MONTHS_AGO).


def _propose(placement, mentor, *, days_after_start: int) -> Pair:
    """Through the service, as the coordinator did back then. A placement that has ended since
    was running when its pair was proposed: it is shown running for that moment only."""
    ended = placement.status != Placement.Status.ACTIVE
    if ended:
        Placement.objects.filter(pk=placement.pk).update(
            status=Placement.Status.ACTIVE, ended_on=None
        )
    pair = services.pair_propose(
        placement=placement, mentor=mentor, by=placement.opening.employer.owner
    )
    if ended:
        Placement.objects.filter(pk=placement.pk).update(
            status=placement.status, ended_on=placement.ended_on
        )
    proposed = placement.start_date + dt.timedelta(days=days_after_start)
    Pair.objects.filter(pk=pair.pk).update(
        proposed_at=timezone.make_aware(dt.datetime.combine(proposed, dt.time(10)))
    )
    return pair


def _kick_off(pair, placement, *, rng, days_after_start: int, weeks: int = 4) -> Pair:
    return services.pair_kickoff(
        pair=pair,
        by=placement.opening.employer.owner,
        held_on=placement.start_date + dt.timedelta(days=days_after_start),
        agreements=rng.choice(AGREEMENTS),
        onboarding_organisation=ORGANISATION,
        onboarding_culture=CULTURE,
        onboarding_practical=PRACTICAL,
        checkin_every_weeks=weeks,
    )


def _checkins(pair, *, rng, until: dt.date, trust_from: int = 2) -> None:
    """A check-in every cadence until `until`; trust grows over the months, and most attend to
    both the work and well-being (a few only to the work, as happens)."""
    held_on = pair.kickoff_on + dt.timedelta(weeks=pair.checkin_every_weeks)
    logged_by = pair.mentor.user or pair.placement.opening.employer.owner
    number = 0
    while held_on <= until:
        trust = min(5, trust_from + number // 3)
        both = number % 4 != 2
        services.checkin_log(
            pair=pair,
            by=logged_by,
            held_on=held_on,
            work_note=rng.choice(WORK_NOTES),
            work_rating=rng.randint(3, 5),
            wellbeing_note=rng.choice(WELLBEING_NOTES) if both else "",
            wellbeing_rating=rng.randint(2, 5) if both else None,
            organisation_note=rng.choice(ORGANISATION_NOTES) if number % 2 == 0 else "",
            organisation_rating=rng.randint(3, 5) if number % 2 == 0 else None,
            practical_note=rng.choice(PRACTICAL_NOTES) if number < 3 else "",
            practical_rating=rng.randint(2, 4) if number < 3 else None,
            career_note=rng.choice(CAREER_NOTES) if number >= 3 else "",
            career_rating=rng.randint(3, 5) if number >= 3 else None,
            trust_mentor=trust,
            trust_youth=max(1, min(5, trust + rng.choice([-1, 0, 0, 1]))),
            job_satisfaction=rng.randint(3, 5),
        )
        number += 1
        held_on += dt.timedelta(weeks=pair.checkin_every_weeks)
    CheckIn.objects.filter(pair=pair).update(
        created_at=timezone.make_aware(dt.datetime.combine(until, dt.time(17)))
    )


def _recent(today: dt.date, rng) -> dt.date:
    return today - dt.timedelta(days=rng.randint(3, 12))


def _new_proposal(placement, mentor, *, rng, today) -> None:
    """Two months in: the pair is proposed, the kick-off is planned."""
    _propose(placement, mentor, days_after_start=min(50, (today - placement.start_date).days))


def _kicked_off_and_running(placement, mentor, *, rng, today) -> None:
    """Four months in: kicked off after three weeks, check-ins since, and a concern raised."""
    pair = _propose(placement, mentor, days_after_start=10)
    pair = _kick_off(pair, placement, rng=rng, days_after_start=21)
    _checkins(pair, rng=rng, until=_recent(today, rng))
    services.concern_raise(
        pair=pair,
        by=pair.mentor.user or placement.opening.employer.owner,
        what=CONCERN,
        needs_help_today=False,
    )


def _half_year(placement, mentor, *, rng, today) -> None:
    """Seven months in: a steady pair, trust grown from 3."""
    pair = _propose(placement, mentor, days_after_start=7)
    pair = _kick_off(pair, placement, rng=rng, days_after_start=14)
    _checkins(pair, rng=rng, until=_recent(today, rng), trust_from=3)


def _past_a_year(placement, mentor, *, rng, today) -> None:
    """Thirteen months in: past the 12-month target and still running, every six weeks now."""
    pair = _propose(placement, mentor, days_after_start=5)
    pair = _kick_off(pair, placement, rng=rng, days_after_start=12, weeks=6)
    _checkins(pair, rng=rng, until=_recent(today, rng))


def _closed_early(placement, mentor, *, rng, today) -> None:
    """The young person left the job: the pair closed early, on the day the placement ended."""
    pair = _propose(placement, mentor, days_after_start=6)
    pair = _kick_off(pair, placement, rng=rng, days_after_start=14)
    ended = placement.ended_on or _recent(today, rng)
    _checkins(pair, rng=rng, until=ended - dt.timedelta(days=3))
    services.pair_close(
        pair=pair,
        by=placement.opening.employer.owner,
        reason=Pair.CloseReason.YOUTH_LEFT_JOB,
        conversation="Hij stopte met de baan; de buddy wenste hem succes met de opleiding (demo).",
        closed_on=ended,
    )


def _kicked_off_recently(placement, mentor, *, rng, today) -> None:
    """Two months in: the kick-off was last week; the first check-in is still to come."""
    pair = _propose(placement, mentor, days_after_start=(today - placement.start_date).days - 14)
    _kick_off(pair, placement, rng=rng, days_after_start=(today - placement.start_date).days - 7)


def _mismatch(placement, mentor, *, rng, today) -> None:
    """Four months in: the pair did not click and closed after two check-ins; the coordinator
    can propose another mentor for the young person."""
    pair = _propose(placement, mentor, days_after_start=7)
    pair = _kick_off(pair, placement, rng=rng, days_after_start=14)
    closed_on = pair.kickoff_on + dt.timedelta(weeks=9)
    _checkins(pair, rng=rng, until=closed_on - dt.timedelta(days=2), trust_from=1)
    services.pair_close(
        pair=pair,
        by=placement.opening.employer.owner,
        reason=Pair.CloseReason.MISMATCH,
        conversation="Het klikte niet; ze wil graag een buddy op haar eigen afdeling (demo).",
        closed_on=closed_on,
    )


def _completed_year(placement, mentor, *, rng, today) -> None:
    """Thirteen months in: the pair reached its 12 months and closed as completed."""
    pair = _propose(placement, mentor, days_after_start=5)
    pair = _kick_off(pair, placement, rng=rng, days_after_start=12, weeks=6)
    closed_on = min(pair.kickoff_on + relativedelta(months=12, days=3), today)
    _checkins(pair, rng=rng, until=closed_on - dt.timedelta(days=3))
    services.pair_close(
        pair=pair,
        by=placement.opening.employer.owner,
        reason=Pair.CloseReason.COMPLETED,
        conversation="Een jaar samen; ze vindt haar weg nu zelf en blijft in het team (demo).",
        closed_on=closed_on,
    )


# Per city (in slug order), the story of each placement in placement order.
STORIES = [
    [
        _kicked_off_recently,
        _kicked_off_and_running,
        _half_year,
        _past_a_year,
        _closed_early,
        None,  # one ended placement keeps no buddy: retention without one
    ],
    [_new_proposal, _mismatch, _half_year, _completed_year, _closed_early, None],
]
