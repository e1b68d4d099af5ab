"""`make bench-matching`: how fast suggestions and assignment proposals are on a realistic pool.

It builds an invented world (tests/perf/matching_world.py) in a private database on the configured
database server, never in the developer's own: `<name>_bench`, created and migrated the way
the test runner makes its test database, and dropped at the end (unless --keep). Then it times
what a coordinator waits for, database reads included, next to the plain-Python reference of
the same scores, and prints the targets of issues 5 and 15 as met or not met. It never fails
on a missed target: it is a measurement, not a test.

Suggestions read the warm features (matching.features): the report times them warm, as a
running process answers, and also the first after a cold start and the next after one young
person changed. `--national` builds a pool of national size instead (20,000 young people and
10,000 places) and prints the whole pool's proposal with its time and peak memory, without a
target and without the slower comparisons.
"""

import copy
import os
import platform
import resource
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import scipy
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.test.utils import override_settings
from scipy.optimize import linear_sum_assignment
from scipy.sparse import coo_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from employers.models import Opening
from matching.features import FEATURES
from matching.models import ScoreWeights
from matching.pools import Pool, Solution, solve
from matching.scoring import load_world, reference_scores, score_matrix
from matching.selectors import (
    SUGGESTIONS,
    suggestion_openings_for,
    suggestion_youth_for,
    suggestions_for_opening,
    suggestions_for_youth,
)
from tests.perf.matching_world import BenchWorld, build_world, open_pool
from youth.models import YoungPerson

# The headings of the report, in order; the test of this command looks for each.
SECTIONS = (
    "Matching benchmark",
    "Data",
    "Suggestions",
    "Assignment proposals",
    "Exact optimum check",
    "Plain-Python reference",
    "Targets of issues 5 and 15",
)
SUBSET = (1_000, 500)  # young people and places of the smaller proposal
TARGET_SUGGESTIONS = 0.015  # seconds, median: a young person's, over 2,000 openings (issue 15)
TARGET_SUGGESTIONS_OPENING = 0.030  # an opening's, over 5,000 young people (issue 15)
NATIONAL = {"youth": 20_000, "openings": 8_000, "places": 10_000}
TARGET_PROPOSALS = {(1_000, 500): 2.0, (5_000, 2_500): 15.0}  # seconds, by (young people, places)
REFERENCE_RUNS = 5
REFERENCE_BLOCK = 100  # young people per reference_scores call: its dicts take memory
REPEAT_BUDGET = 60.0  # seconds: a proposal is run again (up to 3 times) while within this


