"""The score of a young person for an opening: seven components, each from 0 to 1, weighted
into a score from 0 to 100. The sentence per component that says why is in
`matching.explanations`.

Two implementations of one arithmetic: `score_matrix` scores every pair at once with NumPy
(for suggestions and proposals), `reference_scores` walks the pairs in plain Python (for the
test that holds the two together, and for the benchmark). Both read the same rows through
`load_world`, in a fixed number of queries whatever the number of pairs.

Name, gender, ethnicity, nationality, religion and photo are never inputs: `load_world` does
not read them, so no score can depend on them.
"""

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal

import numpy as np
from django.db.models import OuterRef, Q, Subquery

from employers.models import Employer, Opening
from intake.models import IntakeRecord
from restart_platform.taxonomy.models import Sector
from youth.models import YoungPerson, YouthSkill

from .models import WEIGHT_FIELDS, ScoreWeights

COMPONENTS = WEIGHT_FIELDS

# The programme's view of how ready each stage of the journey is for work. A placed young
# person, or one who left, is not suggested again.
READINESS = {
    YoungPerson.Journey.REGISTERED: 0.4,
    YoungPerson.Journey.INTAKE: 0.6,
    YoungPerson.Journey.PROGRAMME: 0.9,
    YoungPerson.Journey.FOLLOW_UP: 0.7,
    YoungPerson.Journey.PLACED: 0.0,
    YoungPerson.Journey.LEFT: 0.0,
}
# In the pre-employment programme readiness follows the phase: work rhythm, skills, then an
# internship or a workplace. The programme writes the phase on the young person (youth app),
# so matching reads it without importing the programme, an app of its own layer.
PROGRAMME_READINESS = {1: 0.6, 2: 0.8, 3: 0.95}
# "Not now" at the latest intake caps readiness: it lowers a stage's value, never raises it.
NOT_NOW_READINESS = 0.2

CIRCULARITY = {
    Employer.Circularity.CIRCULAR: 1.0,
    Employer.Circularity.IN_TRANSITION: 0.5,
    Employer.Circularity.NOT_YET: 0.0,
}
CIRCULAR_INTEREST_SLUGS = frozenset({"recycling-reuse", "repairing"})
NO_CIRCULAR_INTEREST_FACTOR = 0.5

HOURS_UNKNOWN = 0.5
WEEKS_EARLY_TO_ZERO = 8  # an opening starting this many weeks too early scores 0 on start date
EARTH_RADIUS_KM = 6371.0


# --- Loading ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class YouthRow:
    id: int
    city_id: int
    latitude: float | None
    longitude: float | None
    available_hours: int | None
    available_from: dt.date | None
    travel_range_km: int
    journey: str
    latest_outcome: str | None  # of the latest finished intake record
    programme_phase: int | None = None  # the pre-employment programme's phase, kept on youth


@dataclass(frozen=True)
class OpeningRow:
    id: int
    city_id: int
    latitude: float | None
    longitude: float | None
    sector_id: int
    circularity: str
    hours_per_week: int
    start_date: dt.date


@dataclass(frozen=True)
class World:
    """Everything a score reads, for a set of young people and a set of openings."""

    youth: list[YouthRow]
    openings: list[OpeningRow]
    youth_interests: dict[int, frozenset[int]]
    youth_skills: dict[int, frozenset[int]]
    required_skills: dict[int, frozenset[int]]
    nice_skills: dict[int, frozenset[int]]
    sector_interests: dict[int, frozenset[int]]
    circular_interests: frozenset[int]  # the interest areas that count as circular
    # Terms for the explanations, read once per world (a query per table, not per sentence).
    terms: dict = field(default_factory=dict, compare=False, repr=False)
    # The same rows as arrays, when the warm store already holds them (matching.features);
    # otherwise the arithmetic builds them from the rows.
    columns: "Columns | None" = field(default=None, compare=False, repr=False)

    def term(self, model, pk: int):
        if model not in self.terms:
            self.terms[model] = {term.pk: term for term in model.objects.all()}
        return self.terms[model][pk]

    def subset(self, youth_ids: Iterable[int], opening_ids: Iterable[int]) -> "World":
        youth_ids, opening_ids = set(youth_ids), set(opening_ids)
        return World(
            youth=[row for row in self.youth if row.id in youth_ids],
            openings=[row for row in self.openings if row.id in opening_ids],
            youth_interests=self.youth_interests,
            youth_skills=self.youth_skills,
            required_skills=self.required_skills,
            nice_skills=self.nice_skills,
            sector_interests=self.sector_interests,
            circular_interests=self.circular_interests,
            terms=self.terms,
        )


