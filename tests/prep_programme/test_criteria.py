"""The criteria to move on are computed from the records: fixed data, a fixed day."""

import datetime as dt

import pytest

from prep_programme.criteria import measure, measure_one
from prep_programme.factories import ParticipantFactory, SessionFactory
from prep_programme.models import Attendance, Phase, SkillRating
from tests.prep_programme.conftest import MEASURED

PRESENT, LATE = Attendance.Status.PRESENT, Attendance.Status.LATE
EXCUSED, UNEXCUSED = Attendance.Status.ABSENT_EXCUSED, Attendance.Status.ABSENT_UNEXCUSED


@pytest.fixture
def participant(cohort, youth):
    return ParticipantFactory(cohort=cohort, youth=youth)


def attend(participant, by, *marks):
    """One session a day going back from MEASURED: the first mark is on MEASURED itself."""
    for days_back, status in enumerate(marks):
        session = SessionFactory(
            cohort=participant.cohort, date=MEASURED - dt.timedelta(days=days_back)
        )
        Attendance.objects.create(
            session=session, participant=participant, status=status, recorded_by=by
        )


def attend_on(participant, by, day, status):
    session = SessionFactory(cohort=participant.cohort, date=day)
    Attendance.objects.create(
        session=session, participant=participant, status=status, recorded_by=by
    )


def test_eight_of_ten_sessions_attended_with_two_late_meets_phase_1(participant, coord_rotterdam):
    attend(participant, coord_rotterdam, *[PRESENT] * 6, LATE, LATE, EXCUSED, UNEXCUSED)
    progress = measure_one(participant, day=MEASURED)
    assert progress.attendance_rate == 80
    assert progress.late == 2
    assert [check.met for check in progress.checks] == [True, True]
    assert progress.met
    assert progress.percent == 100


def test_a_third_late_arrival_fails_punctuality_but_not_attendance(participant, coord_rotterdam):
    attend(participant, coord_rotterdam, *[PRESENT] * 7, LATE, LATE, LATE)
    progress = measure_one(participant, day=MEASURED)
    assert progress.attendance_rate == 100
    assert [check.met for check in progress.checks] == [True, False]
    assert not progress.met
    assert progress.percent == 50


def test_seven_of_ten_attended_is_below_eighty_percent(participant, coord_rotterdam):
    attend(participant, coord_rotterdam, *[PRESENT] * 7, EXCUSED, UNEXCUSED, UNEXCUSED)
    progress = measure_one(participant, day=MEASURED)
    assert progress.attendance_rate == 70
    assert progress.checks[0].met is False
    assert progress.checks[0].measured == "70%"


def test_only_the_last_four_weeks_count(participant, coord_rotterdam):
    # Day 28 back is outside the window (the window is MEASURED and the 27 days before it).
    attend_on(participant, coord_rotterdam, MEASURED - dt.timedelta(days=28), UNEXCUSED)
    attend_on(participant, coord_rotterdam, MEASURED - dt.timedelta(days=29), LATE)
    attend_on(participant, coord_rotterdam, MEASURED - dt.timedelta(days=30), LATE)
    attend_on(participant, coord_rotterdam, MEASURED - dt.timedelta(days=27), LATE)
    attend_on(participant, coord_rotterdam, MEASURED, PRESENT)
    progress = measure_one(participant, day=MEASURED)
    assert progress.attendance_rate == 100
    assert progress.late == 1
    # A day later, the late arrival of 27 days back has left the window too.
    assert measure_one(participant, day=MEASURED + dt.timedelta(days=1)).late == 0


def test_sessions_after_the_day_measured_do_not_count(participant, coord_rotterdam):
    attend_on(participant, coord_rotterdam, MEASURED, PRESENT)
    attend_on(participant, coord_rotterdam, MEASURED + dt.timedelta(days=1), UNEXCUSED)
    assert measure_one(participant, day=MEASURED).attendance_rate == 100


def test_with_nothing_recorded_the_work_rhythm_criteria_are_not_met(participant):
    progress = measure_one(participant, day=MEASURED)
    assert progress.attendance_rate is None
    assert [check.met for check in progress.checks] == [False, False]
    assert progress.percent == 0


def test_the_thresholds_are_data_on_the_phase(participant, coord_rotterdam, programme):
    attend(participant, coord_rotterdam, *[PRESENT] * 7, UNEXCUSED, UNEXCUSED, UNEXCUSED)
    assert not measure_one(participant, day=MEASURED).met
    Phase.objects.filter(programme=programme, number=1).update(min_attendance_percent=70)
    assert measure_one(participant, day=MEASURED).met


def rate(participant, by, skill, rating, *, on, rater=SkillRating.Rater.COACH):
    SkillRating.objects.create(
        participant=participant,
        skill=skill,
        rating=rating,
        rater=rater,
        rated_on=on,
        recorded_by=by,
    )


def test_phase_2_needs_every_core_skill_rated_3_by_the_coach(
    participant, coord_rotterdam, programme
):
    participant.phase = 2
    participant.save()
    core = list(programme.core_skills.order_by("name_nl"))
    assert len(core) == 4
    for skill in core:
        rate(participant, coord_rotterdam, skill, 3, on=MEASURED)
    assert measure_one(participant, day=MEASURED).met
    # The latest coach rating counts: a later 2 undoes the earlier 3.
    rate(participant, coord_rotterdam, core[0], 2, on=MEASURED)
    progress = measure_one(participant, day=MEASURED)
    assert [check.met for check in progress.checks].count(False) == 1
    assert progress.percent == 75


def test_ratings_by_the_young_person_or_an_employer_do_not_count_for_the_criterion(
    participant, coord_rotterdam, programme
):
    participant.phase = 2
    participant.save()
    for skill in programme.core_skills.all():
        rate(participant, coord_rotterdam, skill, 5, on=MEASURED, rater=SkillRating.Rater.SELF)
    progress = measure_one(participant, day=MEASURED)
    assert not progress.met
    assert {check.measured for check in progress.checks} == {
        "nog niet beoordeeld"
    }  # the interface speaks Dutch


def test_a_rating_after_the_day_measured_does_not_count(participant, coord_rotterdam, programme):
    participant.phase = 2
    participant.save()
    for skill in programme.core_skills.all():
        rate(participant, coord_rotterdam, skill, 4, on=MEASURED + dt.timedelta(days=1))
    assert not measure_one(participant, day=MEASURED).met


def test_many_participants_are_measured_in_a_fixed_number_of_queries(
    cohort, coord_rotterdam, django_assert_num_queries
):
    from youth.factories import YoungPersonFactory

    participants = [
        ParticipantFactory(cohort=cohort, youth=YoungPersonFactory(city=cohort.city))
        for _ in range(5)
    ]
    for participant in participants:
        attend(participant, coord_rotterdam, PRESENT, LATE)
    loaded = list(type(participants[0]).objects.select_related("cohort"))
    with django_assert_num_queries(4):
        result = measure(loaded, day=MEASURED)
    assert all(result[p.pk].attendance_rate == 100 for p in participants)
