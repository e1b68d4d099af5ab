"""The rest of an invented world for the page benchmark (tests/perf/bench_pages.py): on top of
the matching world's young people, employers and openings, the records every page lists:
contact moments and consents, intakes, shares, placements with their follow-ups, buddy mentors, pairs and check-ins, and
programme cohorts with participants, sessions, attendance, ratings and coaching.

Built with bulk_create in one transaction, as the matching world is; everything is invented.
The shapes follow the demo (most pairs active, some closed, a few proposed), not uniform noise,
so that filters and counts meet realistic mixes.
"""

import datetime as dt
import random
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils import timezone

from buddy.models import CheckIn, Mentor, Pair
from employers.models import Employer, Opening
from intake.models import IntakeMeeting, IntakeRecord
from matching.models import FollowUp, Placement, Share
from prep_programme.models import (
    Attendance,
    CoachingTalk,
    Cohort,
    Participant,
    Programme,
    Session,
    SkillRating,
)
from restart_platform.accounts.models import City, User
from youth.models import Consent, ContactMoment, YoungPerson

from .matching_world import BATCH, BenchWorld, build_world

MEETING_PLACES = ["Jongerencentrum", "Wijkteam", "Op de werkvloer", "Gemeentehuis"]
FOLLOW_UP_MONTHS = (1, 3, 6, 12)
SESSIONS_PER_COHORT = 12


@dataclass(frozen=True)
class PagesWorld:
    base: BenchWorld
    coordinators: dict[int, User]  # per city id
    counts: dict[str, int]  # rows per kind, for the report


def _users_by_city(role: str) -> dict[int, User]:
    users = User.objects.filter(role=role, username__startswith="bench.").prefetch_related("cities")
    if role == User.Role.COORDINATOR:
        return {city.pk: user for user in users for city in user.cities.all()}
    slugs = {user.username.rsplit(".", 1)[1]: user for user in users}
    return {city.pk: slugs[city.slug] for city in City.objects.filter(slug__in=slugs)}


@transaction.atomic
def extend_world(
    base: BenchWorld,
    *,
    seed: int,
    intakes: int,
    shares: int,
    placements: int,
    pairs: int,
    participants: int,
) -> PagesWorld:
    rng = random.Random(seed + 1)
    coordinators = _users_by_city(User.Role.COORDINATOR)
    youth_workers = _users_by_city(User.Role.YOUTH_WORKER)
    youth = list(YoungPerson.objects.order_by("pk").values_list("pk", "city_id"))
    openings = list(
        Opening.objects.order_by("pk").values_list("pk", "employer_id", "employer__city_id")
    )
    counts = {
        "young people": len(youth),
        "employers": Employer.objects.count(),
        "openings": len(openings),
    }
    counts["contact moments"] = _contacts(rng, youth, youth_workers)
    counts["consents"] = _consents(rng, youth, youth_workers)
    counts["intakes"] = _intakes(rng, youth, youth_workers, intakes)
    counts["shares"] = _shares(rng, youth, openings, coordinators, shares)
    placed = _placements(rng, youth, openings, coordinators, placements)
    counts["placements"] = len(placed)
    counts["follow-ups"] = _follow_ups(rng, placed, coordinators)
    counts["buddy pairs"], counts["check-ins"] = _pairs(rng, placed, coordinators, pairs)
    counts.update(_programme(rng, youth, coordinators, youth_workers, participants))
    return PagesWorld(base=base, coordinators=coordinators, counts=counts)


CONTACT_KINDS = list(ContactMoment.Kind.values)


