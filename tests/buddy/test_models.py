"""What the database itself refuses in the buddy programme."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from buddy.factories import MentorFactory, PairFactory
from buddy.models import CheckIn, Mentor, Pair, PairScoreWeights
from restart_platform.taxonomy.models import PersonalInterest

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def test_the_personal_interests_are_seeded_and_include_music_and_cooking():
    assert {"sport", "music", "gaming", "cars", "cooking"} <= set(
        PersonalInterest.objects.values_list("slug", flat=True)
    )


def test_a_young_person_has_one_open_pair_at_a_time():
    pair = PairFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        PairFactory(placement=pair.placement)


def test_a_closed_pair_makes_room_for_a_new_one():
    pair = PairFactory()
    Pair.objects.filter(pk=pair.pk).update(
        status=Pair.Status.CLOSED, closed_on=TODAY, close_reason=Pair.CloseReason.MISMATCH
    )
    assert PairFactory(placement=pair.placement).youth == pair.youth


def test_a_pair_closed_without_a_reason_is_refused():
    pair = PairFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.CLOSED, closed_on=TODAY)


def test_a_kicked_off_pair_without_a_date_is_refused():
    pair = PairFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.KICKED_OFF)


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_1_to_5_is_refused(rating):
    pair = PairFactory()
    Pair.objects.filter(pk=pair.pk).update(status=Pair.Status.KICKED_OFF, kickoff_on=TODAY)
    checkin = CheckIn.objects.create(pair=pair, held_on=TODAY, logged_by=pair.proposed_by)
    for field in ("wellbeing_rating", "trust_youth", "job_satisfaction"):
        with pytest.raises(IntegrityError), transaction.atomic():
            CheckIn.objects.filter(pk=checkin.pk).update(**{field: rating})


def test_a_mentor_takes_one_to_five_young_people():
    mentor = MentorFactory()
    for capacity in (0, 6):
        with pytest.raises(IntegrityError), transaction.atomic():
            Mentor.objects.filter(pk=mentor.pk).update(capacity=capacity)


def test_the_pairing_weights_are_one_row_that_never_sums_to_zero():
    weights = PairScoreWeights.load()
    with pytest.raises(IntegrityError), transaction.atomic():
        PairScoreWeights.objects.create(pk=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        PairScoreWeights.objects.filter(pk=weights.pk).update(
            needs=0, work_fields=0, interests=0, age_gap=0
        )


def test_a_pair_counts_its_months_against_the_twelve_month_target():
    pair = Pair(kickoff_on=dt.date(2025, 12, 2))
    assert pair.months_running(TODAY) == 11
    assert not pair.reached_target(TODAY)
    assert pair.months_running(dt.date(2026, 12, 2)) == 12
    assert pair.reached_target(dt.date(2026, 12, 2))