class Command(BaseCommand):
    help = (
        "Time suggestions and assignment proposals on an invented pool in a private database "
        "(<name>_bench on the configured server), next to the plain-Python reference."
    )

    def add_arguments(self, parser):
        parser.add_argument("--youth", type=int, default=5_000, help="young people (5,000)")
        parser.add_argument("--openings", type=int, default=2_000, help="openings (2,000)")
        parser.add_argument("--places", type=int, default=2_500, help="places in all (2,500)")
        parser.add_argument("--runs", type=int, default=50, help="runs per suggestion (50)")
        parser.add_argument("--seed", type=int, default=1, help="of the invented data (1)")
        parser.add_argument(
            "--keep", action="store_true", help="keep the private database afterwards"
        )
        parser.add_argument(
            "--national",
            action="store_true",
            help="a national pool (20,000 young people, 8,000 openings, 10,000 places): the "
            "proposal's time and peak memory, without the slower comparisons",
        )

    def handle(self, *args, youth, openings, places, runs, seed, keep, national, **options):
        self.national = national
        if national:
            youth, openings, places = NATIONAL["youth"], NATIONAL["openings"], NATIONAL["places"]
        if youth < 1 or openings < 1 or runs < 1:
            raise CommandError("--youth, --openings and --runs must be at least 1.")
        if places < openings:
            raise CommandError("--places must be at least --openings: every opening has a place.")
        # Timed as production runs: without the query log that DEBUG keeps (make runs this with
        # DEBUG=1 only because settings ask for a SECRET_KEY otherwise).
        with private_database(keep=keep) as name, override_settings(DEBUG=False):
            self.report(
                name=name, youth=youth, openings=openings, places=places, runs=runs, seed=seed
            )
            self.stdout.write("")
            if keep:
                self.stdout.write(f"Kept the private database {name}.")
            else:
                self.stdout.write(f"Dropped the private database {name}.")

    def report(self, *, name, youth, openings, places, runs, seed):
        self.heading(SECTIONS[0])
        self.line(f"database     {connection.display_name} {_server_version()}, private: {name}")
        self.line(
            f"machine      {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the "
            f"start; Python {platform.python_version()}, NumPy {np.__version__}, "
            f"SciPy {scipy.__version__}"
        )
        started = time.perf_counter()
        world = build_world(youth=youth, openings=openings, places=places, seed=seed)
        built = time.perf_counter() - started
        self.data(world, built, seed)
        fast = self.suggestions(world, runs)
        pools, proposal_targets = self.proposals(world, seed)
        if not self.national:
            self.exact_check(*pools["subset"])
            self.reference(world, pools["whole"][0], fast)
        # The suggestion targets are set for the default pool (2,000 openings, 5,000 young
        # people); at national size the figures are printed, not judged.
        suggestion_targets = [
            (label, seconds, None if self.national else target)
            for label, seconds, target in fast.targets
        ]
        self.targets(suggestion_targets + proposal_targets)

    # --- Sections ---------------------------------------------------------------------------

    def data(self, world: BenchWorld, built: float, seed: int) -> None:
        self.heading(SECTIONS[1])
        weights = ScoreWeights.load()
        result = score_matrix(world.youth_ids, world.opening_ids, weights, keep_components=False)
        reach = (result.totals >= weights.minimum_score).mean(axis=0)  # per opening
        attractive = np.isin(result.opening_ids, world.attractive_ids)
        cities = ", ".join(f"{city} {count:,}" for city, count in world.cities.items() if count)
        self.line(
            f"built        {len(world.youth_ids):,} young people, {len(world.opening_ids):,} "
            f"openings with {world.places:,} places, in {_seconds(built)} (seed {seed})"
        )
        self.line(f"young people {cities}")
        self.line(
            f"structure    young people at or above the minimum score ({weights.minimum_score}) "
            f"per opening, median: {_share(reach[attractive])} for the {attractive.sum():,} "
            f"openings that suit almost everyone, {_share(reach[~attractive])} for the others"
        )

    def suggestions(self, world: BenchWorld, runs: int) -> "Suggestions":
        self.heading(SECTIONS[2])
        self.line("the real selectors, as the admin sees them (every open opening, every active")
        self.line(f"young person), database reads included; {runs} runs after one warm-up")
        person, opening = self.sample_pair(world)
        FEATURES.clear()  # as a process that just started
        cold = _time_once(lambda: suggestions_for_youth(world.admin, person))
        times = _times(lambda: suggestions_for_youth(world.admin, person), runs)
        times_opening = _times(lambda: suggestions_for_opening(world.admin, opening), runs)
        changed = _after_one_change(world, lambda: suggestions_for_opening(world.admin, opening))
        fast = Suggestions(
            person=person,
            opening=opening,
            for_youth=statistics.median(times),
            for_opening=statistics.median(times_opening),
            openings=suggestion_openings_for(world.admin).count(),
            youth=suggestion_youth_for(world.admin).count(),
        )
        self.table(
            ["", "median", "p95"],
            [
                [
                    f"{SUGGESTIONS} openings for young person {person.pk} (of {fast.openings:,})",
                    _ms(fast.for_youth),
                    _ms(np.percentile(times, 95)),
                ],
                [
                    f"{SUGGESTIONS} young people for opening {opening.pk} (of {fast.youth:,})",
                    _ms(fast.for_opening),
                    _ms(np.percentile(times_opening, 95)),
                ],
                ["the first after a cold start (every feature read once)", _ms(cold), "-"],
                [
                    "for the opening, right after one young person's hours changed",
                    _ms(statistics.median(changed)),
                    _ms(np.percentile(changed, 95)),
                ],
            ],
        )
        self.line("warm: each process keeps the features and rereads only the records that")
        self.line(f"changed (matching.features; {FEATURES.full_loads} full load in this run)")
        return fast

    def proposals(self, world: BenchWorld, seed: int) -> tuple[dict, list]:
        self.heading(SECTIONS[3])
        self.line("as pools.solve computes one, database reads included: the pool's query,")
        self.line("loading and scoring every pair (score_matrix), the exact assignment (assign)")
        subset_ids = _subset(world, seed)
        pools, rows, targets = {}, [], []

        def subset() -> Pool:
            return open_pool(youth_ids=subset_ids[0], opening_ids=subset_ids[1])

        runs = (
            [("whole", open_pool)] if self.national else [("subset", subset), ("whole", open_pool)]
        )
        for key, pool_query in runs:
            timings = _repeat(lambda query=pool_query: _proposal_run(query))
            middle = sorted(timings, key=lambda run: run.total)[len(timings) // 2]
            loading = _time_once(
                lambda pool=middle.pool: load_world(pool.youth_ids, pool.opening_ids)
            )
            pools[key] = (middle.pool, middle.solution)
            size = (middle.solution.youth_count, middle.solution.place_count)
            rows.append(
                [
                    f"{size[0]:,} x {size[1]:,}",
                    f"{len(middle.solution.youth_ids):,}",
                    f"{middle.solution.total:,.1f}",
                    _time(middle.query),
                    _time(middle.scoring),
                    _time(loading),
                    _time(middle.assigning),
                    _time(statistics.median(run.total for run in timings)),
                    str(len(timings)),
                ]
            )
            target = TARGET_PROPOSALS.get(size)
            label = f"proposal for {size[0]:,} young people x {size[1]:,} places, median"
            targets.append((label, statistics.median(run.total for run in timings), target))
        self.table(
            [
                "young people x places",
                "pairs",
                "total score",
                "pool query",
                "load + score",
                "(load alone)",
                "assign",
                "in all",
                "runs",
            ],
            rows,
        )
        self.line("(load alone) is load_world timed by itself afterwards; the other columns are")
        self.line("those of the run with the median time")
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
        self.line(f"peak memory of this process so far: {peak:,.0f} MiB")
        return pools, targets

    def exact_check(self, pool: Pool, solution: Solution) -> None:
        self.heading(SECTIONS[4])
        weights = ScoreWeights.load()
        result = score_matrix(pool.youth_ids, pool.opening_ids, weights, keep_components=False)
        places = np.array(pool.free_places, dtype=np.int64)
        minimum = weights.minimum_score
        size = f"{solution.youth_count:,} x {solution.place_count:,}"
        started = time.perf_counter()
        dense = _dense_float_optimum(result.totals, places, minimum)
        dense_seconds = time.perf_counter() - started
        started = time.perf_counter()
        sparse = _sparse_optimum(result.totals, places, minimum)
        sparse_seconds = time.perf_counter() - started
        rows = [
            ["the proposal (assign: SciPy, whole tenths, pruned)", f"{solution.total:,.1f}", ""],
            [
                "SciPy linear_sum_assignment on the float scores, nothing pruned",
                f"{dense:,.1f}",
                _time(dense_seconds),
            ],
            [
                "scipy.sparse.csgraph min_weight_full_bipartite_matching (LAPJVsp)",
                f"{sparse:,.1f}",
                _time(sparse_seconds),
            ],
        ]
        self.line(f"at {size}, pairs below the minimum score ({minimum}) left out on every route")
        self.table(["route", "total score", "time"], rows)
        worst = max(abs(solution.total - dense), abs(solution.total - sparse))
        gap = 100 * worst / max(abs(dense), 1e-9)
        verdict = "equal" if worst < 0.05 else "DIFFERENT"
        self.line(f"the proposal's total and the exact optimum: {verdict} (gap {gap:.3f} %)")

    def reference(self, world: BenchWorld, whole: Pool, fast: "Suggestions") -> None:
        self.heading(SECTIONS[5])
        self.line(
            f"reference_scores walks the pairs in plain Python. Suggestions: median of "
            f"{REFERENCE_RUNS} runs"
        )
        self.line("(the ten best and their rows, without explanations). The matrix, every")
        self.line(
            f"component kept: the fast one median of 3 runs, the reference one run in blocks "
            f"of {REFERENCE_BLOCK}"
        )
        person, opening = fast.person, fast.opening
        best = {}

        def youth_reference():
            best["youth"] = _reference_best(
                [person.pk], suggestion_openings_for(world.admin), by_opening=False
            )

        def opening_reference():
            best["opening"] = _reference_best(
                suggestion_youth_for(world.admin), [opening.pk], by_opening=True
            )

        slow_youth = statistics.median(_times(youth_reference, REFERENCE_RUNS, warm_up=False))
        slow_opening = statistics.median(_times(opening_reference, REFERENCE_RUNS, warm_up=False))
        for_youth = [s.match.pk for s in suggestions_for_youth(world.admin, person)]
        for_opening = [s.match.pk for s in suggestions_for_opening(world.admin, opening)]
        same = for_youth == best["youth"] and for_opening == best["opening"]

        weights = ScoreWeights.load()
        matrix_times = []
        for _ in range(3):
            started = time.perf_counter()
            matrix = score_matrix(whole.youth_ids, world.opening_ids, weights)
            matrix_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        totals = _reference_matrix(whole.youth_ids, world.opening_ids, weights)
        slow_matrix = time.perf_counter() - started

        pairs = totals.size
        self.table(
            ["", "fast", "reference", "ratio"],
            [
                _compared("suggestions for one young person", fast.for_youth, slow_youth),
                _compared("suggestions for one opening", fast.for_opening, slow_opening),
                _compared(
                    f"score matrix {len(whole.youth_ids):,} x {len(world.opening_ids):,}",
                    statistics.median(matrix_times),
                    slow_matrix,
                ),
            ],
        )
        difference = float(np.abs(matrix.totals - totals).max()) if pairs else 0.0
        self.line(
            f"the same ten suggestions on both sides: {'yes' if same else 'NO'}; largest "
            f"difference of a score over the {pairs:,} pairs: {difference:.6f}"
        )

    def targets(self, targets: list) -> None:
        self.heading(SECTIONS[6])
        rows = []
        for label, seconds, target in targets:
            if target is None:
                rows.append([label, _time(seconds), "-", "no target"])
            else:
                verdict = "met" if seconds < target else "NOT met"
                rows.append([label, _time(seconds), f"< {_time(target)}", verdict])
        self.table(["", "measured", "target", ""], rows)
        self.line(
            f"(load average {os.getloadavg()[0]:.1f} at the end: other work on the machine "
            f"slows every figure)"
        )

    # --- Helpers ----------------------------------------------------------------------------

    def sample_pair(self, world: BenchWorld) -> tuple[YoungPerson, Opening]:
        """A young person of the central city and an ordinary opening, fixed by the seed."""
        person = (
            YoungPerson.objects.filter(pk__in=world.youth_ids, city__slug="rotterdam")
            .order_by("pk")
            .first()
        ) or YoungPerson.objects.get(pk=world.youth_ids[0])
        attractive = set(world.attractive_ids)
        ordinary = [pk for pk in world.opening_ids if pk not in attractive]
        opening = Opening.objects.get(pk=(ordinary or world.opening_ids)[len(ordinary) // 2])
        return person, opening

    def heading(self, text: str) -> None:
        self.stdout.write("")
        self.stdout.write(text)
        self.stdout.write("-" * len(text))

    def line(self, text: str) -> None:
        self.stdout.write(f"  {text}")

    def table(self, header: list[str], rows: list[list[str]]) -> None:
        """First column to the left, the figures to the right."""
        widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=True)]
        for row in [header, *rows]:
            cells = [
                cell.ljust(width) if k == 0 else cell.rjust(width)
                for k, (cell, width) in enumerate(zip(row, widths, strict=True))
            ]
            self.stdout.write(("  " + "  ".join(cells)).rstrip())


# --- The private database --------------------------------------------------------------------


@contextmanager
def private_database(*, keep: bool) -> Iterator[str]:
    """A fresh, migrated database beside the configured one, on the same server, made the way
    the test runner makes its test database. The default connection points at it while the
    benchmark runs, and at the configured database again afterwards."""
    configured = connections[DEFAULT_DB_ALIAS]
    configured_name = configured.settings_dict["NAME"]
    settings_dict = copy.deepcopy(configured.settings_dict)
    settings_dict["TEST"] = {**settings_dict.get("TEST", {}), "NAME": _private_name(configured)}
    private = configured.__class__(settings_dict, alias=DEFAULT_DB_ALIAS)
    connections[DEFAULT_DB_ALIAS] = private
    ContentType.objects.clear_cache()  # its ids are per database
    try:
        yield private.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False)
    finally:
        # Only a database this made is dropped: should making it fail before the connection
        # switched to it, the name is still the configured one, and that one stays.
        made = private.settings_dict["NAME"] != configured_name
        if made and not keep:
            private.creation.destroy_test_db(configured_name, verbosity=0)
        else:
            private.close()
        # create_test_db renames the configured database in settings; put the name back.
        settings.DATABASES[DEFAULT_DB_ALIAS]["NAME"] = configured_name
        configured.settings_dict["NAME"] = configured_name
        connections[DEFAULT_DB_ALIAS] = configured
        ContentType.objects.clear_cache()


