"""Warm features: what every score reads, kept in each process and refreshed from what changed.

Suggestions score one young person against thousands of openings, or one opening against
thousands of young people. Reading those rows on every request cost more than the arithmetic,
so each process (web worker, Celery worker) keeps the features of every young person and
opening, and before each use reads only the notes of what changed since (one small query,
usually empty) and reloads just those records.

The notes come from database triggers (migration matching 0009), written in the same
transaction as the change, whatever the path: a form, the admin, a bulk update, raw SQL. The
candidates themselves (which openings are open, which young people the user may see) are
never cached: the selectors read those ids fresh on every request, so a closed opening or a
young person who left drops out at once.

Two cases read straight from the database instead, as `load_world` does:
- inside a transaction of our own (not the test runner's), whose changes may still roll back
  and must not be kept;
- records the warm store does not hold (it loads them, and keeps them from then on).

Notes are numbered in the order their transactions began, not the order they committed, so a
note can appear below one already read. The store therefore asks again for any number it has
not seen just below its highest (up to `MAX_GAPS` of them), until a note is `SETTLE_SECONDS`
old: only a transaction open longer than that (far beyond a request's timeout), or one that
wrote its note before hundreds of others, could slip past.
"""

import threading
import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import timedelta

import numpy as np
from django.db import connection
from django.db.models import Max, Q
from django.utils import timezone

from employers.models import Opening
from restart_platform.taxonomy.models import InterestArea

from .models import FeatureChange
from .scoring import (
    CIRCULAR_INTEREST_SLUGS,
    Columns,
    OpeningColumns,
    OpeningFeatures,
    TermIndex,
    World,
    YouthColumns,
    YouthFeatures,
    city_coordinates,
    load_world,
    opening_columns,
    read_openings,
    read_sector_interests,
    read_youth,
    sector_columns,
    term_index,
    youth_columns,
)

SETTLE_SECONDS = 120.0
# A store that has not refreshed for this long loads everything again: the notes it would
# need may have been pruned (matching.tasks.prune_feature_changes keeps a day).
IDLE_RELOAD_SECONDS = 6 * 3600.0
# Past this many changed records a full load is cheaper than loading them one set at a time.
FULL_RELOAD_AT = 2_000
# Missing numbers are waited for only this far below the newest note: a transaction that
# wrote its note before 500 others and has still not committed is not waited for (numbers
# skipped long before, by rolled-back transactions or on a fresh database whose sequence is
# far ahead of its rows, would otherwise be asked for forever).
MAX_GAPS = 500