def _contacts(rng, youth, youth_workers) -> int:
    """Zero to six contact moments a young person over the last eight months, so that the
    caseload meets a realistic mix: some never contacted, some not for 30 days, most recently."""
    today = timezone.localdate()
    rows = [
        ContactMoment(
            youth_id=pk,
            author=youth_workers[city],
            kind=rng.choice(CONTACT_KINDS),
            date=today - dt.timedelta(days=rng.randint(0, 240)),
            summary="Gesproken over werk en planning",
        )
        for pk, city in youth
        for _ in range(rng.choice((0, 1, 2, 3, 3, 4, 6)))
    ]
    ContactMoment.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _consents(rng, youth, youth_workers) -> int:
    """Registration consent for most, sharing with employers for more than half, a few
    withdrawn: the lists' badges and the caseload's "consent missing" meet both kinds."""
    today = timezone.localdate()
    shares = (
        (Consent.Purpose.REGISTRATION, 0.9),
        (Consent.Purpose.SHARE_WITH_EMPLOYERS, 0.6),
        (Consent.Purpose.ANONYMOUS_REPORTS, 0.3),
    )
    rows = []
    for pk, city in youth:
        for purpose, share in shares:
            if rng.random() < share:
                given = today - dt.timedelta(days=rng.randint(30, 400))
                withdrawn = given + dt.timedelta(days=10) if rng.random() < 0.05 else None
                rows.append(
                    Consent(
                        youth_id=pk,
                        purpose=purpose,
                        given_on=given,
                        recorded_by=youth_workers[city],
                        withdrawn_on=withdrawn,
                        withdrawn_by=youth_workers[city] if withdrawn else None,
                    )
                )
    Consent.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _intakes(rng, youth, youth_workers, total: int) -> int:
    """Meetings up to `total`, beyond those the matching world made: most finished with a
    record, some planned, some held and waiting for their outcome."""
    missing = total - IntakeMeeting.objects.count()
    if missing <= 0:
        return IntakeMeeting.objects.count()
    now = timezone.now()
    chosen = [rng.choice(youth) for _ in range(missing)]
    starts = [
        now + dt.timedelta(days=rng.randint(-400, 30), hours=rng.randint(0, 8)) for _ in chosen
    ]
    meetings = IntakeMeeting.objects.bulk_create(
        (
            IntakeMeeting(
                youth_id=pk,
                youth_worker=youth_workers[city],
                created_by=youth_workers[city],
                starts_at=at,
                place=rng.choice(MEETING_PLACES),
            )
            for (pk, city), at in zip(chosen, starts, strict=True)
        ),
        batch_size=BATCH,
    )
    outcomes = list(IntakeRecord.Outcome.values)
    IntakeRecord.objects.bulk_create(
        (
            IntakeRecord(
                meeting=meeting,
                status=IntakeRecord.Status.FINISHED,
                outcome=rng.choice(outcomes),
                motivation_rating=rng.randint(1, 5),
                next_step="Bellen over het vervolg",
                next_step_on=at.date() + dt.timedelta(days=14),
                finished_at=at,
                finished_by=youth_workers[city],
            )
            for meeting, (_pk, city), at in zip(meetings, chosen, starts, strict=True)
            if at < now - dt.timedelta(days=3) and rng.random() < 0.85
        ),
        batch_size=BATCH,
    )
    return IntakeMeeting.objects.count()


def _same_city_openings(openings) -> dict[int, list[tuple[int, int]]]:
    by_city: dict[int, list[tuple[int, int]]] = {}
    for pk, employer, city in openings:
        by_city.setdefault(city, []).append((pk, employer))
    return by_city


def _shares(rng, youth, openings, coordinators, total: int) -> int:
    by_city = _same_city_openings(openings)
    pairs = set()
    for _ in range(total * 2):
        pk, city = rng.choice(youth)
        if city in by_city and len(pairs) < total:
            pairs.add((pk, rng.choice(by_city[city])[0], city))
    answers = {Share.Answer.PENDING: 50, Share.Answer.INTERESTED: 35, Share.Answer.NOT_NOW: 15}
    rows = []
    for pk, opening, city in pairs:
        answer = rng.choices(list(answers), weights=list(answers.values()))[0]
        rows.append(
            Share(
                youth_id=pk,
                opening_id=opening,
                shared_by=coordinators[city],
                answer=answer,
                answer_reason="Past nu niet in het rooster"
                if answer == Share.Answer.NOT_NOW
                else "",
                answered_at=None if answer == Share.Answer.PENDING else timezone.now(),
            )
        )
    Share.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _placements(rng, youth, openings, coordinators, total: int) -> list[Placement]:
    """One placement per young person at most; about three in four still active."""
    by_city = _same_city_openings(openings)
    today = timezone.localdate()
    candidates = [row for row in youth if row[1] in by_city]
    rows = []
    for pk, city in rng.sample(candidates, min(total, len(candidates))):
        start = today - dt.timedelta(days=rng.randint(0, 500))
        ended = rng.random() < 0.25 and start < today - dt.timedelta(days=30)
        rows.append(
            Placement(
                youth_id=pk,
                opening_id=rng.choice(by_city[city])[0],
                start_date=start,
                hours_per_week=rng.choice([16, 24, 32, 36]),
                agreement=rng.choice(Placement.Agreement.values),
                status=Placement.Status.ENDED if ended else Placement.Status.ACTIVE,
                ended_on=start + dt.timedelta(days=rng.randint(20, 200)) if ended else None,
                end_reason="Contract niet verlengd" if ended else "",
                created_by=coordinators[city],
            )
        )
    return Placement.objects.bulk_create(rows, batch_size=BATCH)


