"""What a youth worker records about a young person: consents, barriers, the network, contacts.
Each record is reached through its young person: same roles, same access log."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from restart_platform.accounts.models import AccessEvent
from tests.edits import post_edit
from tests.youth.conftest import ALLOWED, REFUSED
from youth.factories import BarrierFactory, ConsentFactory, NetworkFactorFactory
from youth.models import Barrier, Consent, ContactMoment, NetworkFactor, YoungPerson

pytestmark = pytest.mark.django_db

# name -> which record the URL takes
RECORD_PAGES = [
    ("youth:consent_create", "youth"),
    ("youth:consent_withdraw", "consent"),
    ("youth:barrier_create", "youth"),
    ("youth:barrier_edit", "barrier"),
    ("youth:network_factor_create", "youth"),
    ("youth:network_factor_delete", "factor"),
]


@pytest.fixture
def records(youth):
    return {
        "youth": youth,
        "consent": ConsentFactory(youth=youth),
        "barrier": BarrierFactory(youth=youth),
        "factor": NetworkFactorFactory(youth=youth),
    }


def url_for(name, record, records):
    return reverse(name, args=[records[record].pk])


def youth_events(youth, outcome):
    return AccessEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(YoungPerson),
        object_id=str(youth.pk),
        outcome=outcome,
    )


def messages_of(response):
    return [m.level_tag for m in response.context["messages"]]


class TestWhoMayRecord:
    @pytest.mark.parametrize(("name", "record"), RECORD_PAGES)
    @pytest.mark.parametrize("role", ALLOWED)
    def test_staff_of_the_city_and_the_own_youth_worker_reach_every_record_page(
        self, name, record, role, people, client_for, records
    ):
        response = client_for(people[role]).get(url_for(name, record, records))
        assert response.status_code == 200
        assert (
            youth_events(records["youth"], AccessEvent.Outcome.ALLOWED).get().actor == people[role]
        )

    @pytest.mark.parametrize(("name", "record"), RECORD_PAGES)
    @pytest.mark.parametrize("role", REFUSED)
    def test_others_get_404_on_every_record_page(
        self, name, record, role, people, client_for, records
    ):
        client = client_for(people[role])
        assert client.get(url_for(name, record, records)).status_code == 404
        assert client.post(url_for(name, record, records)).status_code == 404
        assert Consent.objects.get().is_active
        assert NetworkFactor.objects.exists()

    @pytest.mark.parametrize(("name", "record"), RECORD_PAGES)
    @pytest.mark.parametrize("role", ["jw_rotterdam2", "coord_dordrecht"])
    def test_a_refused_attempt_is_logged_against_the_young_person(
        self, name, record, role, people, client_for, records
    ):
        client_for(people[role]).get(url_for(name, record, records))
        assert (
            youth_events(records["youth"], AccessEvent.Outcome.DENIED).get().actor == people[role]
        )

    @pytest.mark.parametrize(
        "name", ["youth:consent_withdraw", "youth:barrier_edit", "youth:network_factor_delete"]
    )
    def test_a_missing_record_is_a_logged_404(self, name, client_for, admin):
        assert client_for(admin).get(reverse(name, args=[999_999])).status_code == 404
        event = AccessEvent.objects.get()
        assert (event.object_id, event.outcome) == ("999999", AccessEvent.Outcome.NOT_FOUND)

    @pytest.mark.parametrize("role", ALLOWED)
    def test_those_allowed_log_a_contact(self, role, people, client_for, youth):
        response = client_for(people[role]).post(
            reverse("youth:contact_create", args=[youth.pk]),
            {"kind": "phone", "date": timezone.localdate().isoformat(), "summary": "Gebeld"},
        )
        assert response.status_code == 302
        contact = ContactMoment.objects.get()
        assert (contact.author, contact.youth) == (people[role], youth)

    @pytest.mark.parametrize("role", REFUSED)
    def test_others_cannot_log_a_contact(self, role, people, client_for, youth):
        response = client_for(people[role]).post(
            reverse("youth:contact_create", args=[youth.pk]),
            {"kind": "phone", "date": timezone.localdate().isoformat(), "summary": "Gebeld"},
        )
        assert response.status_code == 404
        assert not ContactMoment.objects.exists()

    @pytest.mark.parametrize(
        ("name", "record"),
        [
            ("youth:barrier_create", "youth"),
            ("youth:barrier_edit", "barrier"),
            ("youth:network_factor_create", "youth"),
            ("youth:network_factor_delete", "factor"),
        ],
    )
    def test_barriers_and_the_network_are_only_for_who_may_see_sensitive_details(
        self, name, record, client_for, coord_rotterdam, records, monkeypatch
    ):
        from youth.views import records as views

        monkeypatch.setattr(views, "may_see_sensitive", lambda user, **scope: False)
        assert client_for(coord_rotterdam).get(url_for(name, record, records)).status_code == 404


class TestConsent:
    def test_the_consent_form_proposes_today(self, client_for, jw_rotterdam, youth):
        response = client_for(jw_rotterdam).get(reverse("youth:consent_create", args=[youth.pk]))
        form = response.context["form"]
        assert form["given_on"].value() == timezone.localdate()

    def test_the_youth_worker_records_consent(self, client_for, jw_rotterdam, youth):
        given = timezone.localdate() - dt.timedelta(days=2)
        response = client_for(jw_rotterdam).post(
            reverse("youth:consent_create", args=[youth.pk]),
            {"purpose": "share_with_employers", "given_on": given.isoformat()},
        )
        assert response.status_code == 302
        consent = Consent.objects.get()
        assert (consent.purpose, consent.given_on, consent.recorded_by) == (
            "share_with_employers",
            given,
            jw_rotterdam,
        )

    def test_a_second_active_consent_for_the_same_purpose_is_refused_with_a_message(
        self, client_for, jw_rotterdam, youth
    ):
        ConsentFactory(youth=youth, purpose="registration")
        response = client_for(jw_rotterdam).post(
            reverse("youth:consent_create", args=[youth.pk]),
            {"purpose": "registration", "given_on": timezone.localdate().isoformat()},
        )
        assert response.status_code == 200
        assert response.context["form"].non_field_errors()
        assert Consent.objects.count() == 1

    def test_consent_cannot_be_given_in_the_future(self, client_for, jw_rotterdam, youth):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = client_for(jw_rotterdam).post(
            reverse("youth:consent_create", args=[youth.pk]),
            {"purpose": "registration", "given_on": tomorrow.isoformat()},
        )
        assert "given_on" in response.context["form"].errors
        assert not Consent.objects.exists()

    def test_withdrawing_asks_first_then_withdraws(self, client_for, jw_rotterdam, youth):
        consent = ConsentFactory(youth=youth, given_on=timezone.localdate() - dt.timedelta(days=9))
        client = client_for(jw_rotterdam)
        url = reverse("youth:consent_withdraw", args=[consent.pk])
        assert client.get(url).status_code == 200
        assert Consent.objects.get().is_active
        assert client.post(url).status_code == 302
        consent.refresh_from_db()
        assert (consent.withdrawn_on, consent.withdrawn_by) == (timezone.localdate(), jw_rotterdam)
        page = client.get(youth.get_absolute_url()).content.decode()
        assert 'data-testid="consent-missing"' in page

    def test_a_withdrawn_consent_may_be_given_again(self, client_for, jw_rotterdam, youth):
        ConsentFactory(
            youth=youth,
            given_on=timezone.localdate() - dt.timedelta(days=9),
            withdrawn_on=timezone.localdate(),
            withdrawn_by=jw_rotterdam,
        )
        client_for(jw_rotterdam).post(
            reverse("youth:consent_create", args=[youth.pk]),
            {"purpose": "registration", "given_on": timezone.localdate().isoformat()},
        )
        assert Consent.objects.filter(withdrawn_on__isnull=True).count() == 1

    def test_withdrawing_twice_only_says_so(self, client_for, jw_rotterdam, youth):
        consent = ConsentFactory(youth=youth, withdrawn_on=timezone.localdate())
        response = client_for(jw_rotterdam).post(
            reverse("youth:consent_withdraw", args=[consent.pk]), follow=True
        )
        assert messages_of(response) == ["info"]


class TestBarriersAndNetwork:
    def test_a_barrier_is_added_and_later_resolved(self, client_for, jw_rotterdam, youth):
        client = client_for(jw_rotterdam)
        client.post(
            reverse("youth:barrier_create", args=[youth.pk]),
            {"kind": "transport", "severity": 2, "note": "Geen fiets"},
        )
        barrier = Barrier.objects.get()
        assert (barrier.youth, barrier.recorded_by, barrier.is_resolved) == (
            youth,
            jw_rotterdam,
            False,
        )
        post_edit(
            client,
            reverse("youth:barrier_edit", args=[barrier.pk]),
            {"kind": "transport", "severity": 2, "note": "Fiets geregeld", "is_resolved": "on"},
        )
        barrier.refresh_from_db()
        assert (barrier.is_resolved, barrier.resolved_on) == (True, timezone.localdate())

    @pytest.mark.parametrize(
        ("data", "field"),
        [
            ({"kind": "transport", "severity": 7}, "severity"),
            ({"kind": "weather", "severity": 1}, "kind"),
            ({"severity": 1}, "kind"),
        ],
    )
    def test_a_bad_barrier_is_refused_with_a_message(
        self, client_for, jw_rotterdam, youth, data, field
    ):
        response = client_for(jw_rotterdam).post(
            reverse("youth:barrier_create", args=[youth.pk]), data
        )
        assert response.status_code == 200
        assert field in response.context["form"].errors
        assert not Barrier.objects.exists()

    def test_a_network_factor_is_added_and_removed_after_confirmation(
        self, client_for, jw_rotterdam, youth
    ):
        client = client_for(jw_rotterdam)
        client.post(
            reverse("youth:network_factor_create", args=[youth.pk]),
            {"effect": "hinders", "description": "Vrienden die van school houden"},
        )
        factor = NetworkFactor.objects.get()
        assert (factor.effect, factor.recorded_by) == ("hinders", jw_rotterdam)
        url = reverse("youth:network_factor_delete", args=[factor.pk])
        assert client.get(url).status_code == 200
        assert NetworkFactor.objects.exists()
        assert client.post(url).status_code == 302
        assert not NetworkFactor.objects.exists()

    def test_a_network_factor_needs_an_effect_and_a_description(
        self, client_for, jw_rotterdam, youth
    ):
        response = client_for(jw_rotterdam).post(
            reverse("youth:network_factor_create", args=[youth.pk]), {"effect": "maybe"}
        )
        assert {"effect", "description"} <= set(response.context["form"].errors)


class TestContacts:
    def test_a_contact_in_the_future_is_refused_with_a_message(
        self, client_for, jw_rotterdam, youth
    ):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = client_for(jw_rotterdam).post(
            reverse("youth:contact_create", args=[youth.pk]),
            {"kind": "phone", "date": tomorrow.isoformat(), "summary": "Gebeld"},
            follow=True,
        )
        assert messages_of(response) == ["error"]
        assert not ContactMoment.objects.exists()

    def test_a_contact_without_a_summary_is_refused_with_a_message(
        self, client_for, jw_rotterdam, youth
    ):
        response = client_for(jw_rotterdam).post(
            reverse("youth:contact_create", args=[youth.pk]),
            {"kind": "phone", "date": "not a date"},
            follow=True,
        )
        assert messages_of(response) == ["error"]
        assert not ContactMoment.objects.exists()

    def test_logging_a_contact_is_a_post(self, client_for, jw_rotterdam, youth):
        response = client_for(jw_rotterdam).get(reverse("youth:contact_create", args=[youth.pk]))
        assert response.status_code == 405