def _float(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _grouped(pairs: Iterable[tuple[int, int]]) -> dict[int, frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for owner, term in pairs:
        groups.setdefault(owner, set()).add(term)
    return {owner: frozenset(terms) for owner, terms in groups.items()}


def load_world(youth_ids: Iterable[int], opening_ids: Iterable[int]) -> World:
    """Seven queries, whatever the numbers. Ids that do not exist are left out; the rest keep
    the order they were given in."""
    youth_ids, opening_ids = list(dict.fromkeys(youth_ids)), list(dict.fromkeys(opening_ids))
    youth = read_youth(Q(pk__any_of=youth_ids))
    openings = read_openings(Q(pk__any_of=opening_ids))
    sector_ids = {row.sector_id for row in openings.rows.values()}
    return World(
        youth=[youth.rows[pk] for pk in youth_ids if pk in youth.rows],
        openings=[openings.rows[pk] for pk in opening_ids if pk in openings.rows],
        youth_interests=youth.interests,
        youth_skills=youth.skills,
        required_skills=openings.required_skills,
        nice_skills=openings.nice_skills,
        sector_interests=read_sector_interests(Q(sector_id__in=sector_ids)),
        circular_interests=youth.circular_interests,
    )


@dataclass(frozen=True)
class YouthFeatures:
    rows: dict[int, YouthRow]
    interests: dict[int, frozenset[int]]
    skills: dict[int, frozenset[int]]
    circular_interests: frozenset[int]  # of the interest areas these young people hold


@dataclass(frozen=True)
class OpeningFeatures:
    rows: dict[int, OpeningRow]
    required_skills: dict[int, frozenset[int]]
    nice_skills: dict[int, frozenset[int]]


def read_youth(which: Q) -> YouthFeatures:
    """What a score reads of the young people `which` selects: three queries."""
    latest_outcome = (
        IntakeRecord.objects.filter(
            meeting__youth=OuterRef("pk"), status=IntakeRecord.Status.FINISHED
        )
        .order_by("-finished_at", "-pk")
        .values("outcome")[:1]
    )
    rows = {
        pk: YouthRow(pk, city, _float(lat), _float(lon), hours, start, km, journey, outcome, phase)
        for pk, city, lat, lon, hours, start, km, journey, outcome, phase in YoungPerson.objects.filter(
            which
        )
        .annotate(latest_outcome=Subquery(latest_outcome))
        .order_by()
        .values_list(
            "pk",
            "city_id",
            "city__latitude",
            "city__longitude",
            "available_hours",
            "available_from",
            "travel_range_km",
            "journey",
            "latest_outcome",
            "programme_phase",
        )
    }
    owners = _owner_filter(which, "youngperson")
    interest_rows = list(
        YoungPerson.interests.through.objects.filter(owners).values_list(
            "youngperson_id", "interestarea_id", "interestarea__slug"
        )
    )
    return YouthFeatures(
        rows=rows,
        interests=_grouped((youth, area) for youth, area, _slug in interest_rows),
        skills=_grouped(
            YouthSkill.objects.filter(_owner_filter(which, "youth")).values_list(
                "youth_id", "skill_id"
            )
        ),
        circular_interests=frozenset(
            area for _youth, area, slug in interest_rows if slug in CIRCULAR_INTEREST_SLUGS
        ),
    )


def read_openings(which: Q) -> OpeningFeatures:
    """What a score reads of the openings `which` selects: three queries."""
    rows = {
        pk: OpeningRow(pk, city, _float(lat), _float(lon), sector, circularity, hours, start)
        for pk, city, lat, lon, sector, circularity, hours, start in Opening.objects.filter(which)
        .order_by()
        .values_list(
            "pk",
            "employer__city_id",
            "employer__city__latitude",
            "employer__city__longitude",
            "employer__sector_id",
            "employer__circularity",
            "hours_per_week",
            "start_date",
        )
    }
    owners = _owner_filter(which, "opening")
    return OpeningFeatures(
        rows=rows,
        required_skills=_grouped(
            Opening.required_skills.through.objects.filter(owners).values_list(
                "opening_id", "skill_id"
            )
        ),
        nice_skills=_grouped(
            Opening.nice_to_have_skills.through.objects.filter(owners).values_list(
                "opening_id", "skill_id"
            )
        ),
    )


def read_sector_interests(which: Q | None = None) -> dict[int, frozenset[int]]:
    """The interest areas of each sector `which` selects (a filter on the link table), or of
    every sector."""
    return _grouped(
        Sector.interest_areas.through.objects.filter(which or Q()).values_list(
            "sector_id", "interestarea_id"
        )
    )


def _owner_filter(which: Q, owner: str) -> Q:
    """The filter on a record, as a filter on its link rows: `Q(pk__any_of=ids)` becomes
    `Q(<owner>_id__any_of=ids)`, one array parameter; anything else a filter through the
    link's foreign key."""
    if len(which.children) == 1 and not which.negated and isinstance(which.children[0], tuple):
        lookup, value = which.children[0]
        if lookup.startswith("pk__"):
            return Q(**{f"{owner}_id__{lookup.removeprefix('pk__')}": value})
    if not which.children:
        return Q()
    return Q(**{f"{owner}__in": _model_of(owner).objects.filter(which).values("pk")})


def _model_of(owner: str):
    return {"youngperson": YoungPerson, "youth": YoungPerson, "opening": Opening}[owner]


def _weights(weights: ScoreWeights) -> dict[str, int]:
    values = weights.as_dict()
    if sum(values.values()) <= 0:
        raise ValueError("At least one score weight must be above zero.")
    return values


def _round_score(raw: float) -> float:
    """Half up to one decimal; the NumPy side does the same operations in the same order."""
    return math.floor(raw * 10 + 0.5) / 10


# --- The fast implementation: every pair at once ------------------------------------------------


@dataclass
class ScoreResult:
    youth_ids: np.ndarray  # (n_youth,)
    opening_ids: np.ndarray  # (n_openings,)
    components: dict[str, np.ndarray]  # name -> (n_youth, n_openings), each in [0, 1]
    totals: np.ndarray  # (n_youth, n_openings), 0 to 100, one decimal
    weights: dict[str, int]
    world: World
    _youth_index: dict[int, int] = field(init=False, repr=False)
    _opening_index: dict[int, int] = field(init=False, repr=False)

    def __post_init__(self):
        self._youth_index = {int(pk): i for i, pk in enumerate(self.youth_ids)}
        self._opening_index = {int(pk): j for j, pk in enumerate(self.opening_ids)}

    def index(self, youth_id: int, opening_id: int) -> tuple[int, int]:
        return self._youth_index[youth_id], self._opening_index[opening_id]

    def total(self, youth_id: int, opening_id: int) -> float:
        return float(self.totals[self.index(youth_id, opening_id)])

    def component_values(self, youth_id: int, opening_id: int) -> dict[str, float]:
        i, j = self.index(youth_id, opening_id)  # KeyError for a pair that was not scored
        if not self.components:  # scored without keeping them: recompute this one pair
            world = self.world.subset([youth_id], [opening_id])
            return {name: float(values[0, 0]) for name, values in _component_arrays(world)}
        return {name: float(values[i, j]) for name, values in self.components.items()}


def score_matrix(
    youth_ids: Iterable[int],
    opening_ids: Iterable[int],
    weights: ScoreWeights,
    *,
    keep_components: bool = True,
    source: Callable[[Iterable[int], Iterable[int]], World] = load_world,
) -> ScoreResult:
    """Scores of every young person for every opening. Without `keep_components` only the
    totals are kept, which a large pool's proposal needs: 8 bytes a pair instead of 64.
    `source` reads the features: the database by default, `matching.features.FEATURES.world`
    for the warm copy that suggestions and proposals use."""
    values = _weights(weights)
    world = source(youth_ids, opening_ids)
    components = {}
    # In place where it can be: on a large pool each pass over the matrix costs more than the
    # arithmetic. The operations and their order are those of `reference_scores`.
    totals = np.zeros((len(world.youth), len(world.openings)))
    for name, component in _component_arrays(world):
        if keep_components:
            components[name] = component
            totals += values[name] * component
        else:
            totals += np.multiply(component, values[name], out=component)
    totals *= 100.0
    totals /= sum(values.values())
    totals *= 10
    totals += 0.5
    np.floor(totals, out=totals)
    totals /= 10
    return ScoreResult(
        youth_ids=np.array([row.id for row in world.youth], dtype=np.int64),
        opening_ids=np.array([row.id for row in world.openings], dtype=np.int64),
        components=components,
        totals=totals,
        weights=values,
        world=world,
    )


def _incidence(sets: list[Iterable[int]], index: dict[int, int]) -> np.ndarray:
    """A 0/1 matrix: row r has a 1 in the column of each term in sets[r]."""
    matrix = np.zeros((len(sets), len(index)), dtype=np.int8)
    rows = [r for r, terms in enumerate(sets) for _term in terms]
    columns = [index[term] for terms in sets for term in terms]
    matrix[rows, columns] = 1
    return matrix


def _shared_counts(left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """How many terms each row of `left` shares with each row of `right`: a matrix product of
    0/1 matrices, in float64 because BLAS multiplies floats (and counts stay exact)."""
    return left.astype(np.float64) @ right.astype(np.float64).T


def _index(terms: Iterable[int]) -> dict[int, int]:
    return {term: i for i, term in enumerate(sorted(set(terms)))}


# --- Columns: the rows as the arrays the arithmetic reads ------------------------------------


@dataclass(frozen=True)
class TermIndex:
    """A column per term: the interest areas and the skills of a set of rows."""

    areas: dict[int, int]
    skills: dict[int, int]

    def holds(self, areas: Iterable[int], skills: Iterable[int]) -> bool:
        return all(a in self.areas for a in areas) and all(s in self.skills for s in skills)


def _taken(columns, rows: np.ndarray):
    """The same columns for the given row positions, in that order."""
    return type(columns)(
        **{name: getattr(columns, name)[rows] for name in columns.__dataclass_fields__}
    )


def _stacked(columns, more):
    return type(columns)(
        **{
            name: np.concatenate([getattr(columns, name), getattr(more, name)])
            for name in columns.__dataclass_fields__
        }
    )


def _replaced(columns, positions: list[int], more, picks: list[int]):
    """A copy with the rows at `positions` replaced by the rows `picks` of `more`."""
    values = {}
    for name in columns.__dataclass_fields__:
        array = getattr(columns, name).copy()
        array[positions] = getattr(more, name)[picks]
        values[name] = array
    return type(columns)(**values)


@dataclass(frozen=True)
class YouthColumns:
    ids: np.ndarray  # int64
    city: np.ndarray  # int64, the city's id
    travel_range: np.ndarray  # float64, km
    available_hours: np.ndarray  # float64, NaN when unknown
    available_from: np.ndarray  # float64, the date's ordinal, -inf when unknown
    readiness: np.ndarray  # float64
    circular_interest: np.ndarray  # float64
    areas: np.ndarray  # int8, a row per young person, a column per interest area
    skills: np.ndarray  # int8, a column per skill

    take, stacked, replaced = _taken, _stacked, _replaced


@dataclass(frozen=True)
class OpeningColumns:
    ids: np.ndarray  # int64
    city: np.ndarray  # int64, the employer's city
    sector: np.ndarray  # int64, the employer's sector
    circularity: np.ndarray  # float64, the employer's circularity as a value
    hours: np.ndarray  # float64, hours per week
    start: np.ndarray  # float64, the start date's ordinal
    required: np.ndarray  # int8, a column per skill
    nice: np.ndarray  # int8

    take, stacked, replaced = _taken, _stacked, _replaced


@dataclass(frozen=True)
class Columns:
    youth: YouthColumns
    openings: OpeningColumns
    sector_areas: dict[int, np.ndarray]  # per sector: int8 over the interest areas' columns
    coordinates: dict[int, tuple[float | None, float | None]]  # per city id


def term_index(areas: Iterable[int], skills: Iterable[int]) -> TermIndex:
    return TermIndex(areas=_index(areas), skills=_index(skills))


def youth_columns(
    rows: list[YouthRow],
    interests: dict[int, frozenset[int]],
    skills: dict[int, frozenset[int]],
    circular: frozenset[int],
    terms: TermIndex,
) -> YouthColumns:
    return YouthColumns(
        ids=np.array([row.id for row in rows], dtype=np.int64),
        city=np.array([row.city_id for row in rows], dtype=np.int64),
        travel_range=np.array([row.travel_range_km for row in rows], dtype=np.float64),
        available_hours=np.array([_nan(row.available_hours) for row in rows], dtype=np.float64),
        available_from=np.array(
            [row.available_from.toordinal() if row.available_from else -np.inf for row in rows],
            dtype=np.float64,
        ),
        readiness=np.array([_readiness(row) for row in rows], dtype=np.float64),
        circular_interest=np.array(
            [
                1.0
                if interests.get(row.id, frozenset()) & circular
                else NO_CIRCULAR_INTEREST_FACTOR
                for row in rows
            ],
            dtype=np.float64,
        ),
        areas=_incidence([interests.get(row.id, ()) for row in rows], terms.areas),
        skills=_incidence([skills.get(row.id, ()) for row in rows], terms.skills),
    )


def opening_columns(
    rows: list[OpeningRow],
    required: dict[int, frozenset[int]],
    nice: dict[int, frozenset[int]],
    terms: TermIndex,
) -> OpeningColumns:
    return OpeningColumns(
        ids=np.array([row.id for row in rows], dtype=np.int64),
        city=np.array([row.city_id for row in rows], dtype=np.int64),
        sector=np.array([row.sector_id for row in rows], dtype=np.int64),
        circularity=np.array([CIRCULARITY[row.circularity] for row in rows], dtype=np.float64),
        hours=np.array([row.hours_per_week for row in rows], dtype=np.float64),
        start=np.array([row.start_date.toordinal() for row in rows], dtype=np.float64),
        required=_incidence([required.get(row.id, ()) for row in rows], terms.skills),
        nice=_incidence([nice.get(row.id, ()) for row in rows], terms.skills),
    )


def sector_columns(
    sector_interests: dict[int, frozenset[int]], sectors: Iterable[int], terms: TermIndex
) -> dict[int, np.ndarray]:
    sectors = sorted(set(sectors))
    matrix = _incidence([sector_interests.get(s, ()) for s in sectors], terms.areas)
    return dict(zip(sectors, matrix, strict=True))


def city_coordinates(rows: Iterable[YouthRow | OpeningRow]) -> dict[int, tuple]:
    return {row.city_id: (row.latitude, row.longitude) for row in rows}


def columns_of(world: World) -> Columns:
    """The world's rows as columns, over the terms they use."""
    sectors = {row.sector_id for row in world.openings}
    required = [world.required_skills.get(row.id, ()) for row in world.openings]
    nice = [world.nice_skills.get(row.id, ()) for row in world.openings]
    held = [world.youth_skills.get(row.id, ()) for row in world.youth]
    terms = term_index(
        [area for row in world.youth for area in world.youth_interests.get(row.id, ())]
        + [area for sector in sectors for area in world.sector_interests.get(sector, ())],
        [skill for sets in (required, nice, held) for terms in sets for skill in terms],
    )
    return Columns(
        youth=youth_columns(
            world.youth,
            world.youth_interests,
            world.youth_skills,
            world.circular_interests,
            terms,
        ),
        openings=opening_columns(world.openings, world.required_skills, world.nice_skills, terms),
        sector_areas=sector_columns(world.sector_interests, sectors, terms),
        coordinates=city_coordinates([*world.youth, *world.openings]),
    )


def _component_arrays(world: World) -> Iterator[tuple[str, np.ndarray]]:
    """Each component as an (n_youth, n_openings) array, one at a time, in COMPONENTS order."""
    columns = world.columns if world.columns is not None else columns_of(world)
    youth, openings = columns.youth, columns.openings
    shape = (len(youth.ids), len(openings.ids))
    yield "interests", _interests_array(columns)
    yield from _skills_arrays(youth, openings)
    yield "distance", _distance_array(columns)
    yield "availability", _availability_array(youth, openings)
    yield "readiness", np.broadcast_to(youth.readiness[:, None], shape).copy()
    yield "circular", youth.circular_interest[:, None] * openings.circularity[None, :]


def _interests_array(columns: Columns) -> np.ndarray:
    # Openings share few sectors: compare with each sector once, then spread to its openings.
    sectors = np.unique(columns.openings.sector)
    width = columns.youth.areas.shape[1]
    sector_areas = np.array(
        [columns.sector_areas[int(sector)] for sector in sectors], dtype=np.int8
    ).reshape(len(sectors), width)
    fits_sector = (_shared_counts(columns.youth.areas, sector_areas) > 0).astype(np.float64)
    return fits_sector[:, np.searchsorted(sectors, columns.openings.sector)]


def _skills_arrays(
    youth: YouthColumns, openings: OpeningColumns
) -> Iterator[tuple[str, np.ndarray]]:
    for name, asked in (("required_skills", openings.required), ("nice_skills", openings.nice)):
        counts = asked.sum(axis=1, dtype=np.float64)
        share = _shared_counts(youth.skills, asked)
        share /= np.maximum(counts, 1.0)[None, :]
        share[:, counts == 0] = 1.0
        yield name, share


def _distance_array(columns: Columns) -> np.ndarray:
    # Distances between cities, not pairs: a handful of cities serve every pair.
    youth, openings = columns.youth, columns.openings
    cities = np.unique(np.concatenate([youth.city, openings.city]))
    latitude = np.array([_nan(columns.coordinates[int(c)][0]) for c in cities], dtype=np.float64)
    longitude = np.array([_nan(columns.coordinates[int(c)][1]) for c in cities], dtype=np.float64)
    km = _haversine_km(latitude[:, None], longitude[:, None], latitude[None, :], longitude[None, :])
    youth_city = np.searchsorted(cities, youth.city)
    opening_city = np.searchsorted(cities, openings.city)
    # Per young person and city first, then spread over the openings of each city.
    same_city = youth_city[:, None] == np.arange(len(cities))[None, :]
    within = km[youth_city] <= youth.travel_range[:, None]  # NaN (no coordinates) is False
    return (same_city | within).astype(np.float64)[:, opening_city]


def _haversine_km(lat1, lon1, lat2, lon2):
    phi1, phi2 = np.radians(lat1), np.radians(lat2)
    half_dphi, half_dlambda = (phi2 - phi1) / 2, np.radians(lon2 - lon1) / 2
    a = np.sin(half_dphi) ** 2 + np.cos(phi1) * np.cos(phi2) * np.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(a))


def _nan(value: float | None) -> float:
    return math.nan if value is None else value


def _availability_array(youth: YouthColumns, openings: OpeningColumns) -> np.ndarray:
    # min(available, needed) / needed, written as min(available / needed, 1): the same floats.
    hours = np.divide(youth.available_hours[:, None], openings.hours[None, :])
    np.minimum(hours, 1.0, out=hours)
    hours[np.isnan(youth.available_hours)] = HOURS_UNKNOWN
    # Starting on or after the available date gives 1 - (negative) >= 1, clipped to 1; an
    # unknown date counts as available since always (-inf), which clips to 1 too.
    start = np.subtract(youth.available_from[:, None], openings.start[None, :])  # days early
    start /= 7
    start /= WEEKS_EARLY_TO_ZERO
    np.subtract(1.0, start, out=start)
    np.clip(start, 0.0, 1.0, out=start)
    hours += start
    hours /= 2
    return hours


def _readiness(row: YouthRow) -> float:
    value = READINESS[row.journey]
    if row.journey == YoungPerson.Journey.PROGRAMME and row.programme_phase:
        value = PROGRAMME_READINESS[row.programme_phase]
    if row.latest_outcome == IntakeRecord.Outcome.NOT_NOW:
        return min(value, NOT_NOW_READINESS)
    return value


def _circular_interest(world: World, row: YouthRow) -> float:
    if world.youth_interests.get(row.id, frozenset()) & world.circular_interests:
        return 1.0
    return NO_CIRCULAR_INTEREST_FACTOR


# --- The reference implementation: pair by pair ----------------------------------------------


def reference_scores(
    youth_ids: Iterable[int], opening_ids: Iterable[int], weights: ScoreWeights
) -> dict[tuple[int, int], dict[str, float]]:
    """The same scores as `score_matrix`, in plain Python loops: {(youth, opening): {component:
    value, ..., "total": score}}. Slow on purpose; it is what the fast one is held against."""
    values = _weights(weights)
    world = load_world(youth_ids, opening_ids)
    scores = {}
    for youth in world.youth:
        for opening in world.openings:
            components = _reference_components(world, youth, opening)
            weighted = 0.0
            for name in COMPONENTS:
                weighted += values[name] * components[name]
            components["total"] = _round_score(100.0 * weighted / sum(values.values()))
            scores[youth.id, opening.id] = components
    return scores


def _reference_components(world: World, youth: YouthRow, opening: OpeningRow) -> dict:
    held = world.youth_skills.get(youth.id, frozenset())
    required = world.required_skills.get(opening.id, frozenset())
    nice = world.nice_skills.get(opening.id, frozenset())
    interests = world.youth_interests.get(youth.id, frozenset())
    return {
        "interests": 1.0
        if interests & world.sector_interests.get(opening.sector_id, set())
        else 0.0,
        "required_skills": len(held & required) / len(required) if required else 1.0,
        "nice_skills": len(held & nice) / len(nice) if nice else 1.0,
        "distance": _reference_distance(youth, opening),
        "availability": _reference_availability(youth, opening),
        "readiness": _readiness(youth),
        "circular": _circular_interest(world, youth) * CIRCULARITY[opening.circularity],
    }


def _reference_distance(youth: YouthRow, opening: OpeningRow) -> float:
    if youth.city_id == opening.city_id:
        return 1.0
    km = _km_between(youth, opening)
    return 1.0 if km is not None and km <= youth.travel_range_km else 0.0


def _km_between(youth: YouthRow, opening: OpeningRow) -> float | None:
    if None in (youth.latitude, youth.longitude, opening.latitude, opening.longitude):
        return None
    phi1, phi2 = math.radians(youth.latitude), math.radians(opening.latitude)
    half_dphi = (phi2 - phi1) / 2
    half_dlambda = math.radians(opening.longitude - youth.longitude) / 2
    a = math.sin(half_dphi) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(half_dlambda) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(a))


def _reference_availability(youth: YouthRow, opening: OpeningRow) -> float:
    needed = opening.hours_per_week
    if youth.available_hours is None:
        hours = HOURS_UNKNOWN
    else:
        hours = min(youth.available_hours, needed) / needed
    if youth.available_from is None:
        start = 1.0
    else:
        days_early = (youth.available_from - opening.start_date).days
        start = 1.0 if days_early <= 0 else max(0.0, 1.0 - (days_early / 7) / WEEKS_EARLY_TO_ZERO)
    return (hours + start) / 2


# --- Selectors ---------------------------------------------------------------------------------


def top_openings_for(
    youth_id: int, opening_ids: Iterable[int], weights: ScoreWeights, n: int = 10
) -> list[tuple[int, float]]:
    """The n best openings for a young person: (opening id, score), best first, then by id."""
    result = score_matrix([youth_id], opening_ids, weights, keep_components=False)
    if not result.youth_ids.size:
        return []
    return _best(result.opening_ids, result.totals[0], n)


def top_youth_for(
    opening_id: int, youth_ids: Iterable[int], weights: ScoreWeights, n: int = 10
) -> list[tuple[int, float]]:
    """The n best young people for an opening: (young person id, score), best first, then by id."""
    result = score_matrix(youth_ids, [opening_id], weights, keep_components=False)
    if not result.opening_ids.size:
        return []
    return _best(result.youth_ids, result.totals[:, 0], n)


def _best(ids: np.ndarray, scores: np.ndarray, n: int) -> list[tuple[int, float]]:
    order = np.lexsort((ids, -scores))[:n]  # the last key sorts first
    return [(int(ids[k]), float(scores[k])) for k in order]
