"""The optimal assignment of young people to the places of openings: the highest total score.

Pure arithmetic on arrays, no database: `matching.pools` loads a city's pool, scores it with
`matching.scoring` and hands the matrix here. An opening with N free places counts as N
columns. Pairs below the minimum score may not be assigned: they count as 0, which is the same
as leaving that young person or place unassigned, so the optimum over the allowed pairs is the
optimum of the whole matrix with those pairs set to 0.

The scores have one decimal, so they are solved as whole tenths: integer costs are exact (no
float ties) and make SciPy's shortest augmenting path a good deal faster on real scores, where
a few attractive openings are wanted by almost everyone.
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import linear_sum_assignment


@dataclass(frozen=True)
class Assignment:
    youth: np.ndarray  # row indices into the score matrix, one per assigned place
    openings: np.ndarray  # column indices into the score matrix (an opening may appear N times)
    scores: np.ndarray  # the score of each assigned pair

    @property
    def total(self) -> float:
        """The sum of the assigned scores, rounded to the tenth they are given in."""
        return round(float(self.scores.sum()), 1)

    def __len__(self) -> int:
        return len(self.youth)


def assign(scores: np.ndarray, places: np.ndarray, minimum: float) -> Assignment:
    """The assignment of rows (young people) to places of columns (openings) with the highest
    total score, each young person at most once, each opening at most `places[j]` times, and no
    pair below `minimum`. Exact: SciPy's `linear_sum_assignment` on the full matrix.

    Young people and openings without a single allowed pair are left out before solving; that
    changes nothing in the optimum and shrinks the matrix a real pool gives.
    """
    scores = np.asarray(scores, dtype=np.float64)
    places = np.asarray(places, dtype=np.int64)
    if scores.ndim != 2 or places.shape != (scores.shape[1],):
        raise ValueError("scores must be (young people, openings) and places one per opening")
    if (places < 0).any():
        raise ValueError("places cannot be negative")
    allowed = scores >= minimum
    allowed[:, places == 0] = False
    rows = np.flatnonzero(allowed.any(axis=1))
    columns = np.flatnonzero(allowed.any(axis=0))
    if not rows.size:
        return _empty()
    # Never more places per opening than there are young people who could fill them.
    capacity = np.minimum(places[columns], rows.size)
    expanded = np.repeat(columns, capacity)  # an opening of N places is N columns
    tenths = np.rint(scores[np.ix_(rows, expanded)] * 10).astype(np.int64)
    tenths[~allowed[np.ix_(rows, expanded)]] = 0
    row_index, column_index = linear_sum_assignment(tenths, maximize=True)
    kept = tenths[row_index, column_index] > 0
    youth, openings = rows[row_index[kept]], expanded[column_index[kept]]
    return Assignment(youth=youth, openings=openings, scores=scores[youth, openings])


def _empty() -> Assignment:
    nothing = np.array([], dtype=np.int64)
    return Assignment(youth=nothing, openings=nothing, scores=np.array([], dtype=np.float64))
