"""The fidelity page: who may open it, its filter (the user's cities, a plausible period), the
table with "not recorded" instead of 0 %, the CSV, and a query count that does not grow."""

import csv
import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.urls import reverse

from buddy.factories import PairFactory
from buddy.models import CheckIn, Pair
from employers.factories import DemandProfileFactory, EmployerFactory, PartnerFactory
from employers.models import Employer
from intake.factories import IntakeMeetingFactory, IntakeRecordFactory
from intake.models import IntakeMeeting
from prep_programme.factories import CohortFactory, ParticipantFactory
from prep_programme.models import CoachingTalk
from youth.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db

URL = reverse("dashboard:fidelity")
NOW = dt.datetime(2026, 6, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _mid_2026():
    with time_machine.travel(NOW, tick=False):
        yield


def rows(response) -> dict:
    return {element.key: element for element in response.context["elements"]}


@pytest.mark.parametrize("role", ["admin", "coord_rotterdam", "coord_dordrecht"])
def test_admins_and_coordinators_open_the_page(client_for, cast, role):
    response = client_for(cast[role]).get(URL)
    assert response.status_code == 200
    assert len(response.context["elements"]) == 13


@pytest.mark.parametrize("role", ["jw_rotterdam", "employer1"])
def test_youth_workers_and_employer_contacts_get_404(client_for, cast, role):
    assert client_for(cast[role]).get(URL).status_code == 404


def test_the_period_is_this_year_unless_chosen(client_for, coord_rotterdam):
    period = client_for(coord_rotterdam).get(URL).context["period"]
    assert (period.start, period.end) == (dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    period = (
        client_for(coord_rotterdam)
        .get(URL, {"start": "2025-03-01", "end": "2025-05-31"})
        .context["period"]
    )
    assert (period.start, period.end) == (dt.date(2025, 3, 1), dt.date(2025, 5, 31))


def test_a_coordinator_sees_only_their_cities(client_for, coord_dordrecht, rotterdam, dordrecht):
    PartnerFactory(city=rotterdam, is_lead=True)
    client = client_for(coord_dordrecht)
    response = client.get(URL)
    assert list(response.context["form"].fields["city"].queryset) == [dordrecht]
    assert response.context["period"].city_ids == (dordrecht.pk,)
    assert rows(response)["lead_partner"].recorded is False
    # Another coordinator's city, posted by hand: refused at the field, no figures.
    response = client.get(URL, {"city": rotterdam.pk})
    assert response.status_code == 200
    assert "city" in response.context["form"].errors
    assert response.context["elements"] is None


def test_an_admin_may_choose_any_city(client_for, admin, rotterdam, dordrecht):
    PartnerFactory(city=rotterdam, is_lead=True)
    PartnerFactory(city=dordrecht)
    response = client_for(admin).get(URL, {"city": dordrecht.pk})
    assert rows(response)["lead_partner"].percentage == 0
    response = client_for(admin).get(URL)
    assert rows(response)["lead_partner"].percentage == 50


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"start": "2026-07-01", "end": "2026-06-01"}, "end"),
        ({"start": "1999-12-31"}, "start"),
        ({"end": "9999-01-01"}, "end"),
        ({"start": "gisteren"}, "start"),
    ],
)
def test_an_implausible_period_is_refused_with_a_message(client_for, coord_rotterdam, query, field):
    response = client_for(coord_rotterdam).get(URL, query)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert response.context["elements"] is None


