"""The warm features (matching.features): the same world as a fresh read, whatever changed and
by whichever path, while reading only what changed."""

import datetime as dt
import re

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from employers.models import Employer, Opening
from intake.models import IntakeRecord
from matching import features
from matching.features import FEATURES, FeatureStore
from matching.models import FeatureChange, ScoreWeights
from matching.scoring import load_world, reference_scores, score_matrix
from matching.selectors import suggestions_for_opening, suggestions_for_youth
from matching.services import feature_changes_prune
from restart_platform.accounts.models import City
from restart_platform.taxonomy.models import InterestArea, Sector, Skill
from youth.models import YoungPerson, YouthSkill

from .conftest import TODAY, finish_intake, fitting_youth, make_opening, make_youth

pytestmark = pytest.mark.django_db


@pytest.fixture
def pool(cities, sectors, jw_rotterdam):
    rotterdam, dordrecht = cities["rotterdam"], cities["dordrecht"]
    youth = [
        fitting_youth(jw_rotterdam, rotterdam),
        make_youth(jw_rotterdam, dordrecht, interests=["care"], skills=["cooperation"]),
        make_youth(jw_rotterdam, rotterdam, available_hours=None, available_from=None),
    ]
    openings = [
        make_opening(rotterdam, sectors["recycling"], required=["tools", "safety"]),
        make_opening(dordrecht, sectors["recycling"], nice=["cooperation"], hours_per_week=16),
        make_opening(
            rotterdam, sectors["test-no-interests"], circularity=Employer.Circularity.NOT_YET
        ),
    ]
    return [y.pk for y in youth], [o.pk for o in openings]


def warm(youth_ids, opening_ids):
    return FEATURES.world(youth_ids, opening_ids)


def assert_same_as_a_fresh_read(youth_ids, opening_ids):
    """The warm world scores every pair exactly as a fresh read of the database does."""
    weights = ScoreWeights.load()
    fresh = score_matrix(youth_ids, opening_ids, weights)
    warmed = score_matrix(youth_ids, opening_ids, weights, source=FEATURES.world)
    assert list(warmed.youth_ids) == list(fresh.youth_ids)
    assert list(warmed.opening_ids) == list(fresh.opening_ids)
    assert warmed.totals.tolist() == fresh.totals.tolist()
    for name, values in fresh.components.items():
        assert warmed.components[name].tolist() == values.tolist(), name
    reference = reference_scores(youth_ids, opening_ids, weights)
    for (youth, opening), components in reference.items():
        assert warmed.total(youth, opening) == components["total"]


def test_the_warm_world_holds_the_rows_of_a_fresh_read(pool):
    youth_ids, opening_ids = pool
    assert warm(youth_ids, opening_ids).youth == load_world(youth_ids, opening_ids).youth
    assert warm(youth_ids, opening_ids).openings == load_world(youth_ids, opening_ids).openings
    assert_same_as_a_fresh_read(youth_ids, opening_ids)
    assert FEATURES.full_loads == 1


def test_a_warm_request_reads_only_the_notes_when_nothing_changed(pool):
    youth_ids, opening_ids = pool
    warm(youth_ids, opening_ids)
    with CaptureQueriesContext(connection) as queries:
        warm(youth_ids, opening_ids)
    assert len(queries) == 1  # the notes since the last look: none
    assert "matching_featurechange" in queries[0]["sql"]


def test_one_changed_young_person_is_read_again_alone(pool):
    youth_ids, opening_ids = pool
    warm(youth_ids, opening_ids)
    changed = YoungPerson.objects.get(pk=youth_ids[1])
    changed.available_hours = 8
    changed.save()
    with CaptureQueriesContext(connection) as queries:
        world = warm(youth_ids, opening_ids)
    assert len(queries) == 4  # the notes, then the young person, their interests and skills
    assert world.youth[1].available_hours == 8
    assert FEATURES.full_loads == 1
    assert_same_as_a_fresh_read(youth_ids, opening_ids)