def _private_name(configured) -> str:
    name = str(configured.settings_dict["NAME"])
    if configured.vendor != "sqlite":
        return f"{name}_bench"
    if configured.is_in_memory_db():  # the test suite's own database: a file beside it instead
        return str(Path(tempfile.gettempdir()) / f"restart_bench_{os.getpid()}.sqlite3")
    path = Path(name)
    return str(path.with_name(f"{path.stem}_bench{path.suffix}"))


def _server_version() -> str:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            return cursor.fetchone()[0].split()[0]
    if connection.vendor == "sqlite":
        return sqlite3.sqlite_version
    return ""


# --- Timing ------------------------------------------------------------------------------------


def _times(function: Callable, runs: int, *, warm_up: bool = True) -> list[float]:
    if warm_up:
        function()
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return times


def _time_once(function: Callable) -> float:
    return _times(function, 1, warm_up=False)[0]


def _after_one_change(world: BenchWorld, function: Callable, runs: int = 10) -> list[float]:
    """The time of `function` right after one young person's available hours changed, as
    a youth worker saves a profile between two suggestions; put back afterwards."""
    times = []
    for k in range(runs):
        youth = YoungPerson.objects.get(pk=world.youth_ids[(k * 7919) % len(world.youth_ids)])
        hours = youth.available_hours
        youth.available_hours = 8 if hours != 8 else 16
        youth.save(update_fields=["available_hours"])
        times.append(_time_once(function))
        youth.available_hours = hours
        youth.save(update_fields=["available_hours"])
        function()
    return times


