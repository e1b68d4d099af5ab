"""A city's pool for an assignment proposal, and its best assignment: who may be proposed, the
free places, every pair scored in bulk, and the exact optimum (matching.assignment). Reads and
arithmetic only; matching.services.proposals stores and decides."""

from dataclasses import dataclass

import numpy as np
from django.db.models import F

from employers.models import Opening
from restart_platform.accounts.models import City
from youth.models import YoungPerson

from .assignment import Assignment, assign
from .features import FEATURES
from .models import Placement, Proposal, ScoreWeights
from .scoring import score_matrix


@dataclass(frozen=True)
class Pool:
    youth_ids: list[int]
    opening_ids: list[int]
    free_places: list[int]  # per opening, in the order of opening_ids


def city_pool(city: City) -> Pool:
    """The young people of a city who may be proposed (active, not placed, not merged away),
    and the open openings of the city's employers with their free places. Two queries."""
    placed = Placement.objects.filter(status=Placement.Status.ACTIVE).values("youth")
    youth_ids = list(
        YoungPerson.objects.filter(city=city, merged_into=None)
        .exclude(journey__in=(YoungPerson.Journey.PLACED, YoungPerson.Journey.LEFT))
        .exclude(pk__in=placed)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    openings = (
        Opening.objects.filter(
            employer__city=city, status=Opening.Status.OPEN, places__gt=F("filled_places")
        )
        .order_by("pk")
        .values_list("pk", "places", "filled_places")
    )
    return Pool(
        youth_ids=youth_ids,
        opening_ids=[pk for pk, _places, _filled in openings],
        free_places=[places - filled for _pk, places, filled in openings],
    )


@dataclass(frozen=True)
class Solution:
    youth_ids: np.ndarray  # the young person of each proposed pair
    opening_ids: np.ndarray  # the opening of each proposed pair
    scores: np.ndarray  # the score of each pair
    youth_count: int
    place_count: int
    minimum_score: int

    @property
    def total(self) -> float:
        return round(float(self.scores.sum()), 1)


def solve(pool: Pool, weights: ScoreWeights, *, progress=None) -> Solution:
    """Score every pair of the pool in bulk and find the assignment with the highest total.

    `progress(stage, percent)` is told where the work is; the assignment itself is one call
    into SciPy and cannot report from inside.
    """
    report = progress or (lambda stage, percent: None)
    report(Proposal.Stage.SCORING, 15)
    result = score_matrix(
        pool.youth_ids, pool.opening_ids, weights, keep_components=False, source=FEATURES.world
    )
    # score_matrix leaves out ids that no longer exist; keep the places of those that do.
    places_by_opening = dict(zip(pool.opening_ids, pool.free_places, strict=True))
    places = np.array([places_by_opening[int(pk)] for pk in result.opening_ids], dtype=np.int64)
    report(Proposal.Stage.ASSIGNING, 40)
    assignment: Assignment = assign(result.totals, places, weights.minimum_score)
    return Solution(
        youth_ids=result.youth_ids[assignment.youth],
        opening_ids=result.opening_ids[assignment.openings],
        scores=assignment.scores,
        youth_count=len(result.youth_ids),
        place_count=int(places.sum()),
        minimum_score=weights.minimum_score,
    )
