"""The audit trail: who viewed, exported, anonymised or changed which young person's record, for
admins and for coordinators (the young people of their cities only)."""

import csv
import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse

from restart_platform.accounts.audit import log_access, record_change
from restart_platform.accounts.factories import CoordinatorFactory
from tests.names import give_unmistakable_name
from youth.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def trail(rotterdam, dordrecht, coord_rotterdam, coord_dordrecht, jw_rotterdam, jw_dordrecht):
    ours = YoungPersonFactory(city=rotterdam, youth_worker=jw_rotterdam)
    theirs = YoungPersonFactory(city=dordrecht, youth_worker=jw_dordrecht)
    with time_machine.travel(dt.datetime(2026, 1, 10, 12, tzinfo=dt.UTC)):
        log_access(user=jw_rotterdam, target=ours, path=ours.get_absolute_url())
    with time_machine.travel(dt.datetime(2026, 2, 10, 12, tzinfo=dt.UTC)):
        log_access(user=coord_rotterdam, target=ours, action="export", path="/x/")
        record_change(actor=coord_rotterdam, target=ours, action="youth.exported")
    log_access(user=jw_dordrecht, target=theirs, path=theirs.get_absolute_url())
    return {"ours": ours, "theirs": theirs}


def rows(response):
    return response.context["lines"]


def test_a_coordinator_sees_the_trail_of_their_city_only(trail, coord_rotterdam, client_for):
    response = client_for(coord_rotterdam).get(reverse("dashboard:audit"))
    assert response.status_code == 200
    youth = {line.youth for line in rows(response)}
    assert trail["ours"] in youth
    assert trail["theirs"] not in youth
    # The record's creation (change history) and the looks.
    assert {line.action for line in rows(response)} >= {"bekeken", "geëxporteerd", "gewijzigd"}


def test_another_citys_coordinator_gets_no_rows_and_404_on_the_record(
    trail, coord_dordrecht, client_for
):
    client = client_for(coord_dordrecht)
    response = client.get(reverse("dashboard:audit"), {"youth": trail["ours"].case_reference})
    assert rows(response) == []
    for name in ("dashboard:youth_access", "dashboard:youth_access_json", "dashboard:youth_erase"):
        assert client.get(reverse(name, args=[trail["ours"].pk])).status_code == 404
    assert (
        client.post(
            reverse("dashboard:youth_erase", args=[trail["ours"].pk]),
            {"confirm": trail["ours"].case_reference, "reason": "x"},
        ).status_code
        == 404
    )


def test_an_admin_sees_every_city(trail, admin, client_for):
    youth = {line.youth for line in rows(client_for(admin).get(reverse("dashboard:audit")))}
    assert {trail["ours"], trail["theirs"]} <= youth


def test_the_filters(trail, coord_rotterdam, jw_rotterdam, client_for):
    client = client_for(coord_rotterdam)
    url = reverse("dashboard:audit")
    by_worker = rows(client.get(url, {"actor": jw_rotterdam.pk}))
    assert [line.actor for line in by_worker] == [jw_rotterdam]
    exports = rows(client.get(url, {"action": "export"}))
    assert [(line.action, line.youth) for line in exports] == [("geëxporteerd", trail["ours"])]
    changes = rows(client.get(url, {"action": "change", "youth": trail["ours"].case_reference}))
    assert changes
    assert {line.action for line in changes} == {"gewijzigd"}
    january = rows(client.get(url, {"since": "2026-01-01", "until": "2026-01-31"}))
    assert [line.actor for line in january] == [jw_rotterdam]
    # A period the wrong way round is a message, not a 500.
    response = client.get(url, {"since": "2026-02-01", "until": "2026-01-01"})
    assert response.status_code == 200
    assert response.context["form"].errors


def test_youth_workers_and_employer_contacts_get_404(jw_rotterdam, employer_contact1, client_for):
    for user in (jw_rotterdam, employer_contact1):
        for name in ("dashboard:audit", "dashboard:audit_export"):
            assert client_for(user).get(reverse(name)).status_code == 404


def test_the_csv_export_is_safe_from_formulas(trail, rotterdam, coord_rotterdam, client_for):
    sneaky = CoordinatorFactory(
        first_name='=HYPERLINK("http://x")', last_name="", cities=[rotterdam]
    )
    log_access(user=sneaky, target=trail["ours"], path="/")
    response = client_for(coord_rotterdam).get(reverse("dashboard:audit_export"))
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0][:3] == ["Tijdstip", "Wie", "Handeling"]
    who = [line[1] for line in lines[1:]]
    assert '\'=HYPERLINK("http://x")' in who
    assert not any(cell.startswith("=") for line in lines for cell in line)
    assert all(trail["theirs"].case_reference not in line for line in lines)


def many_looks(count, coordinator, jw, rotterdam):
    youth = [YoungPersonFactory(city=rotterdam, youth_worker=jw) for _ in range(min(count, 30))]
    for index in range(count):
        log_access(user=coordinator, target=youth[index % len(youth)], path="/")


@pytest.mark.parametrize("count", [5, 120])
def test_the_audit_page_keeps_its_query_count(
    count, coord_rotterdam, jw_rotterdam, rotterdam, client_for, django_assert_max_num_queries
):
    many_looks(count, coord_rotterdam, jw_rotterdam, rotterdam)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("dashboard:audit"))
    assert response.status_code == 200
    assert response.context["page"].paginator.count >= count
    with django_assert_max_num_queries(12):
        client.get(reverse("dashboard:audit"), {"page": "2", "action": "view"})


def test_the_trail_outlives_the_erasure_without_the_name(trail, coord_rotterdam, client_for):
    from youth.services import youth_erase

    ours = give_unmistakable_name(trail["ours"])
    name = ours.last_name
    youth_erase(youth=ours, by=coord_rotterdam, reason="verzoek")
    response = client_for(coord_rotterdam).get(
        reverse("dashboard:audit"), {"youth": ours.case_reference}
    )
    assert rows(response)
    assert name not in response.content.decode()