def test_the_table_shows_not_recorded_never_zero_percent(client_for, coord_rotterdam, jw_rotterdam):
    youth = YoungPersonFactory(youth_worker=jw_rotterdam)
    IntakeMeetingFactory(
        youth=youth,
        starts_at=NOW - dt.timedelta(days=30),
        status=IntakeMeeting.Status.HELD,
        youth_present=True,
        youth_worker_present=True,
    )
    response = client_for(coord_rotterdam).get(URL)
    html = response.content.decode()
    elements = rows(response)
    # Attendance was recorded: the youth worker was there, the third party was not (a real 0).
    assert elements["youth_worker_bridge"].percentage == 100
    assert elements["third_party_present"].percentage == 0
    for key, element in elements.items():
        row = html.split(f'data-testid="fidelity-{key}"', 1)[1].split("</tr>", 1)[0]
        if element.recorded:
            assert f"{element.percentage}&nbsp;%" in row, key
            assert "<meter" in row, key
        else:
            assert "niet vastgelegd" in row, key
            assert "%" not in row.split('data-testid="percentage"', 1)[1], key
            assert "<meter" not in row, key
    assert 'aria-hidden="true"' in html  # the bar is decorative; the figures are text
    assert "style=" not in html.split("<main", 1)[-1]


def test_the_table_downloads_as_csv_with_small_numbers_suppressed(
    client_for, coord_rotterdam, rotterdam
):
    PartnerFactory(city=rotterdam, is_lead=True)
    response = client_for(coord_rotterdam).get(URL, {"format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    assert "fidelity-20260101-20261231.csv" in response["Content-Disposition"]
    text = response.content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    lead = next(
        line for line in lines if line and line[0] == "Eén trekker van het netwerk per stad"
    )
    # 1 of 1 city: a count under 5 leaves the platform as "< 5", its percentage not at all.
    assert lead[3:] == ["< 5", "< 5", "\u2013"]
    assert next(line for line in lines if line and line[0] == "Motivatie vastgelegd")[5] == (
        "niet vastgelegd"
    )
    assert "< 5:" in lines[-1][0]  # the legend says what "< 5" means


def test_the_table_downloads_as_xlsx(client_for, coord_rotterdam, rotterdam):
    PartnerFactory(city=rotterdam, is_lead=True)
    response = client_for(coord_rotterdam).get(URL, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    lead = next(row for row in rows if row and row[0] == "Eén trekker van het netwerk per stad")
    assert lead[3:] == ["< 5", "< 5", "\u2013"]


def a_world(size: int, jw, city) -> None:
    """`size` of every kind of record the page counts, in one city, in the period."""
    start = dt.date(2026, 1, 5)
    for number in range(size):
        youth = YoungPersonFactory(youth_worker=jw)
        meeting = IntakeMeetingFactory(
            youth=youth,
            starts_at=NOW - dt.timedelta(days=20),
            status=IntakeMeeting.Status.HELD,
            youth_present=True,
            youth_worker_present=number % 2 == 0,
        )
        IntakeRecordFactory(meeting=meeting, non_committal="yes", agreed_expectations="Proef")
        pair = PairFactory(
            placement__youth=youth,
            status=Pair.Status.ACTIVE,
            kickoff_on=start,
            score_components={"needs": 0.8, "work_fields": 0.9, "interests": 0.5, "age_gap": 1},
        )
        CheckIn.objects.create(
            pair=pair,
            held_on=start + dt.timedelta(days=30),
            logged_by=pair.proposed_by,
            work_rating=4,
            wellbeing_rating=4,
        )
        participant = ParticipantFactory(
            youth=youth,
            cohort=CohortFactory(city=city, starts_on=start, ends_on=dt.date(2026, 9, 1)),
        )
        CoachingTalk.objects.create(
            participant=participant,
            coach=jw,
            held_on=start + dt.timedelta(days=10),
            self_confidence=3,
            agreements="Op tijd",
        )
        DemandProfileFactory(employer=EmployerFactory(city=city, stage=Employer.Stage.ACTIVE))
        PartnerFactory(city=city, is_lead=number == 0)


@pytest.mark.parametrize("size", [2, 20])
def test_the_page_keeps_its_query_count(
    client_for, coord_rotterdam, jw_rotterdam, rotterdam, django_assert_max_num_queries, size
):
    a_world(size, jw_rotterdam, rotterdam)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(16):
        response = client.get(URL)
    elements = rows(response)
    assert elements["youth_worker_bridge"].total == size
    assert elements["pair_components"].count == size
    assert elements["coaching_rhythm"].total == size
    assert elements["demand_profile"].count == size
