import datetime as dt
import random
import re

import numpy as np
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from employers.models import Employer
from intake.models import IntakeRecord
from matching.explanations import explain
from matching.models import ScoreWeights
from matching.scoring import (
    COMPONENTS,
    reference_scores,
    score_matrix,
    top_openings_for,
    top_youth_for,
)
from youth.models import YoungPerson

from .conftest import TODAY, finish_intake, make_opening, make_youth

pytestmark = pytest.mark.django_db

QUERIES = 7  # young people, their interests, their skills, openings, required, nice, sectors
# Never an input of a score. The models have no gender, ethnicity, nationality, religion or
# photo; should one come, scoring still does not read it.
NEVER_READ = (
    "first_name",
    "last_name",
    "preferred_name",
    "gender",
    "ethnicity",
    "nationality",
    "religion",
    "photo",
)


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


def scored(youth, opening, weights=None):
    """The components of one pair and their explanation, keyed by name."""
    result = score_matrix([youth.pk], [opening.pk], weights or ScoreWeights.load())
    return result.component_values(youth.pk, opening.pk), {
        component.name: component for component in explain(result, youth.pk, opening.pk)
    }


# --- The fast and the reference implementation ----------------------------------------------


def test_fast_and_reference_scores_agree_on_a_random_world(random_world):
    youth_ids, opening_ids = random_world(12, 9)
    other = ScoreWeights(
        interests=3,
        required_skills=7,
        nice_skills=0,
        distance=11,
        availability=2,
        readiness=5,
        circular=13,
    )
    for weights in (ScoreWeights.load(), other):
        result = score_matrix(youth_ids, opening_ids, weights)
        reference = reference_scores(youth_ids, opening_ids, weights)

        assert set(reference) == {(y, o) for y in youth_ids for o in opening_ids}
        for (youth_id, opening_id), expected in reference.items():
            i, j = result.index(youth_id, opening_id)
            for name in COMPONENTS:
                assert result.components[name][i, j] == pytest.approx(expected[name], abs=1e-6)
            assert result.totals[i, j] == pytest.approx(expected["total"], abs=1e-6)
    # The world exercises every component: none is the same for all pairs.
    for name in COMPONENTS:
        assert len(np.unique(result.components[name])) > 1, name
        assert result.components[name].min() >= 0
        assert result.components[name].max() <= 1
    assert 0 <= result.totals.min() <= result.totals.max() <= 100


def test_the_result_keeps_the_given_order_and_leaves_out_unknown_ids(random_world):
    youth_ids, opening_ids = random_world(3, 2)
    result = score_matrix([*reversed(youth_ids), 999_999], opening_ids, ScoreWeights.load())
    assert result.youth_ids.tolist() == list(reversed(youth_ids))
    assert result.totals.shape == (3, 2)
    assert score_matrix([], [], ScoreWeights.load()).totals.shape == (0, 0)


def test_weights_that_add_up_to_zero_cannot_score(random_world):
    youth_ids, opening_ids = random_world(1, 1)
    nothing = ScoreWeights(**dict.fromkeys(COMPONENTS, 0))
    with pytest.raises(ValueError, match="above zero"):
        score_matrix(youth_ids, opening_ids, nothing)


# --- Each component on hand-made cases -------------------------------------------------------


@pytest.fixture
def here(cities):
    return cities["rotterdam"]


def test_three_of_four_required_skills_score_three_quarters(here, sectors, jw_rotterdam):
    youth = make_youth(jw_rotterdam, here, skills=["tools", "safety", "forklift", "sorting"])
    opening = make_opening(
        here,
        sectors["recycling"],
        required=["tools", "safety", "forklift", "stock"],
        nice=["sorting", "cooperation"],
    )
    values, why = scored(youth, opening)
    assert values["required_skills"] == 0.75
    assert why["required_skills"].sentence == "3 of 4 required skills"
    assert values["nice_skills"] == 0.5
    assert why["nice_skills"].sentence == "1 of 2 nice-to-have skills"


def test_an_opening_that_asks_no_skills_scores_full_on_skills(here, sectors, jw_rotterdam):
    youth = make_youth(jw_rotterdam, here)
    values, why = scored(youth, make_opening(here, sectors["recycling"]))
    assert values["required_skills"] == values["nice_skills"] == 1.0
    assert why["required_skills"].sentence == "no required skills"
    assert why["nice_skills"].sentence == "no nice-to-have skills"


def test_interests_that_fit_the_sector_score_full(here, sectors, jw_rotterdam):
    youth = make_youth(jw_rotterdam, here, interests=["technology", "care"])
    values, why = scored(youth, make_opening(here, sectors["recycling"]))
    assert values["interests"] == 1.0
    assert why["interests"].sentence == "interested in Technology"


