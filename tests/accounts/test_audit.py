"""The audit trail: every change kept with who and when; every look at a record logged at once,
refusals included; and no way for the application to change or remove an access entry."""

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.db import DatabaseError, connection, transaction
from django.http import Http404
from django.test import RequestFactory
from django.urls import reverse

from restart_platform.accounts.access import get_visible_or_404, visible
from restart_platform.accounts.audit import log_access, record_change
from restart_platform.accounts.models import AccessEvent, Organisation, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def request_by():
    def make(user):
        request = RequestFactory().get("/some/record/", REMOTE_ADDR="192.0.2.7")
        request.user = user
        return request

    return make


def test_a_change_to_a_record_is_kept_with_who_and_when(coord_rotterdam, jw_rotterdam):
    with set_actor(coord_rotterdam):
        jw_rotterdam.first_name = "Anders"
        jw_rotterdam.save()
    entry = (
        LogEntry.objects.get_for_object(jw_rotterdam)
        .filter(action=LogEntry.Action.UPDATE)
        .latest("timestamp")
    )
    assert entry.actor == coord_rotterdam
    assert "first_name" in entry.changes_dict
    assert entry.timestamp is not None


def test_password_hashes_never_enter_the_change_history(jw_rotterdam):
    jw_rotterdam.set_password("een heel nieuw wachtwoord")
    jw_rotterdam.save()
    for entry in LogEntry.objects.get_for_object(jw_rotterdam):
        assert "password" not in entry.changes_dict


def test_a_named_workflow_step_is_recorded_with_its_actor(coord_rotterdam, jw_rotterdam):
    record_change(
        actor=coord_rotterdam,
        target=jw_rotterdam.organisation,
        action="organisation.checked",
        note="ok",
    )
    entry = LogEntry.objects.get_for_object(jw_rotterdam.organisation).latest("timestamp")
    assert entry.actor == coord_rotterdam
    assert entry.additional_data == {"action": "organisation.checked", "note": "ok"}


def test_a_look_at_a_record_is_logged_with_actor_role_record_outcome_and_time(
    request_by, coord_rotterdam, jw_rotterdam
):
    queryset = visible(Organisation.objects.all(), coord_rotterdam, city="city")
    organisation = get_visible_or_404(
        queryset, pk=jw_rotterdam.organisation.pk, request=request_by(coord_rotterdam), audit=True
    )
    event = AccessEvent.objects.get()
    assert organisation == jw_rotterdam.organisation
    assert (event.actor, event.actor_role, event.outcome) == (
        coord_rotterdam,
        "coordinator",
        "allowed",
    )
    assert (event.content_type.model, event.object_id) == ("organisation", str(organisation.pk))
    assert event.ip_address == "192.0.2.7"
    assert event.created_at is not None


def test_a_refused_look_is_logged_and_answers_404_like_a_missing_record(
    request_by, coord_dordrecht, jw_rotterdam
):
    queryset = visible(Organisation.objects.all(), coord_dordrecht, city="city")
    with pytest.raises(Http404):
        get_visible_or_404(
            queryset,
            pk=jw_rotterdam.organisation.pk,
            request=request_by(coord_dordrecht),
            audit=True,
        )
    with pytest.raises(Http404):
        get_visible_or_404(queryset, pk=999_999, request=request_by(coord_dordrecht), audit=True)
    with pytest.raises(Http404):
        get_visible_or_404(
            queryset, pk="not-a-number", request=request_by(coord_dordrecht), audit=True
        )
    assert list(AccessEvent.objects.values_list("outcome", flat=True).order_by("pk")) == [
        "denied",
        "not_found",
        "not_found",
    ]


def test_a_hand_made_id_with_a_nul_character_is_logged_and_answers_404(client_for, coord_rotterdam):
    """PostgreSQL refuses a NUL in text: logging the refused look failed the request with a
    500 (found by the fuzzing of `make prove`)."""
    response = client_for(coord_rotterdam).post(
        reverse("matching:shortlist_create"), {"youth": "4\x00?", "opening": "1"}
    )
    assert response.status_code == 404
    event = AccessEvent.objects.get()
    assert (event.outcome, event.object_id) == ("not_found", "4\ufffd?")


def test_the_application_cannot_change_or_delete_an_access_entry(coord_rotterdam):
    event = log_access(user=coord_rotterdam, target=coord_rotterdam)
    event.outcome = "denied"
    with pytest.raises(PermissionError):
        event.save()
    with pytest.raises(PermissionError):
        event.delete()
    with pytest.raises(PermissionError):
        AccessEvent.objects.filter(pk=event.pk).update(outcome="denied")
    with pytest.raises(PermissionError):
        AccessEvent.objects.all().delete()


def test_the_database_refuses_to_change_an_access_entry_even_in_raw_sql(coord_rotterdam):
    event = log_access(user=coord_rotterdam, target=coord_rotterdam)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE accounts_accessevent SET outcome = 'denied' WHERE id = %s", [event.pk]
        )


def test_the_database_refuses_to_delete_an_access_entry_in_raw_sql(
    require_postgres, coord_rotterdam
):
    event = log_access(user=coord_rotterdam, target=coord_rotterdam)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM accounts_accessevent WHERE id = %s", [event.pk])


def test_admins_read_the_access_log_and_the_change_history_but_cannot_edit_them(
    client_for, admin, coord_rotterdam
):
    event = log_access(user=coord_rotterdam, target=coord_rotterdam)
    client = client_for(admin)
    assert client.get("/admin/accounts/accessevent/").status_code == 200
    assert (
        client.get(f"/admin/accounts/accessevent/{event.pk}/change/").status_code == 200
    )  # read-only view
    assert client.post(f"/admin/accounts/accessevent/{event.pk}/delete/").status_code == 403
    assert client.get("/admin/auditlog/logentry/").status_code == 200


def test_a_user_with_access_entries_cannot_be_deleted_only_deactivated(coord_rotterdam):
    from django.db.models import ProtectedError

    log_access(user=coord_rotterdam, target=coord_rotterdam)
    with pytest.raises(ProtectedError):
        User.objects.filter(pk=coord_rotterdam.pk).delete()


def test_an_employer_contact_trying_a_profile_is_refused_and_logged(
    client_for, employer_contact1, jw_rotterdam
):
    from youth.factories import YoungPersonFactory

    youth = YoungPersonFactory(youth_worker=jw_rotterdam)
    response = client_for(employer_contact1).get(f"/youth/{youth.pk}/")
    assert response.status_code == 404
    event = AccessEvent.objects.get()
    assert (event.actor, event.outcome, event.object_id) == (
        employer_contact1,
        "denied",
        str(youth.pk),
    )
