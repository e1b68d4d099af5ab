"""The KPI dashboard, its exports and the employer pitch, per role; the query count stays
the same whatever the size of the data."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from restart_platform.dashboard.exports import SMALL_NUMBER
from youth.factories import YoungPersonFactory

from .kpi_world import NOW, World

pytestmark = pytest.mark.django_db

PERIOD_2026 = {"start": "2026-01-01", "end": "2026-12-31"}


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


def funnel_of(response):
    table = next(t for t, _chart, _id in response.context["figures"] if t.key == "youth_funnel")
    return [row[1] for row in table.rows]


@pytest.mark.parametrize("role", ["admin", "coord_rotterdam"])
def test_admins_and_coordinators_see_the_dashboard_with_a_chart_and_table_per_figure(
    role, cast, client_for, world
):
    with time_machine.travel(NOW, tick=False):
        response = client_for(cast[role]).get(reverse("dashboard:kpis"))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<canvas") == 8
    assert html.count('data-testid="figure-table"') == 8
    assert html.count('type="application/json"') == 8
    assert "vendor/chartjs/chart.umd.min.js" in html
    assert "<script>" not in html  # no inline scripts (CSP)


@pytest.mark.parametrize("role", ["jw_rotterdam", "employer1"])
def test_youth_workers_and_employer_contacts_get_404(role, cast, client_for):
    client = client_for(cast[role])
    for name, args in [
        ("dashboard:kpis", []),
        ("dashboard:kpis_export", ["xlsx"]),
        ("dashboard:pitch", []),
    ]:
        assert client.get(reverse(name, args=args)).status_code == 404


def test_the_period_defaults_to_this_year(coord_rotterdam, client_for):
    with time_machine.travel(NOW, tick=False):
        response = client_for(coord_rotterdam).get(reverse("dashboard:kpis"))
    period = response.context["period"]
    assert (period.start, period.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))


def test_filtering_by_period_changes_the_figures(world, coord_rotterdam, client_for):
    client = client_for(coord_rotterdam)
    with time_machine.travel(NOW, tick=False):
        this_year = client.get(reverse("dashboard:kpis"), PERIOD_2026)
        last_year = client.get(
            reverse("dashboard:kpis"), {"start": "2025-01-01", "end": "2025-12-31"}
        )
    assert funnel_of(this_year)[0] == 1
    assert funnel_of(last_year)[0] == 5


def test_the_city_choices_are_the_coordinators_own(coord_rotterdam, client_for, rotterdam):
    response = client_for(coord_rotterdam).get(reverse("dashboard:kpis"))
    assert list(response.context["form"].fields["city"].queryset) == [rotterdam]


def test_another_citys_id_is_refused_with_a_message(coord_rotterdam, client_for, dordrecht):
    response = client_for(coord_rotterdam).get(reverse("dashboard:kpis"), {"city": dordrecht.pk})
    assert response.status_code == 200
    assert "city" in response.context["form"].errors
    assert response.context["city"] is None


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2026-05-01", "end": "2026-01-01"},
        {"start": "9999-01-01"},
        {"start": "1200-01-01"},
        {"end": "morgen"},
    ],
)
def test_bad_periods_get_a_dutch_message_not_an_error(params, coord_rotterdam, client_for):
    client = client_for(coord_rotterdam)
    response = client.get(reverse("dashboard:kpis"), params)
    assert response.status_code == 200
    assert response.context["form"].errors
    exported = client.get(reverse("dashboard:kpis_export", args=["csv"]), params)
    assert exported.status_code == 200
    assert exported["Content-Type"].startswith("text/html")


def test_the_xlsx_export_has_a_sheet_per_figure_with_small_numbers_suppressed(
    world, coord_rotterdam, client_for
):
    with time_machine.travel(NOW, tick=False):
        response = client_for(coord_rotterdam).get(
            reverse("dashboard:kpis_export", args=["xlsx"]), PERIOD_2026
        )
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert len(book.sheetnames) == 8
    funnel = [list(row) for row in book.worksheets[2].iter_rows(values_only=True)]
    # The title, how it is counted, an empty line, the header, then the rows.
    values = [row[1] for row in funnel[4:11]]
    # 1, 1, 3, 2, 1, 0, 1 on the page; 0 stays 0.
    assert values == [SMALL_NUMBER] * 5 + [0, SMALL_NUMBER]


def test_the_csv_export_of_one_figure(world, coord_rotterdam, client_for):
    with time_machine.travel(NOW, tick=False):
        response = client_for(coord_rotterdam).get(
            reverse("dashboard:kpis_export", args=["csv"]),
            {**PERIOD_2026, "figure": "placements_by_type"},
        )
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[2] == ["Type", "Plaatsingen"]
    assert rows[3:6] == [["Baan", "0"], ["Betaalde stage", "< 5"], ["Leerwerkplek", "< 5"]]


def test_an_unknown_figure_or_format_is_404(coord_rotterdam, client_for):
    client = client_for(coord_rotterdam)
    assert client.get(reverse("dashboard:kpis_export", args=["pdf"])).status_code == 404
    url = reverse("dashboard:kpis_export", args=["csv"])
    assert client.get(url, {"figure": "salaries"}).status_code == 404


def many_young_people(count, world):
    """More of everything the figures count: young people placed, followed up, in a pair."""
    for n in range(count):
        person = YoungPersonFactory(
            city=world.city, youth_worker=world.jw, registered_on=dt.date(2026, 2, 1)
        )
        placed = world.placement(person, dt.date(2026, 1, 5) + dt.timedelta(days=n))
        world.follow_up(placed, 1, dt.date(2026, 2, 5), True)
        world.intake(person, dt.date(2026, 1, 20), "held")
        world.participant(person, dt.date(2026, 1, 2), cohort=world.cohort)


@pytest.mark.parametrize("count", [1, 12])
def test_the_dashboard_keeps_its_query_count(
    count, world, coord_rotterdam, client_for, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        many_young_people(count, world)
        client = client_for(coord_rotterdam)
        with django_assert_max_num_queries(14):
            response = client.get(reverse("dashboard:kpis"), PERIOD_2026)
    assert funnel_of(response)[0] == 1 + count


@pytest.mark.parametrize("count", [1, 12])
def test_the_export_and_the_pitch_keep_their_query_count(
    count, world, coord_rotterdam, client_for, django_assert_max_num_queries
):
    with time_machine.travel(NOW, tick=False):
        many_young_people(count, world)
        client = client_for(coord_rotterdam)
        with django_assert_max_num_queries(14):
            client.get(reverse("dashboard:kpis_export", args=["xlsx"]), PERIOD_2026)
        with django_assert_max_num_queries(12):
            client.get(reverse("dashboard:pitch"))