@dataclass(frozen=True)
class Snapshot:
    """The features of every young person and opening at one moment, as rows and as the
    columns the arithmetic reads; never changed in place, so a request keeps a consistent view
    while another thread refreshes. A changed record replaces its row in copies of the
    columns; a term the columns have no place for (a new skill) rebuilds them."""

    youth: YouthFeatures
    openings: OpeningFeatures
    sector_interests: dict[int, frozenset[int]]
    circular_interests: frozenset[int]
    terms: TermIndex
    youth_columns: YouthColumns
    youth_positions: dict[int, int]  # young person id -> row of youth_columns
    opening_columns: OpeningColumns
    opening_positions: dict[int, int]
    sector_areas: dict[int, np.ndarray]
    coordinates: dict[int, tuple]

    @classmethod
    def of(cls, youth, openings, sector_interests, circular_interests) -> "Snapshot":
        """Rows and columns, every column built afresh."""
        terms = term_index(
            [area for areas in youth.interests.values() for area in areas]
            + [area for areas in sector_interests.values() for area in areas],
            [skill for skills in youth.skills.values() for skill in skills]
            + [skill for skills in openings.required_skills.values() for skill in skills]
            + [skill for skills in openings.nice_skills.values() for skill in skills],
        )
        youth_rows, opening_rows = list(youth.rows.values()), list(openings.rows.values())
        return cls(
            youth=youth,
            openings=openings,
            sector_interests=sector_interests,
            circular_interests=circular_interests,
            terms=terms,
            youth_columns=youth_columns(
                youth_rows, youth.interests, youth.skills, circular_interests, terms
            ),
            youth_positions={row.id: k for k, row in enumerate(youth_rows)},
            opening_columns=opening_columns(
                opening_rows, openings.required_skills, openings.nice_skills, terms
            ),
            opening_positions={row.id: k for k, row in enumerate(opening_rows)},
            sector_areas=sector_columns(
                sector_interests,
                [*sector_interests, *(row.sector_id for row in opening_rows)],
                terms,
            ),
            coordinates=city_coordinates([*youth_rows, *opening_rows]),
        )

    def rebuilt(self, **changed) -> "Snapshot":
        values = {
            "youth": self.youth,
            "openings": self.openings,
            "sector_interests": self.sector_interests,
            "circular_interests": self.circular_interests,
        }
        return Snapshot.of(**(values | changed))

    def world(self, youth_ids: list[int], opening_ids: list[int]) -> World:
        youth = [pk for pk in youth_ids if pk in self.youth.rows]
        openings = [pk for pk in opening_ids if pk in self.openings.rows]
        youth_rows = np.array([self.youth_positions[pk] for pk in youth], dtype=np.intp)
        opening_rows = np.array([self.opening_positions[pk] for pk in openings], dtype=np.intp)
        return World(
            youth=[self.youth.rows[pk] for pk in youth],
            openings=[self.openings.rows[pk] for pk in openings],
            youth_interests=self.youth.interests,
            youth_skills=self.youth.skills,
            required_skills=self.openings.required_skills,
            nice_skills=self.openings.nice_skills,
            sector_interests=self.sector_interests,
            circular_interests=self.circular_interests,
            columns=Columns(
                youth=self.youth_columns.take(youth_rows),
                openings=self.opening_columns.take(opening_rows),
                sector_areas=self.sector_areas,
                coordinates=self.coordinates,
            ),
        )

    def with_youth(self, ids: Iterable[int], fresh: YouthFeatures) -> "Snapshot":
        ids = set(ids)
        youth = YouthFeatures(
            rows=_merged(self.youth.rows, ids, fresh.rows),
            interests=_merged(self.youth.interests, ids, fresh.interests),
            skills=_merged(self.youth.skills, ids, fresh.skills),
            circular_interests=self.youth.circular_interests,
        )
        terms_needed = (
            [area for areas in fresh.interests.values() for area in areas],
            [skill for skills in fresh.skills.values() for skill in skills],
        )
        if not self.terms.holds(*terms_needed):
            return self.rebuilt(youth=youth)
        rows = list(fresh.rows.values())
        more = youth_columns(
            rows, fresh.interests, fresh.skills, self.circular_interests, self.terms
        )
        columns, positions = _updated(self.youth_columns, self.youth_positions, ids, more)
        return replace(
            self,
            youth=youth,
            youth_columns=columns,
            youth_positions=positions,
            coordinates=self.coordinates | city_coordinates(rows),
        )

    def with_openings(self, ids: Iterable[int], fresh: OpeningFeatures) -> "Snapshot":
        ids = set(ids)
        openings = OpeningFeatures(
            rows=_merged(self.openings.rows, ids, fresh.rows),
            required_skills=_merged(self.openings.required_skills, ids, fresh.required_skills),
            nice_skills=_merged(self.openings.nice_skills, ids, fresh.nice_skills),
        )
        skills = [
            skill
            for sets in (fresh.required_skills, fresh.nice_skills)
            for terms in sets.values()
            for skill in terms
        ]
        rows = list(fresh.rows.values())
        if not self.terms.holds([], skills) or any(
            row.sector_id not in self.sector_areas for row in rows
        ):
            return self.rebuilt(openings=openings)
        more = opening_columns(rows, fresh.required_skills, fresh.nice_skills, self.terms)
        columns, positions = _updated(self.opening_columns, self.opening_positions, ids, more)
        return replace(
            self,
            openings=openings,
            opening_columns=columns,
            opening_positions=positions,
            coordinates=self.coordinates | city_coordinates(rows),
        )


