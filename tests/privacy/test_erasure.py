"""A coordinator exports a young person's file, then erases them: the export holds every kind of
record; afterwards no page, export, change-history entry, access-log path or queued e-mail
shows a marker planted in their names, contact details and notes, and the figures still count."""

import datetime as dt
import json

import pytest
import time_machine
from auditlog.models import LogEntry
from django.apps import apps
from django.core import mail
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from matching.models import Placement
from restart_platform.accounts.models import AccessEvent
from restart_platform.dashboard.kpis import Period, all_figures, pitch_figures, this_year
from restart_platform.notifications.models import Notification, Reminder
from restart_platform.notifications.services import reminders_dispatch_due
from restart_platform.privacy import ERASED, sections
from tests.edits import post_edit
from youth import services as youth_services
from youth.models import YoungPerson

from .conftest import MARK

pytestmark = pytest.mark.django_db


def database_text_with(marker: str) -> list[str]:
    """Every row of every table (the change history and access log included) that holds `marker`."""
    found = []
    for model in apps.get_models():
        for row in model._base_manager.values():
            row.pop("password", None)  # a hash: random letters
            if marker in json.dumps(row, default=str).lower():
                found.append(f"{model._meta.label} {row.get('id')}")
    return found


def figures() -> dict:
    return {
        "youth_by_journey": dict(
            YoungPerson.objects.values_list("journey").annotate(n=Count("pk")).order_by()
        ),
        "youth_by_city": dict(
            YoungPerson.objects.values_list("city__slug").annotate(n=Count("pk")).order_by()
        ),
        "placements_by_status": dict(
            Placement.objects.values_list("status").annotate(n=Count("pk")).order_by()
        ),
        "placement_starts": sorted(Placement.objects.values_list("start_date", flat=True)),
        "rows_per_section": {
            section.model._meta.label: section.model._base_manager.count() for section in sections()
        },
    }


def kpi_figures(user) -> list:
    """Every figure of the KPI dashboard over a wide period and this year, and the pitch's."""
    today = timezone.localdate()
    wide = Period(dt.date(2000, 1, 1), today + dt.timedelta(days=400))
    return [
        all_figures(user, city=None, period=wide),
        all_figures(user, city=None, period=this_year(today)),
        pitch_figures(user, city=None, today=today),
    ]


def erase(client, youth, reason="Verzoek van de jongere zelf"):
    return client.post(
        reverse("dashboard:youth_erase", args=[youth.pk]),
        {"confirm": youth.case_reference, "reason": reason},
    )


