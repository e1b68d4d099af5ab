"""Invented programme data: a running cohort in each city with sessions, attendance, ratings,
coaching and participants in each phase, and one finished cohort with certificates."""

import datetime as dt
import random

from django.db.models import F
from django.utils import timezone

from employers.models import Contact, Employer, Opening
from matching.models import Placement
from matching.services import placement_create
from restart_platform.accounts.models import City, User
from youth.models import YoungPerson

from . import services
from .models import (
    LAST_PHASE,
    Cohort,
    EmployerInvolvement,
    Participant,
    Programme,
    Session,
    SkillRating,
)

RUNNING_SIZE = 7
FINISHED_SIZE = 3
# Phase each running participant reaches, by position: some in each phase.
TARGET_PHASES = [1, 1, 2, 2, 2, 3, 1]


def seed(*, stdout=None) -> None:
    if Cohort.objects.exists():
        return
    rng = random.Random(13)  # noqa: S311 - invented demo data, not security
    today = timezone.localdate()
    programme = Programme.objects.get(variant=Programme.Variant.STANDARD)
    taken: set[int] = set()
    for city in City.objects.order_by("slug"):
        coach = User.objects.filter(role=User.Role.COORDINATOR, cities=city).first()
        candidates = _candidates(city, taken)
        if coach is None or len(candidates) < RUNNING_SIZE:
            continue
        cohort = _cohort(programme, city, coach, name=f"{city.name} lopend", today=today)
        _run(cohort, coach, candidates[:RUNNING_SIZE], today=today, rng=rng)
        taken.update(youth.pk for youth in candidates[:RUNNING_SIZE])
        if city.slug == "rotterdam":
            _finished(programme, city, coach, _candidates(city, taken)[:FINISHED_SIZE], today)
    if stdout:
        stdout.write(f"  created {Cohort.objects.count()} programme cohorts")


def _candidates(city, taken) -> list[YoungPerson]:
    return list(
        YoungPerson.objects.current()
        .filter(city=city, ambitions__endswith="(demo)")
        .exclude(journey__in=[YoungPerson.Journey.PLACED, YoungPerson.Journey.LEFT])
        .exclude(pk__in=taken)
        .exclude(prep_participations__status=Participant.Status.ACTIVE)
        .order_by("pk")
    )


def _cohort(programme, city, coach, *, name, today, weeks_ago=10, weeks=26) -> Cohort:
    starts_on = today - dt.timedelta(weeks=weeks_ago)
    cohort = Cohort.objects.create(
        programme=programme,
        city=city,
        name=name,
        starts_on=starts_on,
        ends_on=starts_on + dt.timedelta(weeks=weeks),
    )
    cohort.coaches.add(coach)
    for employer, kind in zip(
        Employer.objects.filter(city=city).order_by("pk")[:3],
        [
            EmployerInvolvement.Kind.REQUIREMENTS,
            EmployerInvolvement.Kind.VISIT,
            EmployerInvolvement.Kind.PLACE,
        ],
        strict=False,
    ):
        EmployerInvolvement.objects.create(cohort=cohort, employer=employer, kind=kind)
    return cohort


def _enrol(cohort, youth, coach):
    arrangement = "Twee dagen school, afgesproken met leerplicht (demo)"
    return services.participant_enrol(
        cohort=cohort,
        youth=youth,
        by=coach,
        on=cohort.starts_on,
        school_arrangement=arrangement if youth.must_attend_school else "",
    )