def _updated(columns, positions: dict[int, int], ids: set[int], more):
    """The columns with the rows of `ids` replaced by `more` (new ones appended, those not in
    `more` forgotten), and the positions of every id."""
    positions = dict(positions)
    fresh = [int(pk) for pk in more.ids]
    for pk in ids - set(fresh):
        positions.pop(pk, None)  # deleted: its row stays, unreachable, until the next full load
    replace_at, picks, appended = [], [], []
    for j, pk in enumerate(fresh):
        if pk in positions:
            replace_at.append(positions[pk])
            picks.append(j)
        else:
            appended.append(j)
    if replace_at:
        columns = columns.replaced(replace_at, more, picks)
    if appended:
        start = len(columns.ids)
        columns = columns.stacked(more.take(np.array(appended, dtype=np.intp)))
        for k, j in enumerate(appended):
            positions[fresh[j]] = start + k
    return columns, positions


def _merged(old: dict, ids: Iterable[int], fresh: dict) -> dict:
    """`old` with the entries of `ids` replaced by those in `fresh` (or gone if not there)."""
    merged = dict(old)
    for pk in ids:
        merged.pop(pk, None)
    merged.update(fresh)
    return merged


@dataclass
class Changes:
    youth: set[int] = field(default_factory=set)
    openings: set[int] = field(default_factory=set)
    employers: set[int] = field(default_factory=set)
    sectors: bool = False
    everything: bool = False

    def add(self, kind: str, object_id: int | None) -> None:
        if kind == FeatureChange.Kind.YOUTH and object_id is not None:
            self.youth.add(object_id)
        elif kind == FeatureChange.Kind.OPENING and object_id is not None:
            self.openings.add(object_id)
        elif kind == FeatureChange.Kind.EMPLOYER and object_id is not None:
            self.employers.add(object_id)
        elif kind == FeatureChange.Kind.SECTOR:
            self.sectors = True
        else:
            self.everything = True

    @property
    def size(self) -> int:
        return len(self.youth) + len(self.openings) + 50 * len(self.employers)


