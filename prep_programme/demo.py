"""Invented programme data: a running cohort in each city with sessions, attendance, ratings,
coaching and participants in each phase, and one finished cohort with certificates."""

import datetime as dt
import random

from django.utils import timezone

from employers.models import Employer
from restart_platform.accounts.models import City, User
from youth.models import YoungPerson

from . import services
from .models import Cohort, EmployerInvolvement, Participant, Programme, Session, SkillRating

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


def _mark(rng, position) -> str:
    # The last participant misses often: the overview shows them as needing attention.
    if position == RUNNING_SIZE - 1:
        return rng.choice(["present", "unexcused", "unexcused", "late"])
    return rng.choice(["present"] * 8 + ["late", "excused"])


def _move(participant, coach, target, cohort, today) -> None:
    for phase in range(2, target + 1):
        employer = (
            Employer.objects.filter(city=cohort.city).order_by("pk").first() if phase == 3 else None
        )
        services.participant_move_phase(
            participant=participant,
            to_phase=phase,
            note="Besproken in het coachoverleg (demo)",
            by=coach,
            placement_employer=employer,
            placement_kind=Participant.PlacementKind.INTERNSHIP if employer else "",
            on=today - dt.timedelta(weeks=3 - phase),
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