@dataclass(frozen=True)
class Suggestions:
    """The fast suggestions as measured: for whom, and the median times."""

    person: YoungPerson
    opening: Opening
    for_youth: float
    for_opening: float
    openings: int  # scored for the young person
    youth: int  # scored for the opening

    @property
    def targets(self) -> list[tuple[str, float, float | None]]:
        return [
            (
                f"suggestions for a young person, median (of {self.openings:,} openings)",
                self.for_youth,
                TARGET_SUGGESTIONS,
            ),
            (
                f"suggestions for an opening, median (of {self.youth:,} young people)",
                self.for_opening,
                TARGET_SUGGESTIONS_OPENING,
            ),
        ]


@dataclass(frozen=True)
class ProposalRun:
    pool: Pool
    solution: Solution
    query: float  # the pool's query
    scoring: float  # score_matrix: loading and scoring
    assigning: float
    total: float


def _proposal_run(pool_query: Callable[[], Pool]) -> ProposalRun:
    """One proposal as the worker computes it, with the time of each stage."""
    marks = {}
    started = time.perf_counter()
    pool = pool_query()
    queried = time.perf_counter()
    solution = solve(
        pool,
        ScoreWeights.load(),
        progress=lambda stage, percent: marks.setdefault(stage, time.perf_counter()),
    )
    finished = time.perf_counter()
    scoring_started, assigning_started = sorted(marks.values())
    return ProposalRun(
        pool=pool,
        solution=solution,
        query=queried - started,
        scoring=assigning_started - scoring_started,
        assigning=finished - assigning_started,
        total=finished - started,
    )