def test_saving_what_the_score_does_not_read_leaves_no_note(pool):
    youth_ids, _ = pool
    before = FeatureChange.objects.count()
    youth = YoungPerson.objects.get(pk=youth_ids[0])
    youth.notes = "Belt liever dan te mailen."
    youth.last_name = "Anders"
    youth.save()
    assert FeatureChange.objects.count() == before


# Every path that changes what the score reads, each seen by the next suggestion.
def _skill_added(youth_ids, opening_ids):
    YouthSkill.objects.create(
        youth_id=youth_ids[1], skill=Skill.objects.get(slug="tools"), assessed_on=TODAY
    )


def _skill_removed(youth_ids, opening_ids):
    YouthSkill.objects.filter(youth_id=youth_ids[0], skill__slug="safety").delete()


def _interests_set(youth_ids, opening_ids):
    YoungPerson.objects.get(pk=youth_ids[2]).interests.set(
        InterestArea.objects.filter(slug__in=["technology", "recycling-reuse"])
    )


def _journey_bulk_updated(youth_ids, opening_ids):
    YoungPerson.objects.filter(pk__in=youth_ids).update(journey=YoungPerson.Journey.INTAKE)


def _phase_by_raw_sql(youth_ids, opening_ids):
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE youth_youngperson SET journey = %s, programme_phase = 3 WHERE id = %s",
            [YoungPerson.Journey.PROGRAMME, youth_ids[1]],
        )


def _intake_not_now(youth_ids, opening_ids):
    finish_intake(YoungPerson.objects.get(pk=youth_ids[0]), IntakeRecord.Outcome.NOT_NOW)


def _opening_required_skill_added(youth_ids, opening_ids):
    Opening.objects.get(pk=opening_ids[1]).required_skills.add(Skill.objects.get(slug="forklift"))


def _opening_hours_updated(youth_ids, opening_ids):
    Opening.objects.filter(pk=opening_ids[0]).update(
        hours_per_week=40, start_date=TODAY + dt.timedelta(days=90)
    )


def _employer_circularity_changed(youth_ids, opening_ids):
    Employer.objects.filter(openings__pk=opening_ids[2]).update(
        circularity=Employer.Circularity.CIRCULAR
    )


def _employer_moved(youth_ids, opening_ids):
    employer = Opening.objects.get(pk=opening_ids[0]).employer
    employer.city = City.objects.get(slug="dordrecht")
    employer.save()


def _sector_interests_changed(youth_ids, opening_ids):
    Sector.objects.get(slug="test-no-interests").interest_areas.add(
        InterestArea.objects.get(slug="care")
    )


def _city_moved(youth_ids, opening_ids):
    City.objects.filter(slug="dordrecht").update(latitude=52.37, longitude=4.89)


def _young_person_moved(youth_ids, opening_ids):
    YoungPerson.objects.filter(pk=youth_ids[0]).update(
        city=City.objects.get(slug="dordrecht"), travel_range_km=1
    )


@pytest.mark.parametrize(
    "change",
    [
        _skill_added,
        _skill_removed,
        _interests_set,
        _journey_bulk_updated,
        _phase_by_raw_sql,
        _intake_not_now,
        _opening_required_skill_added,
        _opening_hours_updated,
        _employer_circularity_changed,
        _employer_moved,
        _sector_interests_changed,
        _city_moved,
        _young_person_moved,
    ],
)
def test_every_path_of_change_reaches_the_next_score(pool, change):
    youth_ids, opening_ids = pool
    weights = ScoreWeights.load()
    before = score_matrix(youth_ids, opening_ids, weights, source=FEATURES.world).totals
    change(youth_ids, opening_ids)
    after = score_matrix(youth_ids, opening_ids, weights, source=FEATURES.world).totals
    assert after.tolist() != before.tolist(), "the change moved no score: the test proves nothing"
    assert_same_as_a_fresh_read(youth_ids, opening_ids)


