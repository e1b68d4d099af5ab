"""Suggestions: the ten best openings for a young person and the ten best young people for an
opening, within the user's scope, each with the explanation of its score."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils.html import escape

from employers.models import Employer, Opening
from matching.models import ScoreWeights
from matching.scoring import score_matrix
from matching.selectors import (
    suggestion_openings_for,
    suggestion_youth_for,
    suggestions_for_opening,
    suggestions_for_youth,
)
from restart_platform.accounts.models import AccessEvent
from youth.models import YoungPerson

from .conftest import HTMX, TODAY, fitting_youth, make_opening, opening_panel, youth_panel

pytestmark = pytest.mark.django_db

# Suggestions add the same queries to a panel whatever the number of candidates: the weights, the
# candidate ids, the seven of the score, the rows shown, and the taxonomy terms the sentences
# name (a query per table, once).
PROFILE_BUDGET = 19  # the profile page: the suggestions load afterwards, with matching's panel
PROFILE_PANEL_BUDGET = 15  # that panel: the suggestions and the employers interested
OPENING_BUDGET = 10  # the opening page
OPENING_PANEL_BUDGET = 13  # its panel: the suggestions
# The first suggestions of a process also load the warm features (matching.features): the
# notes' mark and the rows of every young person and opening, in a fixed number of queries.
WARMING = 9


def good_opening(place, sectors, **fields) -> Opening:
    return make_opening(place, sectors["recycling"], required=["tools", "safety"], **fields)


@pytest.fixture
def world(cities, sectors, jw_rotterdam, jw_dordrecht):
    rotterdam, dordrecht = cities["rotterdam"], cities["dordrecht"]
    return {
        "youth": fitting_youth(jw_rotterdam, rotterdam),
        "dordrecht_youth": fitting_youth(jw_dordrecht, dordrecht),
        "opening": good_opening(rotterdam, sectors, title="Demontage Waalhaven"),
        "dordrecht_opening": good_opening(dordrecht, sectors, title="Sorteren Merwede"),
        "closed_opening": good_opening(
            rotterdam, sectors, title="Gesloten Kralingen", status=Opening.Status.CLOSED
        ),
        "filled_opening": good_opening(
            rotterdam, sectors, title="Vol Feijenoord", status=Opening.Status.FILLED
        ),
    }


def matches(suggestions) -> list:
    return [suggestion.match for suggestion in suggestions]


# --- Scope ------------------------------------------------------------------------------------


def test_a_coordinator_is_suggested_only_the_open_openings_of_their_own_cities(
    world, admin, coord_rotterdam
):
    assert matches(suggestions_for_youth(admin, world["youth"])) == [
        world["opening"],
        world["dordrecht_opening"],
    ]
    assert matches(suggestions_for_youth(coord_rotterdam, world["youth"])) == [world["opening"]]
    assert set(suggestion_openings_for(coord_rotterdam)) == {world["opening"].pk}


def test_a_youth_worker_is_suggested_no_openings(world, jw_rotterdam):
    assert list(suggestion_openings_for(jw_rotterdam)) == []
    assert suggestions_for_youth(jw_rotterdam, world["youth"]) == []


def test_placed_left_and_merged_young_people_are_never_suggested(
    world, admin, coord_rotterdam, jw_rotterdam, rotterdam
):
    placed = fitting_youth(jw_rotterdam, rotterdam, journey=YoungPerson.Journey.PLACED)
    left = fitting_youth(
        jw_rotterdam, rotterdam, journey=YoungPerson.Journey.LEFT, left_reason="Verhuisd"
    )
    merged = fitting_youth(jw_rotterdam, rotterdam)
    YoungPerson.objects.filter(pk=merged.pk).update(merged_into=world["youth"])

    assert set(suggestion_youth_for(admin)) == {world["youth"].pk, world["dordrecht_youth"].pk}
    assert matches(suggestions_for_opening(coord_rotterdam, world["opening"])) == [world["youth"]]
    shown = matches(suggestions_for_opening(admin, world["opening"]))
    assert world["dordrecht_youth"] in shown
    assert not {placed, left, merged} & set(shown)


# --- Ranking ----------------------------------------------------------------------------------


@pytest.fixture
def many_openings(world, cities, sectors):
    """Fourteen open Rotterdam openings that fit less and less, and one that does not fit."""
    held_of_four = [4, 4, 3, 3, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0]
    asked = ["tools", "safety", "forklift", "stock"]
    not_held = ["cooperation", "sorting", "dismantling", "refurbishing"]
    openings = [
        make_opening(
            cities["rotterdam"],
            sectors["recycling"],
            required=[*asked[:held], *not_held[held:]],
            hours_per_week=[16, 32, 40][k % 3],
            title=f"Vacature {k}",
        )
        for k, held in enumerate(held_of_four)
    ]
    unfit = make_opening(
        cities["dordrecht"],
        sectors["test-no-interests"],
        circularity=Employer.Circularity.NOT_YET,
        required=not_held,
        start_date=TODAY - dt.timedelta(days=100),
        title="Past niet",
    )
    return openings, unfit


def test_the_suggestions_are_the_ten_best_at_or_above_the_minimum_score(
    world, many_openings, jw_rotterdam, cities, admin
):
    _openings, unfit = many_openings
    youth = fitting_youth(
        jw_rotterdam,
        cities["rotterdam"],
        interests=[],
        skills=["tools", "safety", "forklift"],
        travel_range_km=5,
    )
    weights = ScoreWeights.load()
    ids = list(suggestion_openings_for(admin))
    scores = dict(zip(ids, score_matrix([youth.pk], ids, weights).totals[0], strict=True))
    expected = sorted(
        (pk for pk in ids if scores[pk] >= weights.minimum_score),
        key=lambda pk: (-scores[pk], pk),
    )[:10]

    suggestions = suggestions_for_youth(admin, youth)

    assert [suggestion.match.pk for suggestion in suggestions] == expected
    assert len(suggestions) == 10
    assert [s.score for s in suggestions] == sorted((s.score for s in suggestions), reverse=True)
    assert all(s.score >= weights.minimum_score for s in suggestions)
    assert len({s.score for s in suggestions}) > 1
    assert scores[unfit.pk] < weights.minimum_score
    assert len(expected) < len(ids)


def test_nothing_below_the_minimum_score_is_suggested(world, coord_rotterdam):
    ScoreWeights.objects.filter(pk=ScoreWeights.load().pk).update(minimum_score=100)
    assert suggestions_for_youth(coord_rotterdam, world["youth"]) == []
    assert suggestions_for_opening(coord_rotterdam, world["opening"]) == []


def test_the_shares_of_the_explanation_add_up_to_the_score(world, many_openings, admin):
    suggestions = [
        *suggestions_for_youth(admin, world["youth"]),
        *suggestions_for_opening(admin, world["opening"]),
    ]
    assert suggestions
    for suggestion in suggestions:
        assert sum(c.points for c in suggestion.components) == pytest.approx(suggestion.score)
        assert all(c.sentence and c.label for c in suggestion.components)


# --- The pages --------------------------------------------------------------------------------


def assert_explained(response, suggestions):
    content = response.content.decode()
    assert content.count('data-testid="suggestion"') == len(suggestions)
    assert content.count('data-testid="suggestion-why"') == len(suggestions)
    assert content.count("<summary>") >= len(suggestions)
    for suggestion in suggestions:
        for component in suggestion.components:
            assert escape(component.sentence) in content


def test_the_profile_and_the_opening_page_load_matchings_panel_with_a_link_as_fallback(
    world, client_for, coord_rotterdam
):
    client = client_for(coord_rotterdam)
    for page, panel in [
        (world["youth"].get_absolute_url(), youth_panel(world["youth"])),
        (world["opening"].get_absolute_url(), opening_panel(world["opening"])),
    ]:
        content = client.get(page).content.decode()
        assert f'hx-get="{panel}" hx-trigger="load"' in content
        assert f'<a href="{panel}">' in content
        assert 'data-testid="suggestions"' not in content  # they come with the panel


def test_the_profile_panel_shows_each_suggested_opening_with_its_explanation(
    world, client_for, coord_rotterdam
):
    response = client_for(coord_rotterdam).get(youth_panel(world["youth"]), headers=HTMX)
    assert response.status_code == 200
    suggestions = response.context["suggestions"]
    assert matches(suggestions) == [world["opening"]]
    assert_explained(response, suggestions)
    content = response.content.decode()
    assert "<html" not in content  # a fragment for the profile's slot
    assert reverse("employers:opening_detail", args=[world["opening"].pk]) in content
    assert world["opening"].title in content
    assert world["dordrecht_opening"].title not in content
    assert world["closed_opening"].title not in content
    # Shortlisting from the panel goes back to the profile, not to the panel.
    assert f'name="next" value="{world["youth"].get_absolute_url()}"' in content


def test_the_opening_panel_shows_each_suggested_young_person_with_their_explanation(
    world, client_for, coord_rotterdam
):
    response = client_for(coord_rotterdam).get(opening_panel(world["opening"]), headers=HTMX)
    assert response.status_code == 200
    suggestions = response.context["suggestions"]
    assert matches(suggestions) == [world["youth"]]
    assert_explained(response, suggestions)
    content = response.content.decode()
    assert world["youth"].get_absolute_url() in content
    assert world["youth"].case_reference in content
    assert world["dordrecht_youth"].case_reference not in content
    assert f'name="next" value="{world["opening"].get_absolute_url()}"' in content


def test_a_panel_opened_without_javascript_is_a_page_with_the_way_back(
    world, client_for, coord_rotterdam
):
    client = client_for(coord_rotterdam)
    for record, panel in [
        (world["youth"], youth_panel(world["youth"])),
        (world["opening"], opening_panel(world["opening"])),
    ]:
        response = client.get(panel)
        content = response.content.decode()
        assert response.status_code == 200
        assert "<html" in content
        assert f'href="{record.get_absolute_url()}"' in content
        assert 'data-testid="suggestions"' in content
        assert "HX-Request" in response["Vary"]


def test_the_panels_say_so_when_nothing_reaches_the_minimum_score(
    world, client_for, coord_rotterdam
):
    ScoreWeights.objects.filter(pk=ScoreWeights.load().pk).update(minimum_score=100)
    client = client_for(coord_rotterdam)
    for url in (youth_panel(world["youth"]), opening_panel(world["opening"])):
        response = client.get(url, headers=HTMX)
        assert response.context["suggestions"] == []
        assert 'data-testid="suggestions-empty"' in response.content.decode()


def test_a_youth_worker_sees_no_suggestions_on_their_young_persons_profile(
    world, client_for, jw_rotterdam
):
    response = client_for(jw_rotterdam).get(youth_panel(world["youth"]), headers=HTMX)
    assert response.status_code == 200
    assert response.context["suggestions"] is None
    content = response.content.decode()
    assert 'data-testid="suggestions"' not in content
    assert world["opening"].title not in content
    assert world["opening"].employer.name not in content


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("coord_rotterdam", True),
        ("jw_rotterdam", True),
        ("coord_dordrecht", False),
        ("jw_dordrecht", False),
        ("employer1", False),
    ],
)
def test_the_profile_panel_answers_whoever_sees_the_profile_and_logs_the_look(
    role, allowed, world, cast, client_for
):
    response = client_for(cast[role]).get(youth_panel(world["youth"]), headers=HTMX)
    assert response.status_code == (200 if allowed else 404)
    logged = AccessEvent.objects.get(actor=cast[role], object_id=str(world["youth"].pk))
    outcome = AccessEvent.Outcome.ALLOWED if allowed else AccessEvent.Outcome.DENIED
    assert logged.outcome == outcome


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        ("admin", True),
        ("coord_rotterdam", True),
        ("coord_dordrecht", False),
        ("jw_rotterdam", False),
        ("employer1", False),
    ],
)
def test_the_opening_panel_answers_the_staff_who_see_the_opening(
    role, allowed, world, cast, client_for
):
    response = client_for(cast[role]).get(opening_panel(world["opening"]), headers=HTMX)
    assert response.status_code == (200 if allowed else 404)


@pytest.mark.parametrize("candidates", [5, 60])
def test_the_profile_keeps_its_query_budget_however_many_openings_there_are(
    candidates,
    cities,
    sectors,
    jw_rotterdam,
    coord_rotterdam,
    client_for,
    django_assert_max_num_queries,
):
    youth = fitting_youth(jw_rotterdam, cities["rotterdam"])
    for k in range(candidates):
        good_opening(cities["rotterdam"], sectors, title=f"Vacature {k}")
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(PROFILE_BUDGET):
        assert client.get(youth.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(PROFILE_PANEL_BUDGET + WARMING):
        client.get(youth_panel(youth), headers=HTMX)
    with django_assert_max_num_queries(PROFILE_PANEL_BUDGET):
        response = client.get(youth_panel(youth), headers=HTMX)
    assert len(response.context["suggestions"]) == min(candidates, 10)


@pytest.mark.parametrize("candidates", [5, 60])
def test_the_opening_page_keeps_its_query_budget_however_many_young_people_there_are(
    candidates,
    cities,
    sectors,
    jw_rotterdam,
    coord_rotterdam,
    client_for,
    django_assert_max_num_queries,
):
    opening = good_opening(cities["rotterdam"], sectors)
    for _ in range(candidates):
        fitting_youth(jw_rotterdam, cities["rotterdam"])
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(OPENING_BUDGET):
        assert client.get(opening.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(OPENING_PANEL_BUDGET + WARMING):
        client.get(opening_panel(opening), headers=HTMX)
    with django_assert_max_num_queries(OPENING_PANEL_BUDGET):
        response = client.get(opening_panel(opening), headers=HTMX)
    assert len(response.context["suggestions"]) == min(candidates, 10)