@pytest.mark.parametrize(
    ("interests", "sector", "sentence"),
    [
        ([], "recycling", "no career interests recorded"),
        (["care"], "recycling", "career interests do not fit the sector Recycling and waste"),
        (["care"], "test-no-interests", "no career interests linked to the sector Without"),
    ],
)
def test_interests_that_do_not_fit_score_zero(
    here, sectors, jw_rotterdam, interests, sector, sentence
):
    youth = make_youth(jw_rotterdam, here, interests=interests)
    values, why = scored(youth, make_opening(here, sectors[sector]))
    assert values["interests"] == 0.0
    assert why["interests"].sentence.startswith(sentence)


def test_the_same_city_scores_full_distance(here, sectors, jw_rotterdam):
    youth = make_youth(jw_rotterdam, here, travel_range_km=0)
    values, why = scored(youth, make_opening(here, sectors["recycling"]))
    assert values["distance"] == 1.0
    assert why["distance"].sentence == "same city"


@pytest.mark.parametrize(
    ("travel_range", "expected", "sentence"),
    [
        (25, 1.0, r"^19 km, within the travel range of 25 km$"),
        (10, 0.0, r"^19 km, beyond the travel range of 10 km$"),
    ],
)
def test_another_city_counts_within_the_travel_range(
    cities, sectors, jw_rotterdam, travel_range, expected, sentence
):
    youth = make_youth(jw_rotterdam, cities["rotterdam"], travel_range_km=travel_range)
    values, why = scored(youth, make_opening(cities["dordrecht"], sectors["recycling"]))
    assert values["distance"] == expected
    assert re.match(sentence, why["distance"].sentence)


def test_a_city_without_coordinates_is_out_of_range_unless_it_is_the_same(
    cities, sectors, jw_rotterdam
):
    youth = make_youth(jw_rotterdam, cities["schiedam"], travel_range_km=150)
    values, why = scored(youth, make_opening(cities["rotterdam"], sectors["recycling"]))
    assert values["distance"] == 0.0
    assert why["distance"].sentence == "another city, distance unknown"
    values, _ = scored(youth, make_opening(cities["schiedam"], sectors["recycling"]))
    assert values["distance"] == 1.0


@pytest.mark.parametrize(
    ("hours", "needed", "available_after_start", "expected", "sentences"),
    [
        (16, 32, 0, 0.75, ["16 of 32 hours a week available", "starts in the week"]),
        (None, 32, 0, 0.75, ["hours a week available not recorded"]),
        (40, 32, 14, 0.875, ["32 of 32 hours", "starts 2 weeks before the young person"]),
        (32, 32, 70, 0.5, ["starts 10 weeks before the young person is available"]),
        (32, 32, -14, 1.0, ["starts 2 weeks after the young person is available"]),
        (32, 32, None, 1.0, ["no date recorded"]),
    ],
)
def test_hours_and_start_date_against_availability(
    here, sectors, jw_rotterdam, hours, needed, available_after_start, expected, sentences
):
    available_from = (
        None if available_after_start is None else TODAY + dt.timedelta(days=available_after_start)
    )
    youth = make_youth(jw_rotterdam, here, available_hours=hours, available_from=available_from)
    opening = make_opening(here, sectors["recycling"], hours_per_week=needed, start_date=TODAY)
    values, why = scored(youth, opening)
    assert values["availability"] == expected
    for sentence in sentences:
        assert sentence in why["availability"].sentence


@pytest.mark.parametrize(
    ("journey", "expected"),
    [
        ("registered", 0.4),
        ("intake", 0.6),
        ("programme", 0.9),
        ("follow_up", 0.7),
        ("placed", 0.0),
    ],
)
def test_readiness_follows_the_journey(here, sectors, jw_rotterdam, journey, expected):
    youth = make_youth(jw_rotterdam, here, journey=journey)
    values, why = scored(youth, make_opening(here, sectors["recycling"]))
    assert values["readiness"] == expected
    assert why["readiness"].sentence.startswith("journey: ")


def test_a_young_person_who_left_is_not_ready(here, sectors, jw_rotterdam):
    youth = make_youth(jw_rotterdam, here, journey="left", left_reason="Verhuisd")
    values, _ = scored(youth, make_opening(here, sectors["recycling"]))
    assert values["readiness"] == 0.0


def test_not_now_at_the_latest_intake_lowers_readiness(here, sectors, jw_rotterdam):
    youth = make_youth(jw_rotterdam, here, journey="programme")
    finish_intake(youth, IntakeRecord.Outcome.PROGRAMME, days_ago=30)
    finish_intake(youth, IntakeRecord.Outcome.NOT_NOW, days_ago=3)
    values, why = scored(youth, make_opening(here, sectors["recycling"]))
    assert values["readiness"] == 0.2
    assert "not now" in why["readiness"].sentence


