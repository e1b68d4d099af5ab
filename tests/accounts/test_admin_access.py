"""The admin is the administrators' alone, and every look in it at a young person's data is in
the access log; the change history keeps that sensitive text changed, not what it says; what was
disclosed (consents, shares) outlives any deletion."""

import pytest
from auditlog.models import LogEntry
from django.db.models import ProtectedError
from django.urls import reverse

from intake.factories import IntakeMeetingFactory, IntakeRecordFactory
from matching.models import Share
from restart_platform.accounts.audit import MASKED
from restart_platform.accounts.factories import CoordinatorFactory, YouthWorkerFactory
from restart_platform.accounts.models import AccessEvent
from tests.employers.factories import OpeningFactory
from youth.factories import BarrierFactory, ConsentFactory, YoungPersonFactory
from youth.models import Consent, YoungPerson

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth(jw_rotterdam, rotterdam):
    return YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam, phone="0612345678")


def _events(**filters):
    return list(AccessEvent.objects.filter(**filters).order_by("pk"))


@pytest.mark.parametrize("role", ["coordinator", "youth_worker"])
def test_a_non_admin_with_the_staff_flag_gets_no_admin(role, client_for, rotterdam, youth):
    factory = CoordinatorFactory if role == "coordinator" else YouthWorkerFactory
    staff = factory(is_staff=True, cities=[rotterdam])
    client = client_for(staff)
    for url in (
        reverse("admin:index"),
        reverse("admin:youth_youngperson_changelist"),
        reverse("admin:youth_youngperson_change", args=[youth.pk]),
    ):
        assert client.get(url).status_code == 404, url


def test_an_admin_changelist_search_is_written_to_the_access_log(client_for, admin, youth):
    url = reverse("admin:youth_youngperson_changelist")
    response = client_for(admin).get(url, {"q": "0612345678"})
    assert response.status_code == 200
    [event] = _events(action="admin_search")
    assert (event.actor, event.outcome, event.content_type.model) == (
        admin,
        "allowed",
        "youngperson",
    )
    assert event.path == f"{url}?q=0612345678"


@pytest.mark.parametrize(
    ("name", "model"),
    [
        ("admin:youth_barrier_changelist", "barrier"),
        ("admin:youth_consent_changelist", "consent"),
        ("admin:youth_contactmoment_changelist", "contactmoment"),
        ("admin:intake_intakemeeting_changelist", "intakemeeting"),
        ("admin:intake_intakerecord_changelist", "intakerecord"),
        ("admin:matching_share_changelist", "share"),
        ("admin:matching_placement_changelist", "placement"),
        ("admin:auditlog_logentry_changelist", "logentry"),
    ],
)
def test_every_list_of_a_young_persons_data_is_logged(name, model, client_for, admin, youth):
    assert client_for(admin).get(reverse(name)).status_code == 200
    [event] = _events(action="admin_list")
    assert event.content_type.model == model


def test_a_record_its_delete_page_and_its_history_are_logged_after_the_lookup(
    client_for, admin, youth
):
    barrier = BarrierFactory(youth=youth)
    client = client_for(admin)
    client.get(reverse("admin:youth_barrier_change", args=[barrier.pk]))
    client.get(reverse("admin:youth_barrier_delete", args=[barrier.pk]))
    client.get(reverse("admin:youth_barrier_history", args=[barrier.pk]))
    client.get(reverse("admin:youth_barrier_change", args=[999_999]))
    outcomes = [(e.action, e.object_id, e.outcome) for e in _events(actor=admin)]
    assert outcomes == [
        ("admin_view", str(barrier.pk), "allowed"),
        ("admin_delete", str(barrier.pk), "allowed"),
        ("admin_history", str(barrier.pk), "allowed"),
        ("admin_view", "999999", "not_found"),
    ]


def test_a_refused_delete_of_a_young_person_is_logged_as_refused(client_for, admin, youth):
    response = client_for(admin).get(reverse("admin:youth_youngperson_delete", args=[youth.pk]))
    assert response.status_code == 403
    [event] = _events(action="admin_delete")
    assert (event.object_id, event.outcome) == (str(youth.pk), "denied")