def _repeat(function: Callable[[], ProposalRun]) -> list[ProposalRun]:
    """Up to three runs, for a median, as long as they stay within the time budget."""
    runs = [function()]
    while len(runs) < 3 and sum(run.total for run in runs) * 1.5 < REPEAT_BUDGET:
        runs.append(function())
    return runs


def _subset(world: BenchWorld, seed: int) -> tuple[list[int], list[int]]:
    """Young people and openings drawn at random (by the seed) for the smaller proposal: 1,000
    young people and openings with 500 places, or a fifth of a smaller world."""
    youth_count = min(SUBSET[0], max(1, len(world.youth_ids) // 5))
    place_count = min(SUBSET[1], max(1, world.places // 5))
    rng = np.random.default_rng(seed)
    youth_ids = sorted(int(pk) for pk in rng.choice(world.youth_ids, youth_count, replace=False))
    places = dict(Opening.objects.filter(pk__in=world.opening_ids).values_list("pk", "places"))
    opening_ids, taken = [], 0
    for pk in rng.permutation(world.opening_ids):
        if taken + places[int(pk)] <= place_count:
            opening_ids.append(int(pk))
            taken += places[int(pk)]
    return youth_ids, sorted(opening_ids)


def _dense_float_optimum(scores: np.ndarray, places: np.ndarray, minimum: float) -> float:
    """SciPy on the float scores: every place a column, pairs below the minimum worth 0."""
    columns = np.repeat(np.arange(len(places)), places)
    worth = np.where(scores >= minimum, scores, 0.0)[:, columns]
    rows, chosen = linear_sum_assignment(worth, maximize=True)
    return round(float(worth[rows, chosen].sum()), 1)


def _sparse_optimum(scores: np.ndarray, places: np.ndarray, minimum: float) -> float:
    """LAPJVsp on the allowed pairs only, with a "no place" column of its own for each young
    person, so that a full matching always exists: costs are 1001 - tenths (never 0), "no place"
    costs 1001, and the cheapest full matching is the highest total score."""
    columns = np.repeat(np.arange(len(places)), places)
    tenths = np.rint(scores * 10).astype(np.int64)[:, columns]
    rows, cols = np.nonzero(scores[:, columns] >= minimum)
    n_youth, n_places = scores.shape[0], len(columns)
    graph = coo_array(
        (
            np.concatenate([1001 - tenths[rows, cols], np.full(n_youth, 1001)]),
            (
                np.concatenate([rows, np.arange(n_youth)]),
                np.concatenate([cols, n_places + np.arange(n_youth)]),
            ),
        ),
        shape=(n_youth, n_places + n_youth),
    ).tocsr()
    matched_rows, matched_cols = min_weight_full_bipartite_matching(graph)
    real = matched_cols < n_places
    return round(float(tenths[matched_rows[real], matched_cols[real]].sum()) / 10, 1)


def _reference_best(youth_ids, opening_ids, *, by_opening: bool) -> list[int]:
    """What suggestions do, with the reference scores: the ten best at or above the minimum,
    ties to the lowest id, and their rows loaded."""
    weights = ScoreWeights.load()
    scores = reference_scores(youth_ids, opening_ids, weights)
    ranked = sorted(
        (-values["total"], pair[0] if by_opening else pair[1])
        for pair, values in scores.items()
        if values["total"] >= weights.minimum_score
    )
    best = [pk for _score, pk in ranked[:SUGGESTIONS]]
    model = YoungPerson if by_opening else Opening
    model.objects.in_bulk(best)
    return best


def _reference_matrix(youth_ids: list[int], opening_ids: list[int], weights) -> np.ndarray:
    """The totals of reference_scores for every pair, a block of young people at a time."""
    totals = np.zeros((len(youth_ids), len(opening_ids)))
    row = {pk: i for i, pk in enumerate(youth_ids)}
    column = {pk: j for j, pk in enumerate(opening_ids)}
    for start in range(0, len(youth_ids), REFERENCE_BLOCK):
        block = youth_ids[start : start + REFERENCE_BLOCK]
        for (youth_id, opening_id), values in reference_scores(block, opening_ids, weights).items():
            totals[row[youth_id], column[opening_id]] = values["total"]
    return totals


# --- Formatting --------------------------------------------------------------------------------


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:,.1f} ms"


def _seconds(seconds: float) -> str:
    return f"{seconds:,.2f} s"


def _time(seconds: float) -> str:
    return _ms(seconds) if seconds < 1 else _seconds(seconds)


def _compared(label: str, fast: float, slow: float) -> list[str]:
    if fast <= 0:
        return [label, _time(fast), _time(slow), "-"]
    ratio = slow / fast
    return [label, _time(fast), _time(slow), f"{ratio:,.1f} x" if ratio < 10 else f"{ratio:,.0f} x"]


def _share(values: np.ndarray) -> str:
    return f"{100 * float(np.median(values)):.0f} %" if values.size else "-"
