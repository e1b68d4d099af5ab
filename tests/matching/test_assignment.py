"""The assignment is the exact optimum: held against a brute force that tries every way of giving
young people a place or none, on many small random pools."""

import random

import numpy as np
import pytest

from matching.assignment import assign

# One decimal, as scores are; few distinct values, so that ties are common.
TIED_SCORES = [0.0, 12.5, 39.9, 40.0, 55.5, 55.5, 70.2, 70.2, 88.8, 100.0]


def brute_force_total(scores: np.ndarray, places: np.ndarray, minimum: float) -> float:
    """The highest total over every assignment: each young person gets one allowed opening that
    still has a place, or none."""
    n_youth, n_openings = scores.shape
    left = [int(count) for count in places]

    def best_from(person: int) -> float:
        if person == n_youth:
            return 0.0
        best = best_from(person + 1)  # this one gets no place
        for opening in range(n_openings):
            if left[opening] and scores[person, opening] >= minimum:
                left[opening] -= 1
                best = max(best, scores[person, opening] + best_from(person + 1))
                left[opening] += 1
        return best

    return round(best_from(0), 1)


def random_pool(rng: random.Random) -> tuple[np.ndarray, np.ndarray, float]:
    n_youth, n_openings = rng.randint(1, 6), rng.randint(1, 4)
    if rng.random() < 0.5:
        values = [[rng.choice(TIED_SCORES) for _ in range(n_openings)] for _ in range(n_youth)]
    else:
        values = [[rng.randint(0, 1000) / 10 for _ in range(n_openings)] for _ in range(n_youth)]
    places = [rng.randint(0, 3) for _ in range(n_openings)]
    return np.array(values), np.array(places), rng.choice([0, 30, 40, 55.5, 70])


def assert_valid(result, scores: np.ndarray, places: np.ndarray, minimum: float) -> None:
    """Each young person at most once, no opening over its places, no pair below the minimum,
    and the scores reported are those of the matrix."""
    assert len(set(result.youth.tolist())) == len(result.youth)
    taken = np.bincount(result.openings, minlength=len(places)) if len(result) else 0
    assert np.all(taken <= places)
    assert np.all(result.scores >= minimum)
    assert np.array_equal(result.scores, scores[result.youth, result.openings])
    assert result.total == round(float(scores[result.youth, result.openings].sum()), 1)


def test_the_assignment_equals_the_brute_force_optimum_on_many_small_pools():
    rng = random.Random(2026)
    shapes = set()
    for case in range(400):
        scores, places, minimum = random_pool(rng)
        result = assign(scores, places, minimum)

        assert_valid(result, scores, places, minimum)
        assert result.total == brute_force_total(scores, places, minimum), (
            f"case {case}: scores={scores.tolist()} places={places.tolist()} minimum={minimum}"
        )
        shapes.add(np.sign(len(scores) - places.sum()))
    assert shapes == {-1, 0, 1}  # more young people than places, as many, and fewer


def test_the_optimum_gives_up_the_single_best_pair_when_two_others_add_up_to_more():
    scores = np.array([[90.0, 80.0], [85.0, 10.0]])

    result = assign(scores, np.array([1, 1]), minimum=40)

    # Greedy takes 90 and has nothing left above the minimum; the optimum is 80 + 85.
    assert sorted(zip(result.youth.tolist(), result.openings.tolist(), strict=True)) == [
        (0, 1),
        (1, 0),
    ]
    assert result.total == 165.0


def test_an_opening_with_two_places_takes_the_two_best_young_people():
    scores = np.array([[50.0], [90.0], [70.0]])

    result = assign(scores, np.array([2]), minimum=40)

    assert sorted(result.youth.tolist()) == [1, 2]
    assert result.openings.tolist() == [0, 0]
    assert result.total == 160.0


def test_more_places_than_young_people_leaves_places_empty():
    scores = np.array([[60.0, 65.0, 41.0]])

    result = assign(scores, np.array([3, 1, 2]), minimum=40)

    assert result.youth.tolist() == [0]
    assert result.openings.tolist() == [1]


def test_no_pair_at_or_above_the_minimum_assigns_no_one():
    scores = np.array([[39.9, 10.0], [0.0, 39.0]])

    result = assign(scores, np.array([1, 2]), minimum=40)

    assert len(result) == 0
    assert result.total == 0.0


def test_a_pair_exactly_at_the_minimum_may_be_assigned():
    result = assign(np.array([[40.0]]), np.array([1]), minimum=40)

    assert result.scores.tolist() == [40.0]


def test_openings_without_places_get_no_one():
    scores = np.array([[95.0, 50.0], [90.0, 45.0]])

    result = assign(scores, np.array([0, 1]), minimum=40)

    assert result.openings.tolist() == [1]
    assert result.total == 50.0


def test_zero_places_in_all_assigns_no_one():
    assert len(assign(np.full((3, 2), 80.0), np.array([0, 0]), minimum=40)) == 0


@pytest.mark.parametrize("shape", [(0, 0), (0, 3), (3, 0)])
def test_an_empty_matrix_assigns_no_one(shape):
    result = assign(np.zeros(shape), np.ones(shape[1], dtype=int), minimum=40)

    assert len(result) == 0
    assert result.total == 0.0


@pytest.mark.parametrize(
    ("scores", "places"),
    [
        (np.array([50.0, 60.0]), np.array([1, 1])),  # not a matrix
        (np.zeros((2, 3)), np.array([1, 1])),  # places for two openings, three columns
        (np.zeros((2, 2)), np.array([[1, 1]])),  # places not one per opening
        (np.zeros((2, 2)), np.array([1, -1])),  # negative places
    ],
)
def test_a_bad_shape_or_negative_places_raise_value_error(scores, places):
    with pytest.raises(ValueError, match=r"places|scores"):
        assign(scores, places, minimum=40)