def test_the_admin_never_deletes_a_young_person(client_for, admin, youth):
    client = client_for(admin)
    client.post(reverse("admin:youth_youngperson_delete", args=[youth.pk]), {"post": "yes"})
    client.post(
        reverse("admin:youth_youngperson_changelist"),
        {"action": "delete_selected", "_selected_action": [youth.pk], "post": "yes"},
    )
    assert YoungPerson.objects.filter(pk=youth.pk).exists()


def test_deleting_a_young_person_cannot_take_consents_or_shares_along(
    youth, coord_rotterdam, rotterdam
):
    ConsentFactory(youth=youth, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS)
    with pytest.raises(ProtectedError):
        YoungPerson.objects.filter(pk=youth.pk).delete()
    other = YoungPersonFactory(city=rotterdam)
    opening = OpeningFactory(employer__city=rotterdam)
    Share.objects.create(youth=other, opening=opening, shared_by=coord_rotterdam)
    with pytest.raises(ProtectedError):
        YoungPerson.objects.filter(pk=other.pk).delete()
    with pytest.raises(ProtectedError):
        opening.employer.delete()  # nor an employer's removal, through its openings
    assert Share.objects.filter(youth=other).exists()


def test_a_consent_is_read_only_in_the_admin(client_for, admin, youth):
    consent = ConsentFactory(youth=youth, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS)
    client = client_for(admin)
    url = reverse("admin:youth_consent_change", args=[consent.pk])
    assert client.get(url).status_code == 200
    assert (
        client.post(url, {"purpose": "registration", "withdrawn_on": "2026-01-01"}).status_code
        == 403
    )
    assert client.post(reverse("admin:youth_consent_delete", args=[consent.pk])).status_code == 403
    assert client.get(reverse("admin:youth_consent_add")).status_code == 403
    consent.refresh_from_db()
    assert (consent.purpose, consent.withdrawn_on) == ("share_with_employers", None)


def test_the_change_history_says_a_barrier_note_changed_but_not_what_it_says(youth):
    barrier = BarrierFactory(youth=youth, note="Schulden bij de belastingdienst")
    barrier.note = "Schuldhulp loopt via de gemeente"
    barrier.save()
    entries = LogEntry.objects.get_for_object(barrier)
    text = " ".join(str(entry.changes) for entry in entries)
    assert "belastingdienst" not in text
    assert "Schuldhulp" not in text
    update = entries.get(action=LogEntry.Action.UPDATE)
    assert update.changes["note"] == [MASKED, MASKED]


def test_the_intake_record_keeps_no_copy_of_the_young_persons_words(youth):
    record = IntakeRecordFactory(
        meeting=IntakeMeetingFactory(youth=youth), motivation_words="Ik wil lassen leren"
    )
    [created] = LogEntry.objects.get_for_object(record)
    assert created.changes["motivation_words"] == ["", MASKED]


def _holds_a_young_persons_data(model) -> bool:
    return model is YoungPerson or any(
        field.related_model is YoungPerson
        for field in model._meta.get_fields()
        if field.many_to_one or field.one_to_one
    )


def test_every_admin_of_a_young_persons_data_writes_the_access_log():
    from django.contrib import admin as django_admin

    from restart_platform.accounts.admin import AccessLoggedAdmin

    registry = django_admin.site._registry
    holding = {model.__name__ for model in registry if _holds_a_young_persons_data(model)}
    assert holding >= {"YoungPerson", "Barrier", "Consent", "Share", "Placement", "IntakeMeeting"}
    unlogged = [
        model.__name__
        for model, model_admin in registry.items()
        if _holds_a_young_persons_data(model) and not isinstance(model_admin, AccessLoggedAdmin)
    ]
    assert unlogged == []
    assert isinstance(registry[LogEntry], AccessLoggedAdmin)  # the history holds copies of them