class FeatureStore:
    """The warm features of this process. `world(youth_ids, opening_ids)` is `load_world`
    without reading what has not changed."""

    def __init__(self):
        self._lock = threading.Lock()
        self.clear()

    def clear(self) -> None:
        """Forget everything: the next use loads it all again."""
        self._snapshot: Snapshot | None = None
        self._settled = 0  # every note up to this number has been applied or given up on
        self._highest = 0  # the highest note applied
        self._gaps: set[int] = set()  # numbers between the two not seen yet
        self._seen: deque[tuple[float, int]] = deque()  # (first seen, number), oldest first
        self._refreshed = 0.0
        self.full_loads = 0  # for tests and the benchmark: how often everything was read

    def world(self, youth_ids: Iterable[int], opening_ids: Iterable[int]) -> World:
        youth_ids, opening_ids = list(dict.fromkeys(youth_ids)), list(dict.fromkeys(opening_ids))
        if _in_own_transaction():
            return load_world(youth_ids, opening_ids)
        with self._lock:
            snapshot = self._refresh()
            snapshot = self._load_missing(snapshot, youth_ids, opening_ids)
        return snapshot.world(youth_ids, opening_ids)

    # --- Refreshing ----------------------------------------------------------------------------

    def _refresh(self) -> Snapshot:
        now = time.monotonic()
        if self._snapshot is None or now - self._refreshed > IDLE_RELOAD_SECONDS:
            self._load_all(now)
        else:
            changes = self._read_notes(now)
            if changes.everything or changes.size > FULL_RELOAD_AT:
                self._load_all(now)
            else:
                self._apply(changes)
        self._refreshed = now
        return self._snapshot

    def _read_notes(self, now: float) -> Changes:
        """What the notes since the last look say changed."""
        notes = FeatureChange.objects.filter(
            Q(pk__gt=self._highest) | Q(pk__any_of=sorted(self._gaps))
        ).order_by("pk")
        # Limited, so PostgreSQL walks the key's index whatever its statistics say; past the
        # limit everything is loaded again anyway.
        rows = list(notes.values_list("pk", "kind", "object_id")[: FULL_RELOAD_AT + 1])
        changes = Changes()
        if len(rows) > FULL_RELOAD_AT:
            changes.everything = True
            return changes
        for pk, kind, object_id in rows:
            if pk > self._highest:
                self._gaps.update(range(max(self._highest + 1, pk - MAX_GAPS), pk))
                self._highest = pk
            else:
                self._gaps.discard(pk)
            self._seen.append((now, pk))
            changes.add(kind, object_id)
        if len(self._gaps) > MAX_GAPS:  # only the newest are waited for
            self._gaps = set(sorted(self._gaps)[-MAX_GAPS:])
        self._settle(now)
        return changes

    def _settle(self, now: float) -> None:
        """Give up waiting below a note seen more than SETTLE_SECONDS ago: any lower number
        belongs to a transaction that began before it and would have committed by now."""
        settled = self._settled
        while self._seen and now - self._seen[0][0] > SETTLE_SECONDS:
            settled = max(settled, self._seen.popleft()[1])
        if settled > self._settled:
            self._settled = settled
            self._gaps = {pk for pk in self._gaps if pk > settled}

    def _apply(self, changes: Changes) -> None:
        snapshot = self._snapshot
        if changes.youth:
            snapshot = snapshot.with_youth(
                changes.youth, read_youth(Q(pk__any_of=sorted(changes.youth)))
            )
        if changes.openings or changes.employers:
            which = Q(pk__any_of=sorted(changes.openings)) | Q(
                employer_id__any_of=sorted(changes.employers)
            )
            ids = changes.openings | set(
                Opening.objects.filter(employer_id__any_of=sorted(changes.employers))
                .order_by()
                .values_list("pk", flat=True)
            )
            snapshot = snapshot.with_openings(ids, read_openings(which))
        if changes.sectors:
            snapshot = snapshot.rebuilt(sector_interests=read_sector_interests())
        self._snapshot = snapshot

    def _load_all(self, now: float) -> None:
        # The mark first, then the rows: a change committed in between is both in the rows
        # and above the mark, and applying it twice is harmless.
        self._settled = _settled_mark()
        recent = list(
            FeatureChange.objects.filter(pk__gt=self._settled)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        self._highest = recent[-1] if recent else self._settled
        self._gaps = set(
            range(max(self._settled + 1, self._highest - MAX_GAPS), self._highest)
        ) - set(recent)
        self._seen = deque([(now, self._highest)])
        self._snapshot = Snapshot.of(
            youth=read_youth(Q()),
            openings=read_openings(Q()),
            sector_interests=read_sector_interests(),
            circular_interests=frozenset(
                InterestArea.objects.filter(slug__in=CIRCULAR_INTEREST_SLUGS).values_list(
                    "pk", flat=True
                )
            ),
        )
        self.full_loads += 1

    def _load_missing(self, snapshot: Snapshot, youth_ids, opening_ids) -> Snapshot:
        """Records asked for that the store does not hold yet (created since, or ids that do
        not exist): read them, and keep those that exist."""
        youth = [pk for pk in youth_ids if pk not in snapshot.youth.rows]
        openings = [pk for pk in opening_ids if pk not in snapshot.openings.rows]
        if youth:
            fresh = read_youth(Q(pk__any_of=youth))
            snapshot = snapshot.with_youth(fresh.rows, fresh)
        if openings:
            fresh = read_openings(Q(pk__any_of=openings))
            snapshot = snapshot.with_openings(fresh.rows, fresh)
        self._snapshot = snapshot
        return snapshot


def _settled_mark() -> int:
    """The highest note old enough that no transaction can still add one below it."""
    cutoff = timezone.now() - timedelta(seconds=SETTLE_SECONDS)
    mark = FeatureChange.objects.filter(changed_at__lt=cutoff).aggregate(Max("pk"))["pk__max"]
    return mark or 0


def _in_own_transaction() -> bool:
    """Inside an atomic block other than the test runner's own: what is read there may still
    roll back, so it must not be kept."""
    if not connection.in_atomic_block:
        return False
    return any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


FEATURES = FeatureStore()