def _run(cohort, coach, youths, *, today, rng) -> None:
    participants = [_enrol(cohort, youth, coach) for youth in youths]
    for week in range(6, 0, -1):  # two sessions a week over the last six weeks
        for day_offset, kind in [(1, Session.Kind.TRAINING), (3, Session.Kind.WORKPLACE_VISIT)]:
            date = today - dt.timedelta(weeks=week) + dt.timedelta(days=day_offset)
            session = services.session_create(
                cohort=cohort, kind=kind, date=date, starts_at=dt.time(9, 30), by=coach
            )
            marks = {p.pk: (_mark(rng, position), "") for position, p in enumerate(participants)}
            services.attendance_record(session=session, marks=marks, by=coach)
    skills = list(cohort.programme.core_skills.all())
    for position, participant in enumerate(participants):
        for weeks_ago, base in [(5, 2), (1, 3)]:
            services.skills_rate(
                participant=participant,
                ratings={
                    skill: (min(5, base + rng.randint(0, 1) + (position % 2)), "")
                    for skill in skills
                },
                rater=SkillRating.Rater.COACH,
                by=coach,
                on=today - dt.timedelta(weeks=weeks_ago),
            )
        if position != len(participants) - 1:  # the last one has had no talk: needs attention
            services.coaching_log(
                participant=participant,
                coach=coach,
                held_on=today - dt.timedelta(days=rng.randint(2, 12)),
                self_confidence=rng.randint(2, 4),
                agreements="Elke dag om half tien aanwezig; cv bijwerken (demo)",
            )
        _move(participant, coach, TARGET_PHASES[position], cohort, today)
    _other_raters(cohort, participants, coach, skills, today=today, rng=rng)


def _other_raters(cohort, participants, coach, skills, *, today, rng) -> None:
    """The young people's own view (recorded by the coach) and an employer's, after a visit by
    the cohort to an employer whose contact uses the portal."""
    for participant in participants:
        services.skills_rate(
            participant=participant,
            ratings={skill: (rng.randint(2, 5), "") for skill in skills},
            rater=SkillRating.Rater.SELF,
            by=coach,
            on=today - dt.timedelta(weeks=2),
        )
    contact = (
        Contact.objects.filter(employer__city=cohort.city, user__isnull=False)
        .select_related("employer", "user")
        .order_by("pk")
        .first()
    )
    if contact is None:
        return
    EmployerInvolvement.objects.get_or_create(
        cohort=cohort, employer=contact.employer, kind=EmployerInvolvement.Kind.VISIT
    )
    for participant in participants[:3]:
        if participant.is_active:
            services.skills_rate(
                participant=participant,
                ratings={
                    skill: (rng.randint(2, 4), "Bij het werkplekbezoek (demo)") for skill in skills
                },
                rater=SkillRating.Rater.EMPLOYER,
                employer=contact.employer,
                by=contact.user,
                on=today - dt.timedelta(days=10),
            )


def _mark(rng, position) -> str:
    # The last participant misses often: the overview shows them as needing attention.
    if position == RUNNING_SIZE - 1:
        return rng.choice(["present", "unexcused", "unexcused", "late"])
    return rng.choice(["present"] * 8 + ["late", "excused"])


def _move(participant, coach, target, cohort, today) -> None:
    for phase in range(2, target + 1):
        on = today - dt.timedelta(weeks=3 - phase)
        placement = _place(participant, coach, on=on) if phase == LAST_PHASE else None
        if phase == LAST_PHASE and placement is None:
            return  # no place left in the city's openings: this one stays in phase 2
        services.participant_move_phase(
            participant=participant,
            to_phase=phase,
            note="Besproken in het coachoverleg (demo)",
            by=coach,
            placement=placement,
            on=on,
        )


def _place(participant, coach, *, on):
    """Phase 3 is a placement: an internship at an open opening of the city, recorded through
    matching (whose event proposes phase 3 to the coaches, as in real use)."""
    opening = (
        Opening.objects.filter(
            employer__city=participant.cohort.city,
            status=Opening.Status.OPEN,
            filled_places__lt=F("places"),
        )
        .order_by("pk")
        .first()
    )
    if opening is None:
        return None
    return placement_create(
        youth=participant.youth,
        opening=opening,
        by=coach,
        start_date=on,
        hours_per_week=24,
        agreement=Placement.Agreement.INTERNSHIP,
    )


def _finished(programme, city, coach, youths, today) -> None:
    cohort = _cohort(
        programme, city, coach, name=f"{city.name} afgerond", today=today, weeks_ago=40, weeks=26
    )
    for youth in youths:
        participant = _enrol(cohort, youth, coach)
        services.participant_finish(
            participant=participant,
            certificate=programme.certificate,
            by=coach,
            on=cohort.ends_on,
        )