def _months_later(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return dt.date(year, month, min(day.day, 28))


def _follow_ups(rng, placed: list[Placement], coordinators) -> int:
    today, now = timezone.localdate(), timezone.now()
    city_of = dict(Opening.objects.values_list("pk", "employer__city_id"))
    rows = []
    for placement in placed:
        for month in FOLLOW_UP_MONTHS:
            due = _months_later(placement.start_date, month)
            answered = due <= today and rng.random() < 0.8
            still_there = (rng.random() < 0.75) if answered else None
            rows.append(
                FollowUp(
                    placement=placement,
                    month=month,
                    due_on=due,
                    still_there=still_there,
                    reason="Ander werk gevonden" if still_there is False else "",
                    answered_at=now if answered else None,
                    answered_by=coordinators[city_of[placement.opening_id]] if answered else None,
                )
            )
    FollowUp.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)


def _pairs(rng, placed: list[Placement], coordinators, total: int) -> tuple[int, int]:
    """A mentor at the employer of each paired placement, and check-ins every four weeks."""
    employer_of = dict(Opening.objects.values_list("pk", "employer_id"))
    city_of = dict(Opening.objects.values_list("pk", "employer__city_id"))
    chosen = rng.sample(placed, min(total, len(placed)))
    mentors = Mentor.objects.bulk_create(
        (
            Mentor(
                employer_id=employer_of[placement.opening_id],
                name=f"Buddy {number}",
                job_title="Meewerkend voorman",
                years_experience=rng.randint(2, 30),
                birth_year=rng.randint(1965, 2000),
                capacity=1,
                volunteered_on=placement.start_date,
            )
            for number, placement in enumerate(chosen)
        ),
        batch_size=BATCH,
    )
    today, now = timezone.localdate(), timezone.now()
    statuses = {Pair.Status.ACTIVE: 70, Pair.Status.CLOSED: 20, Pair.Status.PROPOSED: 10}
    rows = []
    for placement, mentor in zip(chosen, mentors, strict=True):
        status = rng.choices(list(statuses), weights=list(statuses.values()))[0]
        kickoff = None if status == Pair.Status.PROPOSED else placement.start_date
        closed = status == Pair.Status.CLOSED
        rows.append(
            Pair(
                youth_id=placement.youth_id,
                mentor=mentor,
                placement=placement,
                status=status,
                score=round(rng.uniform(30, 95), 1),
                score_components={},
                proposed_by=coordinators[city_of[placement.opening_id]],
                proposed_at=now - dt.timedelta(days=(today - placement.start_date).days + 7),
                kickoff_on=kickoff,
                kickoff_agreements="Elke maand een kop koffie" if kickoff else "",
                closed_on=min(today, placement.start_date + dt.timedelta(days=rng.randint(30, 400)))
                if closed
                else None,
                close_reason=rng.choice(Pair.CloseReason.values) if closed else "",
            )
        )
    pairs = Pair.objects.bulk_create(rows, batch_size=BATCH)
    checkins = []
    for pair in pairs:
        if pair.kickoff_on is None:
            continue
        day, end = pair.kickoff_on + dt.timedelta(days=28), pair.closed_on or today
        while day <= end:
            checkins.append(
                CheckIn(
                    pair=pair,
                    held_on=day,
                    logged_by=pair.proposed_by,
                    work_note="Gaat goed met de machines",
                    work_rating=rng.randint(2, 5),
                    wellbeing_rating=rng.randint(2, 5),
                    trust_mentor=rng.randint(2, 5),
                    trust_youth=rng.randint(2, 5),
                )
            )
            day += dt.timedelta(days=rng.choice([21, 28, 35, 49]))
    CheckIn.objects.bulk_create(checkins, batch_size=BATCH)
    return len(pairs), len(checkins)