def test_only_the_latest_finished_intake_counts_for_readiness(here, sectors, jw_rotterdam):
    youth = make_youth(jw_rotterdam, here, journey="programme")
    finish_intake(youth, IntakeRecord.Outcome.NOT_NOW, days_ago=30)
    finish_intake(youth, IntakeRecord.Outcome.PROGRAMME, days_ago=3)
    finish_intake(youth, IntakeRecord.Outcome.NOT_NOW, status=IntakeRecord.Status.DRAFT)
    values, _ = scored(youth, make_opening(here, sectors["recycling"]))
    assert values["readiness"] == 0.9


@pytest.mark.parametrize(
    ("circularity", "interests", "expected", "sentence"),
    [
        ("circular", ["repairing"], 1.0, "circular employer; interested in"),
        ("circular", [], 0.5, "circular employer; no interest"),
        ("in_transition", ["recycling-reuse"], 0.5, "employer in transition"),
        ("in_transition", ["technology"], 0.25, "employer in transition"),
        ("not_yet", ["repairing"], 0.0, "employer not (yet) circular"),
    ],
)
def test_circular_work_counts_for_circular_employers(
    here, sectors, jw_rotterdam, circularity, interests, expected, sentence
):
    youth = make_youth(jw_rotterdam, here, interests=interests)
    opening = make_opening(here, sectors["recycling"], circularity=circularity)
    values, why = scored(youth, opening)
    assert values["circular"] == expected
    assert why["circular"].sentence.startswith(sentence)


# --- The explanation --------------------------------------------------------------------------


def test_the_shares_of_the_explanation_add_up_to_the_total(random_world):
    youth_ids, opening_ids = random_world(12, 9)
    weights = ScoreWeights.load()
    result = score_matrix(youth_ids, opening_ids, weights)
    for youth_id in youth_ids:
        for opening_id in opening_ids:
            components = explain(result, youth_id, opening_id)
            assert [c.name for c in components] == list(COMPONENTS)
            assert sum(c.points for c in components) == pytest.approx(
                result.total(youth_id, opening_id), abs=1e-9
            )
            for component in components:
                exact = 100 * component.weight * component.value / weights.total
                assert component.points == pytest.approx(exact, abs=0.1)
                assert component.sentence
                assert component.label


def test_a_pair_scored_without_its_components_explains_the_same(random_world):
    youth_ids, opening_ids = random_world(3, 3)
    weights = ScoreWeights.load()
    full = score_matrix(youth_ids, opening_ids, weights)
    lean = score_matrix(youth_ids, opening_ids, weights, keep_components=False)
    assert lean.components == {}
    assert np.array_equal(full.totals, lean.totals)
    for youth_id in youth_ids:
        for opening_id in opening_ids:
            assert explain(lean, youth_id, opening_id) == explain(full, youth_id, opening_id)


def test_the_explanation_of_a_good_match_reads_as_sentences(here, sectors, jw_rotterdam):
    youth = make_youth(
        jw_rotterdam,
        here,
        interests=["recycling-reuse"],
        skills=["tools", "sorting"],
        available_hours=32,
        journey="programme",
    )
    opening = make_opening(here, sectors["recycling"], required=["tools", "sorting"])
    _, why = scored(youth, opening)
    assert [component.sentence for component in why.values()] == [
        "interested in Recycling and reuse",
        "2 of 2 required skills",
        "no nice-to-have skills",
        "same city",
        "32 of 32 hours a week available; starts in the week the young person is available",
        "journey: Pre-employment programme",
        "circular employer; interested in recycling, reuse or repairing",
    ]
    assert sum(component.points for component in why.values()) == 99.0  # readiness 0.9 of 10


# --- Fairness -----------------------------------------------------------------------------------


def test_changing_the_names_of_every_young_person_changes_no_score(random_world):
    youth_ids, opening_ids = random_world(12, 9)
    weights = ScoreWeights.load()
    before = score_matrix(youth_ids, opening_ids, weights)
    rng = random.Random(7)
    for youth in YoungPerson.objects.filter(pk__in=youth_ids):
        youth.first_name = rng.choice(["Mohammed", "Sanne", "Priya", "Kofi", "Anouk", "Jerzy"])
        youth.last_name = rng.choice(["El Amrani", "de Vries", "Ramdin", "Mensah", "Kowalski"])
        youth.preferred_name = rng.choice(["", "Mo", "Sam", "Pri"])
        youth.save(update_fields=["first_name", "last_name", "preferred_name"])

    with CaptureQueriesContext(connection) as queries:
        after = score_matrix(youth_ids, opening_ids, weights)

    assert np.array_equal(before.totals, after.totals)
    for name in COMPONENTS:
        assert np.array_equal(before.components[name], after.components[name])
    read = " ".join(query["sql"] for query in queries.captured_queries).lower()
    for column in NEVER_READ:
        assert column not in read


