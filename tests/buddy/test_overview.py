"""The coordinator's overview: each figure on fixed inputs, and a constant number of queries."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.urls import reverse
from django.utils import timezone

from buddy import overview
from buddy.factories import MentorFactory, PairFactory, PlacementFactory
from buddy.models import CheckIn, Pair
from employers.factories import OpeningFactory
from matching.models import FollowUp
from youth.factories import YoungPersonFactory

from .test_lists import make_pairs

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 1)


def pair_at(employer, jw, *, kickoff_on=None, closed_on=None, reason=""):
    placement = PlacementFactory(
        youth=YoungPersonFactory(youth_worker=jw), opening=OpeningFactory(employer=employer)
    )
    pair = PairFactory(placement=placement, mentor=MentorFactory(employer=employer))
    status = Pair.Status.CLOSED if closed_on else Pair.Status.ACTIVE
    if kickoff_on is None:
        status = Pair.Status.CLOSED if closed_on else Pair.Status.PROPOSED
    Pair.objects.filter(pk=pair.pk).update(
        status=status, kickoff_on=kickoff_on, closed_on=closed_on, close_reason=reason
    )
    pair.refresh_from_db()
    return pair


def test_the_share_reaching_twelve_months_counts_only_pairs_that_could_have(
    employer, jw_rotterdam, coord_rotterdam
):
    year_ago = TODAY - relativedelta(months=12)
    pair_at(employer, jw_rotterdam, kickoff_on=year_ago - dt.timedelta(days=30))  # running: made it
    pair_at(
        employer,
        jw_rotterdam,
        kickoff_on=year_ago - dt.timedelta(days=60),
        closed_on=TODAY - dt.timedelta(days=90),
        reason="mismatch",
    )  # closed early
    pair_at(
        employer,
        jw_rotterdam,
        kickoff_on=year_ago - dt.timedelta(days=400),
        closed_on=TODAY - dt.timedelta(days=200),
        reason="completed",
    )  # closed after more than a year
    pair_at(employer, jw_rotterdam, kickoff_on=TODAY - dt.timedelta(days=100))  # too young to count
    share = overview.reached_target(coord_rotterdam, today=TODAY)
    assert (share.count, share.total, share.percentage) == (2, 3, 67)
    reasons = {reason: count for reason, _label, count in overview.close_reasons(coord_rotterdam)}
    assert (reasons["mismatch"], reasons["completed"], reasons["other"]) == (1, 1, 0)


def test_the_share_of_check_ins_on_both_skills_and_well_being(
    employer, jw_rotterdam, coord_rotterdam
):
    pair = pair_at(employer, jw_rotterdam, kickoff_on=TODAY - dt.timedelta(days=60))
    for fields in (
        {"work_note": "Heftruck", "wellbeing_rating": 4},
        {"work_rating": 3, "wellbeing_note": "Moe"},
        {"work_note": "Alleen werk"},
        {"wellbeing_note": "Alleen welzijn"},
    ):
        CheckIn.objects.create(pair=pair, held_on=TODAY, logged_by=coord_rotterdam, **fields)
    share = overview.both_sides_covered(coord_rotterdam)
    assert (share.count, share.total, share.percentage) == (2, 4, 50)


def test_retention_is_split_by_whether_the_placement_had_a_buddy(
    employer, jw_rotterdam, coord_rotterdam
):
    with_buddy = pair_at(employer, jw_rotterdam, kickoff_on=TODAY - dt.timedelta(days=200))
    without = PlacementFactory(
        youth=YoungPersonFactory(youth_worker=jw_rotterdam),
        opening=OpeningFactory(employer=employer),
    )
    answered = {"answered_at": timezone.now(), "answered_by": coord_rotterdam}
    FollowUp.objects.create(
        placement=with_buddy.placement, month=3, due_on=TODAY, still_there=True, **answered
    )
    FollowUp.objects.create(
        placement=without, month=3, due_on=TODAY, still_there=False, reason="Vertrokken", **answered
    )
    FollowUp.objects.create(placement=without, month=6, due_on=TODAY)  # not answered: not counted
    three, six, _twelve = overview.retention_with_and_without_buddy(coord_rotterdam)
    assert (three["with_buddy"].percentage, three["without_buddy"].percentage) == (100, 0)
    assert six["with_buddy"].total == six["without_buddy"].total == 0


def test_the_trust_trend_runs_left_to_right_from_low_to_high(
    employer, jw_rotterdam, coord_rotterdam
):
    pair = pair_at(employer, jw_rotterdam, kickoff_on=TODAY - dt.timedelta(days=90))
    for days, mentor, youth in ((60, 1, 1), (30, 3, None), (0, 5, 5)):
        CheckIn.objects.create(
            pair=pair,
            held_on=TODAY - dt.timedelta(days=days),
            logged_by=coord_rotterdam,
            trust_mentor=mentor,
            trust_youth=youth,
        )
    [running] = overview.active_pairs(coord_rotterdam)
    assert overview.trust_points(running) == "0.0,20.0 40.0,10.0 80.0,0.0"


def test_another_citys_coordinator_sees_none_of_it(employer, jw_rotterdam, coord_dordrecht):
    pair_at(employer, jw_rotterdam, kickoff_on=TODAY - dt.timedelta(days=400))
    assert overview.reached_target(coord_dordrecht, today=TODAY).total == 0
    assert not overview.active_pairs(coord_dordrecht).exists()


def test_the_overview_takes_the_same_queries_for_10_and_1000_pairs(
    employer, cast, client_for, django_assert_max_num_queries
):
    client = client_for(cast["coord_rotterdam"])
    world = {
        "employer": employer,
        "jw": cast["jw_rotterdam"],
        "coordinator": cast["coord_rotterdam"],
    }
    make_pairs(10, **world)
    with django_assert_max_num_queries(15) as small:
        assert client.get(reverse("buddy:buddy_overview")).status_code == 200
    make_pairs(990, **world)
    with django_assert_max_num_queries(15) as large:
        response = client.get(reverse("buddy:buddy_overview"), {"page": 2})
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="running-pair"') == 25
    assert len(large.captured_queries) == len(small.captured_queries)