def _programme(rng, youth, coordinators, youth_workers, total: int) -> dict[str, int]:
    """A running cohort per city with sessions twice a week, the participants' attendance,
    coach ratings of the core skills and coaching talks."""
    programme = Programme.objects.order_by("pk").first()
    skills = list(programme.core_skills.values_list("pk", flat=True))
    today = timezone.localdate()
    cohorts = Cohort.objects.bulk_create(
        Cohort(
            programme=programme,
            city_id=city,
            name=f"Cohort {number + 1}",
            starts_on=today - dt.timedelta(days=60),
            ends_on=today + dt.timedelta(days=120),
        )
        for number, city in enumerate(sorted(coordinators))
    )
    Cohort.coaches.through.objects.bulk_create(
        Cohort.coaches.through(cohort_id=cohort.pk, user_id=coordinators[cohort.city_id].pk)
        for cohort in cohorts
    )
    cohort_of = {cohort.city_id: cohort for cohort in cohorts}
    chosen = rng.sample(youth, min(total, len(youth)))
    employer_in = dict(Employer.objects.order_by("pk").values_list("city_id", "pk"))
    rows = []
    for pk, city in chosen:
        phase = rng.choice([1, 1, 2, 2, 3]) if city in employer_in else 1
        rows.append(
            Participant(
                cohort=cohort_of[city],
                youth_id=pk,
                phase=phase,
                enrolled_on=cohort_of[city].starts_on,
                # Phase 3 is an internship or a workplace at an employer of the alliance.
                placement_employer_id=employer_in[city] if phase == 3 else None,
                placement_kind=Participant.PlacementKind.INTERNSHIP if phase == 3 else "",
            )
        )
    participants = Participant.objects.bulk_create(rows, batch_size=BATCH)
    sessions = Session.objects.bulk_create(
        Session(
            cohort=cohort,
            kind=Session.Kind.TRAINING,
            date=today - dt.timedelta(days=4 * number + 1),
            starts_at=dt.time(9, 30),
            title="Training werkritme",
        )
        for cohort in cohorts
        for number in range(SESSIONS_PER_COHORT)
    )
    sessions_of: dict[int, list[Session]] = {}
    for session in sessions:
        sessions_of.setdefault(session.cohort_id, []).append(session)
    statuses = {"present": 80, "late": 8, "excused": 6, "unexcused": 6}
    attendance, ratings, talks = [], [], []
    for participant, (_pk, city) in zip(participants, chosen, strict=True):
        coach = coordinators[city]
        for session in sessions_of[participant.cohort_id]:
            status = rng.choices(list(statuses), weights=list(statuses.values()))[0]
            attendance.append(
                Attendance(
                    session=session, participant=participant, status=status, recorded_by=coach
                )
            )
        for weeks_ago in (8, 4, 0):
            for skill in skills:
                ratings.append(
                    SkillRating(
                        participant=participant,
                        skill_id=skill,
                        rating=rng.randint(1, 5),
                        rater=SkillRating.Rater.COACH,
                        rated_on=today - dt.timedelta(weeks=weeks_ago),
                        recorded_by=coach,
                    )
                )
        for weeks_ago in (6, 4, 2):
            talks.append(
                CoachingTalk(
                    participant=participant,
                    coach=coach,
                    held_on=today - dt.timedelta(weeks=weeks_ago),
                    self_confidence=rng.randint(1, 5),
                    agreements="Op tijd komen, wekker zetten",
                )
            )
    Attendance.objects.bulk_create(attendance, batch_size=BATCH)
    SkillRating.objects.bulk_create(ratings, batch_size=BATCH)
    CoachingTalk.objects.bulk_create(talks, batch_size=BATCH)
    return {
        "programme participants": len(participants),
        "attendance rows": len(attendance),
        "skill ratings": len(ratings),
        "coaching talks": len(talks),
    }


def build_pages_world(
    *,
    seed: int,
    youth: int,
    openings: int,
    intakes: int,
    shares: int,
    placements: int,
    pairs: int,
    participants: int,
) -> PagesWorld:
    """The matching world of that size, extended with what every page lists, and vacuumed with
    fresh statistics on PostgreSQL, as autovacuum keeps a database in use (the visibility map
    it sets lets index-only scans skip the table): what the page benchmark and the load test
    both stand on."""
    base = build_world(youth=youth, openings=openings, places=round(openings * 1.25), seed=seed)
    world = extend_world(
        base,
        seed=seed,
        intakes=intakes,
        shares=shares,
        placements=placements,
        pairs=pairs,
        participants=participants,
    )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return world