def test_a_changed_skill_shows_in_the_next_suggestion(cities, sectors, jw_rotterdam, admin):
    youth = make_youth(jw_rotterdam, cities["rotterdam"], interests=["technology"])
    opening = make_opening(cities["rotterdam"], sectors["recycling"], required=["forklift"])
    first = suggestions_for_youth(admin, youth)[0]
    YouthSkill.objects.create(
        youth=youth, skill=Skill.objects.get(slug="forklift"), assessed_on=TODAY
    )
    [again] = [s for s in suggestions_for_youth(admin, youth) if s.match == opening]
    assert again.score > first.score
    [for_opening] = suggestions_for_opening(admin, opening)
    assert for_opening.score == again.score


def test_a_closed_opening_leaves_the_next_suggestions(cities, sectors, jw_rotterdam, admin):
    youth = fitting_youth(jw_rotterdam, cities["rotterdam"])
    opening = make_opening(cities["rotterdam"], sectors["recycling"], required=["tools"])
    assert [s.match for s in suggestions_for_youth(admin, youth)] == [opening]
    Opening.objects.filter(pk=opening.pk).update(status=Opening.Status.CLOSED)
    assert suggestions_for_youth(admin, youth) == []


def test_new_records_are_read_and_kept(pool, cities, sectors, jw_rotterdam):
    youth_ids, opening_ids = pool
    warm(youth_ids, opening_ids)
    newcomer = fitting_youth(jw_rotterdam, cities["dordrecht"]).pk
    opening = make_opening(cities["dordrecht"], sectors["recycling"], required=["tools"]).pk
    assert_same_as_a_fresh_read([*youth_ids, newcomer], [*opening_ids, opening])
    assert FEATURES.full_loads == 1


def test_ids_that_do_not_exist_are_left_out(pool):
    youth_ids, opening_ids = pool
    world = warm([999_999, *youth_ids], [*opening_ids, 999_998])
    assert [row.id for row in world.youth] == youth_ids
    assert [row.id for row in world.openings] == opening_ids


def test_deleted_records_leave_the_warm_world(pool):
    youth_ids, opening_ids = pool
    warm(youth_ids, opening_ids)
    Opening.objects.filter(pk=opening_ids[2]).delete()
    YoungPerson.objects.filter(pk=youth_ids[2]).delete()
    world = warm(youth_ids, opening_ids)
    assert [row.id for row in world.youth] == youth_ids[:2]
    assert [row.id for row in world.openings] == opening_ids[:2]


def test_inside_a_transaction_of_its_own_it_reads_the_database_and_keeps_nothing(pool):
    youth_ids, opening_ids = pool
    warm(youth_ids, opening_ids)
    with transaction.atomic():
        YoungPerson.objects.filter(pk=youth_ids[0]).update(available_hours=4)
        assert warm(youth_ids, opening_ids).youth[0].available_hours == 4
        transaction.set_rollback(True)
    assert warm(youth_ids, opening_ids).youth[0].available_hours == 32


def test_a_note_that_commits_late_below_one_already_read_is_still_applied(pool, monkeypatch):
    """Notes are numbered when their transaction writes them, not when it commits."""
    youth_ids, opening_ids = pool
    store = FeatureStore()
    store.world(youth_ids, opening_ids)
    top = FeatureChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    # A later transaction commits first (number top + 5); an earlier one (top + 2) after it.
    FeatureChange.objects.create(pk=top + 5, kind=FeatureChange.Kind.OPENING, object_id=0)
    store.world(youth_ids, opening_ids)
    YoungPerson.objects.filter(pk=youth_ids[1]).update(available_hours=12)
    notes = FeatureChange.objects.filter(kind=FeatureChange.Kind.YOUTH, pk__gt=top)
    assert {note.object_id for note in notes} == {youth_ids[1]}
    notes.exclude(pk=notes[0].pk).delete()
    notes.update(id=top + 2)
    assert store.world(youth_ids, opening_ids).youth[1].available_hours == 12


