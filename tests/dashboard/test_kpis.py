"""Each figure of the KPI dashboard counted on a fixed world (tests/dashboard/kpi_world.py),
where every record's date says whether it belongs to the period 2026."""

import pytest
import time_machine

from employers.models import Employer, Opening
from restart_platform.dashboard import kpis
from restart_platform.dashboard.exports import Share

from .kpi_world import NOW, PERIOD, World

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(coord_rotterdam, jw_rotterdam, rotterdam, dordrecht, jw_dordrecht):
    with time_machine.travel(NOW, tick=False):
        yield World(
            coord=coord_rotterdam,
            jw=jw_rotterdam,
            city=rotterdam,
            other_city=dordrecht,
            jw_other=jw_dordrecht,
        )


def rows(table, choices):
    """The table's values by the choice each row stands for (the labels are translated)."""
    return dict(zip(choices, (row[1:] for row in table.rows), strict=True))


def test_employers_per_stage_count_those_added_by_the_period_end_at_their_stage_now(
    world, coord_rotterdam
):
    counts = kpis.employer_counts(coord_rotterdam, city=None, period=PERIOD)
    table = rows(kpis.employers_by_stage(counts), Employer.Stage.values)
    # columns: circular, in transition, not (yet) circular, total
    assert table["lead"] == [1, 0, 1, 2]
    assert table["committed"] == [0, 1, 0, 1]
    assert table["active"] == [1, 0, 0, 1]  # the one added in 2027 is not counted
    assert table["declined"] == [0, 0, 0, 0]


def test_employers_by_circularity_and_those_taking_part(world, coord_rotterdam):
    counts = kpis.employer_counts(coord_rotterdam, city=None, period=PERIOD)
    table = rows(kpis.employers_by_circularity(counts), Employer.Circularity.values)
    assert table == {"circular": [2, 1], "in_transition": [1, 1], "not_yet": [1, 0]}


def test_the_funnel_counts_each_step_that_happened_in_the_period(world, coord_rotterdam):
    with time_machine.travel(NOW, tick=False):
        table = kpis.youth_funnel(coord_rotterdam, city=None, period=PERIOD)
    assert [row[1] for row in table.rows] == [1, 1, 3, 2, 1, 0, 1]


def test_a_coordinator_counts_only_their_cities_and_an_admin_every_city(
    world, admin, coord_dordrecht, dordrecht
):
    with time_machine.travel(NOW, tick=False):
        everyone = kpis.youth_funnel(admin, city=None, period=PERIOD)
        dordrecht_only = kpis.youth_funnel(coord_dordrecht, city=None, period=PERIOD)
        chosen = kpis.youth_funnel(admin, city=dordrecht, period=PERIOD)
    assert everyone.rows[0][1] == 2  # registered: Rotterdam's one and Dordrecht's one
    assert dordrecht_only.rows[0][1] == 1
    assert [row[1] for row in chosen.rows] == [row[1] for row in dordrecht_only.rows]


def test_a_coordinator_choosing_another_city_sees_nothing_of_it(world, coord_rotterdam, dordrecht):
    with time_machine.travel(NOW, tick=False):
        table = kpis.youth_funnel(coord_rotterdam, city=dordrecht, period=PERIOD)
    assert [row[1] for row in table.rows] == [0] * 7


def test_placements_by_type_count_those_started_in_the_period(world, coord_rotterdam):
    table = rows(
        kpis.placements_by_type(coord_rotterdam, city=None, period=PERIOD), Opening.Kind.values
    )
    assert table == {"job": [0], "paid_internship": [1], "learning_work_place": [1]}


def test_buddy_pairs_started_and_the_share_reaching_twelve_months(world, coord_rotterdam):
    with time_machine.travel(NOW, tick=False):
        table = kpis.buddy_pairs(coord_rotterdam, city=None, period=PERIOD)
    assert [row[1] for row in table.rows] == [1, 3, 2, Share(2, 3)]


def test_retention_with_and_without_a_buddy_counts_known_outcomes_only(world, coord_rotterdam):
    with time_machine.travel(NOW, tick=False):
        table = kpis.retention_by_buddy(coord_rotterdam, city=None, period=PERIOD)
    by_month = rows(table, [1, 3, 6, 12])
    assert by_month[1] == [Share(1, 1), Share(1, 1), Share(2, 2)]
    # Without a buddy: B still there, E had left before the follow-up (known, not there).
    assert by_month[3] == [Share(0, 1), Share(1, 2), Share(1, 3)]
    assert by_month[6] == [Share(0, 0), Share(0, 0), Share(0, 0)]
    assert by_month[12] == [Share(1, 1), Share(0, 0), Share(1, 1)]


def test_programme_phases_completion_and_certificates(world, coord_rotterdam):
    phases, completion = kpis.programme(coord_rotterdam, city=None, period=PERIOD)
    assert [row[1] for row in phases.rows] == [1, 1, 1]
    assert [row[1] for row in completion.rows] == [1, 1, Share(1, 2), 1]


def test_a_period_in_the_past_counts_what_happened_then(world, coord_rotterdam):
    last_year = kpis.Period(PERIOD.start.replace(year=2025), PERIOD.end.replace(year=2025))
    with time_machine.travel(NOW, tick=False):
        funnel = kpis.youth_funnel(coord_rotterdam, city=None, period=last_year)
        placements = rows(
            kpis.placements_by_type(coord_rotterdam, city=None, period=last_year),
            Opening.Kind.values,
        )
    # Registered in 2025: B, E, F, K, L.
    assert funnel.rows[0][1] == 5
    # Placed in 2025: C, E, L and the four buddy pairs' young people.
    assert funnel.rows[3][1] == 7
    assert placements["job"] == [7]


def test_the_pitch_counts_everything_up_to_today(world, coord_rotterdam):
    with time_machine.travel(NOW, tick=False):
        table = kpis.pitch_figures(coord_rotterdam, city=None)
    assert [row[1] for row in table.rows] == [9, Share(1, 1), Share(1, 1), 1, 1, 1]
