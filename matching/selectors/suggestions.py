"""Suggestions on a young person's profile and on an opening, computed over what the user may
see.

A suggestion is a proposal for a person to weigh, never a decision: each one carries the
components of its score and a sentence per component, so the coordinator sees why.
"""

from dataclasses import dataclass

import numpy as np
from django.db.models import (
    QuerySet,
)

from employers.models import Opening
from employers.selectors import openings_visible_to
from intake.selectors import with_latest_intake_motivation
from restart_platform.accounts.models import User
from youth.models import YoungPerson
from youth.selectors import youth_visible_to

from ..explanations import Component, explain
from ..features import FEATURES
from ..models import ScoreWeights
from ..scoring import ScoreResult, score_matrix

SUGGESTIONS = 10
# Placed young people are not offered again, and those who left are no longer in the programme.
NOT_ACTIVE = (YoungPerson.Journey.PLACED, YoungPerson.Journey.LEFT)


@dataclass(frozen=True)
class Suggestion:
    match: Opening | YoungPerson  # the other side: an opening for a young person, or the reverse
    score: float  # 0 to 100
    components: list[Component]  # their points add up to the score


def suggestion_openings_for(user: User) -> QuerySet[Opening]:
    """The ids of the open openings the user may see."""
    return (
        openings_visible_to(user)
        .filter(status=Opening.Status.OPEN)
        .order_by()
        .values_list("pk", flat=True)
    )


def suggestion_youth_for(user: User) -> QuerySet[YoungPerson]:
    """The ids of the active young people the user may see (merged records are left out)."""
    return (
        youth_visible_to(user)
        .exclude(journey__in=NOT_ACTIVE)
        .order_by()
        .values_list("pk", flat=True)
    )


def suggestions_for_youth(user: User, youth: YoungPerson, n: int = SUGGESTIONS) -> list[Suggestion]:
    """The n best open openings for a young person, best first, none below the minimum score."""
    weights = ScoreWeights.load()
    result = score_matrix([youth.pk], suggestion_openings_for(user), weights, source=FEATURES.world)
    if not result.youth_ids.size:
        return []
    best = _best(result.opening_ids, result.totals[0], weights.minimum_score, n)
    openings = Opening.objects.select_related("employer", "employer__city").in_bulk(best)
    return [_suggestion(result, openings[pk], youth.pk, pk) for pk in best]


def suggestions_for_opening(user: User, opening: Opening, n: int = SUGGESTIONS) -> list[Suggestion]:
    """The n best active young people for an opening, best first, none below the minimum score."""
    weights = ScoreWeights.load()
    result = score_matrix(suggestion_youth_for(user), [opening.pk], weights, source=FEATURES.world)
    if not result.opening_ids.size:
        return []
    best = _best(result.youth_ids, result.totals[:, 0], weights.minimum_score, n)
    # Motivation at the latest intake is shown beside the score, never weighed in it.
    youth = with_latest_intake_motivation(YoungPerson.objects.select_related("city")).in_bulk(best)
    return [_suggestion(result, youth[pk], pk, opening.pk) for pk in best]


def _best(ids: np.ndarray, scores: np.ndarray, minimum: int, n: int) -> list[int]:
    """Ids of the n highest scores at or above the minimum; ties go to the lowest id, so that
    the same data always gives the same list."""
    order = np.lexsort((ids, -scores))  # the last key sorts first
    order = order[scores[order] >= minimum][:n]
    return [int(pk) for pk in ids[order]]


def _suggestion(result: ScoreResult, match, youth_id: int, opening_id: int) -> Suggestion:
    return Suggestion(
        match=match,
        score=result.total(youth_id, opening_id),
        components=explain(result, youth_id, opening_id),
    )