# --- Weights ------------------------------------------------------------------------------------


def test_a_weight_change_changes_the_totals_accordingly(random_world):
    youth_ids, opening_ids = random_world(12, 9)
    before = score_matrix(youth_ids, opening_ids, ScoreWeights.load())

    ScoreWeights.objects.filter(pk=1).update(
        **{**dict.fromkeys(COMPONENTS, 0), "required_skills": 1}
    )
    only_skills = score_matrix(youth_ids, opening_ids, ScoreWeights.load())
    assert only_skills.totals == pytest.approx(100 * before.components["required_skills"], abs=0.05)

    heavier = {**ScoreWeights().as_dict(), "circular": 40}
    ScoreWeights.objects.filter(pk=1).update(**heavier)
    after = score_matrix(youth_ids, opening_ids, ScoreWeights.load())
    for i, j in np.ndindex(after.totals.shape):
        weighted = sum(w * before.components[name][i, j] for name, w in heavier.items())
        assert after.totals[i, j] == pytest.approx(100 * weighted / 130, abs=0.05 + 1e-9)
    assert not np.array_equal(before.totals, after.totals)


# --- Queries ------------------------------------------------------------------------------------


def test_scoring_reads_in_a_fixed_number_of_queries(random_world, django_assert_num_queries):
    youth_ids, opening_ids = random_world(40, 40)
    weights = ScoreWeights.load()
    with django_assert_num_queries(QUERIES):
        score_matrix(youth_ids[:5], opening_ids[:5], weights)
    with django_assert_num_queries(QUERIES):
        score_matrix(youth_ids, opening_ids, weights)
    with django_assert_num_queries(QUERIES):
        reference_scores(youth_ids, opening_ids, weights)
    with django_assert_num_queries(QUERIES):
        top_openings_for(youth_ids[0], opening_ids, weights)


# --- Top-N helpers ------------------------------------------------------------------------------


def test_the_best_openings_come_first_and_ties_go_by_id(here, sectors, jw_rotterdam):
    youth = make_youth(jw_rotterdam, here, interests=["technology"], skills=["tools"])
    good = make_opening(here, sectors["recycling"], required=["tools"])
    tie_first = make_opening(here, sectors["recycling"], required=["tools", "safety"])
    tie_second = make_opening(here, sectors["recycling"], required=["tools", "safety"])
    poor = make_opening(here, sectors["care"], required=["safety"], circularity="not_yet")
    weights = ScoreWeights.load()
    ids = [poor.pk, tie_second.pk, tie_first.pk, good.pk]

    best = top_openings_for(youth.pk, ids, weights, n=3)

    assert [pk for pk, _ in best] == [good.pk, tie_first.pk, tie_second.pk]
    assert best[0][1] > best[1][1] == best[2][1]
    everything = top_openings_for(youth.pk, ids, weights)
    assert [pk for pk, _ in everything] == [good.pk, tie_first.pk, tie_second.pk, poor.pk]
    assert top_openings_for(999_999, ids, weights) == []


def test_the_best_young_people_come_first_and_ties_go_by_id(here, sectors, jw_rotterdam):
    opening = make_opening(here, sectors["recycling"], required=["tools", "safety"])
    both = make_youth(jw_rotterdam, here, skills=["tools", "safety"])
    one_a = make_youth(jw_rotterdam, here, skills=["tools"])
    one_b = make_youth(jw_rotterdam, here, skills=["safety"])
    none = make_youth(jw_rotterdam, here)
    weights = ScoreWeights.load()

    best = top_youth_for(opening.pk, [none.pk, one_b.pk, one_a.pk, both.pk], weights, n=3)

    assert [pk for pk, _ in best] == [both.pk, one_a.pk, one_b.pk]
    assert best[0][1] > best[1][1] == best[2][1]


def test_the_top_lists_agree_with_the_matrix(random_world):
    youth_ids, opening_ids = random_world(6, 9)
    weights = ScoreWeights.load()
    result = score_matrix(youth_ids, opening_ids, weights)
    for youth_id in youth_ids:
        expected = sorted(
            ((o, result.total(youth_id, o)) for o in opening_ids), key=lambda p: (-p[1], p[0])
        )
        assert top_openings_for(youth_id, opening_ids, weights, n=5) == expected[:5]
    for opening_id in opening_ids:
        expected = sorted(
            ((y, result.total(y, opening_id)) for y in youth_ids), key=lambda p: (-p[1], p[0])
        )
        assert top_youth_for(opening_id, youth_ids, weights, n=4) == expected[:4]


def test_circularity_values_cover_every_choice():
    from matching.scoring import CIRCULARITY, READINESS

    assert set(CIRCULARITY) == set(Employer.Circularity.values)
    assert set(READINESS) == set(YoungPerson.Journey.values)