def test_the_export_holds_every_kind_of_record(world, coord_rotterdam, client_for):
    youth = world["youth"]
    client = client_for(coord_rotterdam)
    client.get(youth.get_absolute_url())  # a look, for the access log
    response = client.get(reverse("dashboard:youth_access_json", args=[youth.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{youth.case_reference}.json"'
    data = json.loads(response.content)
    by_key = {section["key"]: section for section in data["sections"]}
    for section in sections():
        key = section.model._meta.label_lower
        assert by_key[key]["rows"], f"the export has no {key}"
    for key in (
        "notifications.reminder",
        "auditlog.logentry",
        "accounts.accessevent",
    ):
        assert by_key[key]["rows"], f"the export has no {key}"
    text = response.content.decode()
    # Every planted marker is in the file, and the employer the share went to.
    missing = [marker for marker in world["markers"] if marker not in text]
    assert missing == []
    assert world["employer"].name in json.dumps(by_key["matching.share"], ensure_ascii=False)
    # Dutch labels.
    assert "Voornaam" in text

    html = client.get(reverse("dashboard:youth_access", args=[youth.pk]))
    assert html.status_code == 200
    assert html.content.decode().count('data-testid="access-section"') == len(data["sections"])
    assert world["markers"][0] in html.content.decode()


def test_the_export_is_logged(world, coord_rotterdam, client_for):
    youth = world["youth"]
    client_for(coord_rotterdam).get(reverse("dashboard:youth_access_json", args=[youth.pk]))
    assert AccessEvent.objects.filter(
        actor=coord_rotterdam, action="export", object_id=str(youth.pk), outcome="allowed"
    ).exists()
    assert LogEntry.objects.filter(
        object_pk=str(youth.pk), additional_data__action="youth.exported", actor=coord_rotterdam
    ).exists()


def test_after_erasure_nothing_names_them_and_the_figures_still_count(
    world, coord_rotterdam, jw_rotterdam, employer_contact1, client_for
):
    youth, share = world["youth"], world["share"]
    coordinator = client_for(coord_rotterdam)
    # Before: the employer's portal shows the candidate, e-mails about them wait in the outbox,
    # and one went out already as a notification.
    assert employer_contact1
    assert (
        client_for(employer_contact1)
        .get(reverse("candidates:candidate_detail", args=[share.token]))
        .status_code
        == 200
    )
    reminders_dispatch_due(now=timezone.now() + dt.timedelta(minutes=1))
    assert Notification.objects.exists()
    open_before = Reminder.objects.open().count()
    assert open_before  # e.g. the follow-up of the placement, planned for later
    assert database_text_with(MARK)  # the markers are really there
    before = figures()
    kpis_before = kpi_figures(coord_rotterdam)
    mail.outbox.clear()

    response = erase(coordinator, youth)

    assert response.status_code == 302
    assert response["Location"] == youth.get_absolute_url()
    youth.refresh_from_db()
    assert youth.erased_at is not None
    assert youth.date_of_birth.month == 1
    assert youth.date_of_birth.day == 1
    assert database_text_with(MARK) == []
    assert figures() == before
    # The dashboard's figures and the employer pitch count exactly as before.
    assert kpi_figures(coord_rotterdam) == kpis_before
    # Nothing of theirs still goes out: later dispatches send nothing about them.
    with time_machine.travel(timezone.now() + dt.timedelta(days=400)):
        reminders_dispatch_due(now=timezone.now())
    assert all(MARK not in (message.subject + message.body) for message in mail.outbox)
    assert database_text_with(MARK) == []

    # No page shows them: profile, lists, search, export, the portal of the employer.
    pages = [
        (coordinator, youth.get_absolute_url()),
        (coordinator, reverse("youth:youth_list")),
        (coordinator, reverse("dashboard:caseload")),
        (coordinator, reverse("dashboard:youth_access", args=[youth.pk])),
        (coordinator, reverse("dashboard:youth_access_json", args=[youth.pk])),
        (coordinator, reverse("dashboard:audit")),
        (coordinator, reverse("dashboard:audit_export")),
        (coordinator, reverse("dashboard:pitch")),
        (coordinator, reverse("dashboard:story_list")),
        (coordinator, reverse("matching:placement_list")),
        (coordinator, world["placement"].get_absolute_url()),
        (coordinator, world["pair"].get_absolute_url()),
        (coordinator, reverse("intake:intake_detail", args=[world["meeting"].pk])),
        (coordinator, reverse("prep_programme:participant_detail", args=[world["participant"].pk])),
        (client_for(jw_rotterdam), youth.get_absolute_url()),
        (client_for(employer_contact1), reverse("candidates:candidate_list")),
        (client_for(employer_contact1), reverse("candidates:candidate_detail", args=[share.token])),
        (client_for(employer_contact1), reverse("portal:portal_home")),
    ]
    for client, url in pages:
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert MARK not in response.content.decode().lower(), url
    # A search for their old name finds nothing (the page echoes the query, nothing else).
    old_name = next(marker for marker in world["markers"] if "last_name" in marker)
    found = coordinator.get(reverse("youth:youth_list"), {"q": old_name}).content.decode()
    assert youth.get_absolute_url() not in found
    assert MARK not in found.lower().replace(old_name.lower(), "")
    profile = coordinator.get(youth.get_absolute_url()).content.decode()
    assert "Geanonimiseerd" in profile
    # The share was withdrawn: the employer no longer has the profile.
    share.refresh_from_db()
    assert share.status == "withdrawn"


def test_the_erasure_is_logged_without_the_name(world, coord_rotterdam, client_for):
    youth = world["youth"]
    name = youth.last_name
    erase(client_for(coord_rotterdam), youth, reason=f"Op verzoek van {name}")
    entry = LogEntry.objects.get(object_pk=str(youth.pk), additional_data__action="youth.erased")
    assert entry.actor == coord_rotterdam
    assert name not in json.dumps(entry.additional_data)
    assert name not in entry.object_repr
    assert ERASED in entry.additional_data["note"]
    assert AccessEvent.objects.filter(action="erase", object_id=str(youth.pk)).exists()
    # The access log's search path kept its page, lost its query.
    assert AccessEvent.objects.filter(path=f"/youth/?{ERASED}").exists()


def test_erasure_needs_the_case_reference_and_a_reason(world, coord_rotterdam, client_for):
    youth = world["youth"]
    client = client_for(coord_rotterdam)
    response = client.post(
        reverse("dashboard:youth_erase", args=[youth.pk]), {"confirm": "JP-1", "reason": "x"}
    )
    assert response.status_code == 200
    assert "Typ precies" in response.content.decode()
    response = client.post(
        reverse("dashboard:youth_erase", args=[youth.pk]),
        {"confirm": youth.case_reference, "reason": "  "},
    )
    assert response.status_code == 200
    youth.refresh_from_db()
    assert youth.erased_at is None


def test_an_erased_young_person_cannot_be_erased_twice_nor_edited(
    world, coord_rotterdam, client_for
):
    youth = world["youth"]
    youth_services.youth_erase(youth=youth, by=coord_rotterdam, reason="verzoek")
    youth.refresh_from_db()
    with pytest.raises(ValidationError):
        youth_services.youth_erase(youth=youth, by=coord_rotterdam, reason="verzoek")
    with pytest.raises(ValidationError):
        youth_services.youth_update(
            youth=youth, version=youth.version, by=coord_rotterdam, first_name="Nieuw"
        )
    page = client_for(coord_rotterdam).get(reverse("dashboard:youth_erase", args=[youth.pk]))
    assert 'data-testid="already-erased"' in page.content.decode()


def test_erasure_is_atomic(world, coord_rotterdam, monkeypatch):
    youth = world["youth"]
    import buddy.services

    def fail(**kwargs):
        raise RuntimeError("the buddy app failed")

    monkeypatch.setattr(buddy.services, "buddy_records_erase", fail)
    with pytest.raises(RuntimeError):
        youth_services.youth_erase(youth=youth, by=coord_rotterdam, reason="verzoek")
    youth.refresh_from_db()
    assert youth.erased_at is None
    assert database_text_with(MARK)


def test_the_access_log_refuses_any_other_change(world):
    from django.db import DatabaseError, connection, transaction

    event = AccessEvent.objects.first()
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_accessevent SET action = 'x', path = %s WHERE id = %s",
            [f"/?{ERASED}", event.pk],
        )
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_accessevent SET path = '/other/' WHERE id = %s", [event.pk])


def test_nothing_is_added_to_an_anonymised_record(world, coord_rotterdam, jw_rotterdam, client_for):
    youth = world["youth"]
    youth_services.youth_erase(youth=youth, by=coord_rotterdam, reason="verzoek")
    youth.refresh_from_db()
    with pytest.raises(ValidationError):
        youth_services.contact_log(
            youth=youth, by=jw_rotterdam, kind="phone", date=timezone.localdate(), summary="x"
        )
    with pytest.raises(ValidationError):
        youth_services.youth_change_journey(youth=youth, to_status="placed", by=jw_rotterdam)
    # The edit page says so instead of saving.
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("youth:youth_edit", args=[youth.pk]),
        {"first_name": "Nieuw"},
    )
    assert response.status_code == 200
    youth.refresh_from_db()
    assert youth.first_name == "Geanonimiseerd"


def test_a_duplicate_merged_into_the_record_is_anonymised_with_it(
    world, coord_rotterdam, jw_rotterdam, rotterdam
):
    from youth.factories import YoungPersonFactory

    youth = world["youth"]
    duplicate = YoungPersonFactory(
        first_name=f"{MARK}dup", youth_worker=jw_rotterdam, city=rotterdam
    )
    YoungPerson.objects.filter(pk=duplicate.pk).update(merged_into=youth)
    youth_services.youth_erase(youth=youth, by=coord_rotterdam, reason="verzoek")
    duplicate.refresh_from_db()
    assert duplicate.erased_at is not None
    assert database_text_with(MARK) == []