def test_a_gap_older_than_the_settling_time_is_given_up(pool, monkeypatch):
    youth_ids, opening_ids = pool
    clock = [1_000.0]
    monkeypatch.setattr(features.time, "monotonic", lambda: clock[0])
    store = FeatureStore()
    store.world(youth_ids, opening_ids)
    top = FeatureChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    FeatureChange.objects.create(pk=top + 5, kind=FeatureChange.Kind.OPENING, object_id=0)
    store.world(youth_ids, opening_ids)
    clock[0] += features.SETTLE_SECONDS + 1
    store.world(youth_ids, opening_ids)  # numbers top + 1 to top + 4 never came: given up
    with CaptureQueriesContext(connection) as queries:
        store.world(youth_ids, opening_ids)
    [notes] = queries
    numbers = re.findall(r"\b\d+\b", notes["sql"])  # whole numbers: 20 is not in LIMIT 2001
    assert str(top + 2) not in numbers
    assert str(top + 5) in numbers  # only what lies above the settled mark is asked


def test_a_store_idle_for_hours_loads_everything_again(pool, monkeypatch):
    youth_ids, opening_ids = pool
    clock = [1_000.0]
    monkeypatch.setattr(features.time, "monotonic", lambda: clock[0])
    store = FeatureStore()
    store.world(youth_ids, opening_ids)
    clock[0] += features.IDLE_RELOAD_SECONDS + 1
    store.world(youth_ids, opening_ids)
    assert store.full_loads == 2


def test_many_changes_at_once_load_everything_again(pool, monkeypatch):
    youth_ids, opening_ids = pool
    monkeypatch.setattr(features, "FULL_RELOAD_AT", 2)
    warm(youth_ids, opening_ids)
    YoungPerson.objects.filter(pk__in=youth_ids).update(available_hours=20)
    assert all(row.available_hours == 20 for row in warm(youth_ids, opening_ids).youth)
    assert FEATURES.full_loads == 2


def test_notes_older_than_a_day_are_pruned(pool):
    from django.utils import timezone

    FeatureChange.objects.update(changed_at=timezone.now() - dt.timedelta(days=2))
    recent = FeatureChange.objects.create(kind=FeatureChange.Kind.ALL)
    assert feature_changes_prune() > 0
    assert list(FeatureChange.objects.all()) == [recent]


def test_a_term_no_row_held_before_rebuilds_the_columns_and_scores_stay_exact(pool):
    """A skill nobody held or asked for has no column yet: the columns are built again."""
    youth_ids, opening_ids = pool
    warm(youth_ids, opening_ids)
    unheard = Skill.objects.create(slug="nieuw-vak", name_nl="Nieuw vak", name_en="New trade")
    assert unheard.pk not in FEATURES._snapshot.terms.skills
    Opening.objects.get(pk=opening_ids[0]).required_skills.add(unheard)
    YouthSkill.objects.create(youth_id=youth_ids[2], skill=unheard, assessed_on=TODAY)
    assert_same_as_a_fresh_read(youth_ids, opening_ids)
    assert unheard.pk in FEATURES._snapshot.terms.skills
    assert FEATURES.full_loads == 1  # rebuilt from the rows in memory, not read again


def test_a_changed_row_is_replaced_in_copies_of_the_columns(pool):
    youth_ids, opening_ids = pool
    before = warm(youth_ids, opening_ids).columns
    YoungPerson.objects.filter(pk=youth_ids[0]).update(available_hours=6)
    after = warm(youth_ids, opening_ids).columns
    assert before.youth.available_hours[0] == 32
    assert after.youth.available_hours[0] == 6  # the view taken before did not change
    assert list(after.youth.ids) == youth_ids


def test_a_sequence_far_ahead_of_the_notes_does_not_reload_on_every_request(pool):
    """A fresh database whose numbers start high, or notes pruned below: the numbers skipped
    long ago are not waited for, so the store stays warm."""
    youth_ids, opening_ids = pool
    top = FeatureChange.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    FeatureChange.objects.create(pk=top + 100_000, kind=FeatureChange.Kind.OPENING, object_id=0)
    warm(youth_ids, opening_ids)
    FeatureChange.objects.create(pk=top + 200_000, kind=FeatureChange.Kind.OPENING, object_id=0)
    warm(youth_ids, opening_ids)
    with CaptureQueriesContext(connection) as queries:
        warm(youth_ids, opening_ids)
    assert len(queries) == 1
    assert FEATURES.full_loads == 1
    assert len(FEATURES._gaps) <= features.MAX_GAPS
