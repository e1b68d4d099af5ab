"""The pairs list keeps a constant number of queries from 10 to 1,000 pairs."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from buddy.factories import MentorFactory
from buddy.models import CheckIn, Pair
from employers.factories import OpeningFactory
from matching.models import Placement
from youth.models import YoungPerson

pytestmark = pytest.mark.django_db


def make_pairs(count: int, *, employer, jw, coordinator) -> None:
    """Rows in bulk: a young person, a placement, a kicked-off pair and a check-in each."""
    opening = OpeningFactory(employer=employer, places=count)
    mentor = MentorFactory(employer=employer, capacity=5)
    today = timezone.localdate()
    start = len(YoungPerson.objects.all())
    youth = YoungPerson.objects.bulk_create(
        YoungPerson(
            first_name=f"Jongere{start + n}",
            last_name="Test",
            date_of_birth=dt.date(2006, 1, 1),
            city=employer.city,
            youth_worker=jw,
            referred_by=YoungPerson.Referral.SELF,
        )
        for n in range(count)
    )
    placements = Placement.objects.bulk_create(
        Placement(
            youth=person,
            opening=opening,
            start_date=today,
            hours_per_week=32,
            agreement=Placement.Agreement.EMPLOYMENT,
            created_by=coordinator,
        )
        for person in youth
    )
    pairs = Pair.objects.bulk_create(
        Pair(
            youth=placement.youth,
            mentor=mentor,
            placement=placement,
            score=50,
            proposed_by=coordinator,
            status=Pair.Status.ACTIVE,
            kickoff_on=today - dt.timedelta(days=30),
        )
        for placement in placements
    )
    CheckIn.objects.bulk_create(
        CheckIn(pair=pair, held_on=today, logged_by=coordinator, trust_youth=4) for pair in pairs
    )


QUERIES = 10  # session, user, the user's cities, the navigation badge, count, keys, rows, ...


@pytest.mark.parametrize("role", ["coord_rotterdam", "jw_rotterdam"])
def test_the_pairs_list_takes_the_same_queries_for_10_and_1000_pairs(
    employer, cast, client_for, django_assert_max_num_queries, role
):
    client = client_for(cast[role])
    url = reverse("buddy:pair_list")
    world = {
        "employer": employer,
        "jw": cast["jw_rotterdam"],
        "coordinator": cast["coord_rotterdam"],
    }
    make_pairs(10, **world)
    with django_assert_max_num_queries(QUERIES) as small:
        assert client.get(url).status_code == 200
    make_pairs(990, **world)
    with django_assert_max_num_queries(QUERIES) as large:
        response = client.get(url, {"q": "Jongere", "status": "active", "page": 3})
    assert response.status_code == 200
    assert "1000 koppels" in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
