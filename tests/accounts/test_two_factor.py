"""Two-step login: a fresh key per enrolment, bound to the session for ten minutes; backup
codes shown once; an e-mail at every change; an admin can reset it; youth workers need it too."""

from base64 import b32decode
from binascii import unhexlify
from datetime import timedelta

import pytest
import time_machine
from auditlog.models import LogEntry
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from restart_platform.accounts.factories import DEMO_PASSWORD
from restart_platform.accounts.services import ENROLMENT_SESSION_KEY

pytestmark = pytest.mark.django_db

TWO_FACTOR = reverse("accounts:two_factor")


@pytest.fixture(autouse=True)
def _require_2fa(settings):
    settings.REQUIRE_2FA = True


def logged_in(username: str) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    return client


def shown_key(client) -> bytes:
    """The key the enrolment page shows, as the app would read it from the QR code."""
    response = client.get(TWO_FACTOR)
    assert response.context["setting_up"]
    return b32decode(response.context["secret"].replace(" ", ""))


def enrol(client, key: bytes):
    return client.post(TWO_FACTOR, {"token": f"{totp(key):06d}"})


def test_a_coordinator_must_set_up_a_second_factor_before_anything_else(coord_rotterdam):
    client = logged_in("coord.rotterdam")
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)


def test_a_youth_worker_must_set_up_a_second_factor_too(jw_rotterdam):
    client = logged_in("jw.rotterdam1")
    response = client.get(reverse("youth:youth_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)


def test_an_employer_contact_logs_in_with_a_password_alone(employer_contact1):
    client = logged_in("employer.demo1")
    assert client.get(reverse("dashboard:home")).status_code == 200


def test_the_admin_site_needs_the_second_factor_too(admin):
    response = logged_in("admin").get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(TWO_FACTOR)


def test_enrolment_keeps_its_key_in_the_session_not_in_the_database(coord_rotterdam):
    client = logged_in("coord.rotterdam")
    key = shown_key(client)
    assert not TOTPDevice.objects.filter(user=coord_rotterdam).exists()
    assert unhexlify(client.session[ENROLMENT_SESSION_KEY]["key"]) == key


def test_a_coordinator_enrols_gets_ten_backup_codes_once_and_gets_in(
    coord_rotterdam, mailoutbox, django_capture_on_commit_callbacks
):
    client = logged_in("coord.rotterdam")
    key = shown_key(client)
    with django_capture_on_commit_callbacks(execute=True):
        response = enrol(client, key)
    assert response.status_code == 200
    codes = response.context["codes"]
    assert len(codes) == len(set(codes)) == 10
    assert sorted(codes) == sorted(
        StaticToken.objects.filter(device__user=coord_rotterdam).values_list("token", flat=True)
    )
    assert TOTPDevice.objects.get(user=coord_rotterdam).confirmed
    assert client.get(reverse("dashboard:home")).status_code == 200
    # Shown once: the page does not come back.
    assert client.get(TWO_FACTOR).context["setting_up"] is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [coord_rotterdam.email]
    assert "authenticator" in mailoutbox[0].subject.lower()


def test_a_key_shown_before_enrolment_is_no_longer_valid_after_it(coord_rotterdam):
    # Someone who had the password opened the enrolment page first and noted its key.
    intruder = logged_in("coord.rotterdam")
    intruders_key = shown_key(intruder)
    owner = logged_in("coord.rotterdam")
    owners_key = shown_key(owner)
    assert owners_key != intruders_key  # a fresh key per attempt
    assert enrol(owner, owners_key).status_code == 200
    assert TOTPDevice.objects.get(user=coord_rotterdam, confirmed=True).bin_key == owners_key
    # The intruder's key opens nothing: not their own session, not a new one.
    refused = intruder.post(TWO_FACTOR, {"token": f"{totp(intruders_key):06d}"})
    assert refused.status_code == 200
    assert refused.context["form"].errors["token"]
    assert intruder.get(reverse("dashboard:home")).status_code == 302
    fresh = logged_in("coord.rotterdam")
    assert fresh.post(TWO_FACTOR, {"token": f"{totp(intruders_key):06d}"}).status_code == 200
    assert fresh.get(reverse("dashboard:home")).status_code == 302


def test_an_enrolment_key_expires_after_ten_minutes(coord_rotterdam):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        client = logged_in("coord.rotterdam")
        key = shown_key(client)
        traveller.shift(timedelta(minutes=11))
        response = client.post(TWO_FACTOR, {"token": f"{totp(key):06d}"})
        assert response.context["form"].errors["token"]
        assert not TOTPDevice.objects.filter(user=coord_rotterdam).exists()
        assert shown_key(client) != key


def test_a_wrong_code_is_refused_with_a_message(coord_rotterdam):
    client = logged_in("coord.rotterdam")
    shown_key(client)
    response = client.post(TWO_FACTOR, {"token": "000000"})
    assert response.status_code == 200
    assert "niet juist" in " ".join(response.context["form"].errors["token"])
    assert client.get(reverse("dashboard:home")).status_code == 302


def test_the_enrolment_code_cannot_be_replayed_at_the_next_login(coord_rotterdam):
    with time_machine.travel(timezone.now(), tick=False):
        client = logged_in("coord.rotterdam")
        key = shown_key(client)
        token = f"{totp(key):06d}"
        assert client.post(TWO_FACTOR, {"token": token}).status_code == 200
        again = logged_in("coord.rotterdam")
        assert again.post(TWO_FACTOR, {"token": token}).context["form"].errors["token"]


def _enrolled(user) -> tuple[bytes, list[str]]:
    client = logged_in(user.username)
    key = shown_key(client)
    return key, enrol(client, key).context["codes"]


def test_a_backup_code_logs_in_once(coord_rotterdam):
    _, codes = _enrolled(coord_rotterdam)
    client = logged_in("coord.rotterdam")
    response = client.post(TWO_FACTOR, {"token": codes[0].upper()})
    assert response.status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 200
    again = logged_in("coord.rotterdam")
    assert again.post(TWO_FACTOR, {"token": codes[0]}).context["form"].errors["token"]
    assert StaticToken.objects.filter(device__user=coord_rotterdam).count() == 9


def test_an_admin_resets_a_lost_second_factor_and_it_is_logged(
    admin, coord_rotterdam, mailoutbox, django_capture_on_commit_callbacks
):
    key, _ = _enrolled(coord_rotterdam)
    mailoutbox.clear()
    admin_client = Client()
    admin_client.force_login(admin)
    # The admin site itself asks for the admin's second factor; that is tested above.
    with override_settings(REQUIRE_2FA=False), django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(
            reverse("admin:accounts_user_changelist"),
            {"action": "reset_second_factor", "_selected_action": [coord_rotterdam.pk]},
        )
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=coord_rotterdam).exists()
    assert not StaticDevice.objects.filter(user=coord_rotterdam).exists()
    entry = LogEntry.objects.get_for_object(coord_rotterdam).latest("pk")
    assert entry.actor == admin
    assert entry.additional_data["action"] == "accounts.two_factor_reset"
    assert [mail.to for mail in mailoutbox] == [[coord_rotterdam.email]]
    # At the next login the owner enrols anew, with a new key.
    client = logged_in("coord.rotterdam")
    assert shown_key(client) != key


@override_settings(REQUIRE_2FA=False)  # the admin's own second factor is tested above
def test_the_admin_never_shows_a_device_key_or_a_backup_code(admin, coord_rotterdam):
    _, codes = _enrolled(coord_rotterdam)
    client = Client()
    client.force_login(admin)
    totp_device = TOTPDevice.objects.get(user=coord_rotterdam)
    static_device = StaticDevice.objects.get(user=coord_rotterdam)
    pages = [
        reverse("admin:otp_totp_totpdevice_change", args=[totp_device.pk]),
        reverse("admin:otp_totp_totpdevice_changelist"),
        reverse("admin:otp_static_staticdevice_change", args=[static_device.pk]),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200
        content = page.content.decode()
        assert totp_device.key not in content
        assert not any(code in content for code in codes)
