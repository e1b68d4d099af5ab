"""The participant list across cohorts: search, filters, pagination, an empty state, a fixed
number of queries, and youth workers seeing only their own young people."""

import pytest
from django.urls import reverse

from prep_programme import services
from prep_programme.factories import CohortFactory, SessionFactory
from restart_platform.view_helpers import PAGE_SIZE
from youth.factories import YoungPersonFactory

from .test_views import many_participants

URL = reverse("prep_programme:participant_list")


@pytest.fixture
def cohorts(programme, rotterdam, dordrecht, coord_rotterdam):
    return (
        CohortFactory(programme=programme, city=rotterdam, name="Maasstad"),
        CohortFactory(programme=programme, city=dordrecht, name="Drechtsteden"),
    )


@pytest.mark.parametrize("count", [5, 60])
def test_the_list_keeps_its_query_count(
    count, cohorts, jw_rotterdam, coord_rotterdam, client_for, django_assert_max_num_queries
):
    many_participants(cohorts[0], jw_rotterdam, count)
    client = client_for(coord_rotterdam)
    for params in ({}, {"attention": "on"}, {"phase": "1", "q": "Jongere"}):
        with django_assert_max_num_queries(16):
            response = client.get(URL, params)
        assert response.status_code == 200
    assert response.context["page"].paginator.count == count
    assert len(response.context["rows"]) == min(count, PAGE_SIZE)


def test_search_and_filters(
    cohorts, coord_rotterdam, coord_dordrecht, jw_rotterdam, jw_dordrecht, admin, client_for
):
    maas, drecht = cohorts
    ayla = YoungPersonFactory(first_name="Ayla", youth_worker=jw_rotterdam, city=maas.city)
    bram = YoungPersonFactory(first_name="Bram", youth_worker=jw_dordrecht, city=drecht.city)
    first = services.participant_enrol(cohort=maas, youth=ayla, by=coord_rotterdam)
    services.participant_enrol(cohort=drecht, youth=bram, by=coord_dordrecht)
    services.participant_move_phase(participant=first, to_phase=2, note="x", by=coord_rotterdam)
    client = client_for(admin)

    def names(**params):
        response = client.get(URL, params)
        return sorted(row.participant.youth.first_name for row in response.context["rows"])

    assert names() == ["Ayla", "Bram"]
    assert names(q="ayl") == ["Ayla"]
    assert names(q=bram.case_reference) == ["Bram"]
    assert names(city=drecht.city_id) == ["Bram"]
    assert names(cohort=maas.pk) == ["Ayla"]
    assert names(phase="2") == ["Ayla"]
    assert names(status="left") == []
    assert names(attention="on") == []
    services.attendance_record(
        session=SessionFactory(cohort=maas),
        marks={first.pk: ("unexcused", "")},
        by=coord_rotterdam,
    )
    assert names(attention="on") == ["Ayla"]  # attendance below 80%
    empty = client.get(URL, {"q": "niemand"})
    assert 'data-testid="empty"' in empty.content.decode()


def test_hostile_filters_give_a_page_not_a_500(cohorts, coord_rotterdam, client_for):
    client = client_for(coord_rotterdam)
    for params in (
        {"phase": "\u0662"},
        {"phase": "9"},
        {"cohort": "99999999999999999999"},
        {"city": "abc"},
        {"q": "x" * 100_000},
        {"page": "9999"},
        {"status": "<script>"},
    ):
        assert client.get(URL, params).status_code == 200


def test_a_youth_worker_sees_only_their_own_young_people(
    cohorts, coord_rotterdam, jw_rotterdam, jw_rotterdam2, client_for
):
    maas = cohorts[0]
    own = YoungPersonFactory(youth_worker=jw_rotterdam, city=maas.city)
    other = YoungPersonFactory(youth_worker=jw_rotterdam2, city=maas.city)
    services.participant_enrol(cohort=maas, youth=own, by=coord_rotterdam)
    services.participant_enrol(cohort=maas, youth=other, by=coord_rotterdam)
    response = client_for(jw_rotterdam).get(URL)
    assert [row.participant.youth for row in response.context["rows"]] == [own]
    assert "city" not in response.context["form"].fields


def test_another_citys_coordinator_sees_none_of_rotterdam(
    cohorts, coord_rotterdam, coord_dordrecht, jw_rotterdam, client_for
):
    maas = cohorts[0]
    youth = YoungPersonFactory(youth_worker=jw_rotterdam, city=maas.city)
    services.participant_enrol(cohort=maas, youth=youth, by=coord_rotterdam)
    response = client_for(coord_dordrecht).get(URL, {"cohort": maas.pk})
    assert response.context["rows"] == []
    assert maas not in response.context["form"].fields["cohort"].queryset


@pytest.mark.parametrize("role", ["employer1", "anonymous"])
def test_employers_get_404_and_anonymous_the_login(role, cast, client, client_for):
    http = client if role == "anonymous" else client_for(cast[role])
    response = http.get(URL)
    assert response.status_code == (302 if role == "anonymous" else 404)
