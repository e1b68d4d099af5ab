"""One helper decides a client's address; a forged X-Forwarded-For changes nothing. The
password reset is braked per address and per account."""

import pytest
from auditlog.models import LogEntry
from django.conf import settings as django_settings
from django.test import Client, RequestFactory
from django.urls import reverse

from restart_platform.accounts.audit import log_access
from restart_platform.accounts.client import client_ip
from restart_platform.accounts.factories import DEMO_PASSWORD
from restart_platform.accounts.models import AccessEvent, User

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"
PROXY = "10.9.9.9"
VICTIM = "198.51.100.10"
ATTACKER = "203.0.113.66"


def _request(remote="192.0.2.1", forwarded=None):
    extra = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **extra)


def test_without_trusted_proxies_the_forwarded_header_is_ignored(settings):
    settings.TRUSTED_PROXY_HOPS = 0
    assert client_ip(_request("192.0.2.1", "198.51.100.7")) == "192.0.2.1"


def test_behind_one_proxy_the_address_it_appended_is_the_client(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_ip(_request(PROXY, f"{VICTIM}, {ATTACKER}")) == ATTACKER


def test_behind_two_proxies_the_second_address_from_the_right_is_the_client(settings):
    settings.TRUSTED_PROXY_HOPS = 2
    assert client_ip(_request(PROXY, f"1.1.1.1, {ATTACKER}, 10.0.0.2")) == ATTACKER


def test_a_malformed_forwarded_address_falls_back_to_the_connection(settings):
    settings.TRUSTED_PROXY_HOPS = 1
    assert client_ip(_request(PROXY, "not-an-address")) == PROXY


def test_the_lockout_and_the_change_history_use_the_one_helper():
    assert django_settings.AXES_CLIENT_IP_CALLABLE == "restart_platform.accounts.client.client_ip"
    assert "auditlog.middleware.AuditlogMiddleware" not in django_settings.MIDDLEWARE


def _login(client, password, *, remote, forwarded):
    return client.post(
        LOGIN,
        {"username": "coord.rotterdam", "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.parametrize("hops", [0, 1])
def test_a_forged_forwarded_header_does_not_lock_anyone_else_out(settings, coord_rotterdam, hops):
    settings.TRUSTED_PROXY_HOPS = hops
    # With a proxy, it is the one connecting and it appends what it saw; without, they connect.
    attacker_remote, victim_remote = (PROXY, PROXY) if hops else (ATTACKER, VICTIM)
    attacker_chain = f"{VICTIM}, {ATTACKER}" if hops else VICTIM  # the first entry is forged
    victim_chain = VICTIM
    attacker = Client()
    for _ in range(5):
        _login(attacker, "wrong-password", remote=attacker_remote, forwarded=attacker_chain)
    assert (
        _login(
            attacker, DEMO_PASSWORD, remote=attacker_remote, forwarded=attacker_chain
        ).status_code
        == 429
    )
    victim = _login(Client(), DEMO_PASSWORD, remote=victim_remote, forwarded=victim_chain)
    assert victim.status_code == 302


def test_the_access_log_keeps_the_connection_not_a_forged_header(coord_rotterdam):
    request = _request("192.0.2.1", "198.51.100.7")
    request.user = coord_rotterdam
    event = log_access(request=request, target=coord_rotterdam)
    assert AccessEvent.objects.get(pk=event.pk).ip_address == "192.0.2.1"


def test_the_change_history_keeps_the_connection_not_a_forged_header(client_for, coord_rotterdam):
    client = client_for(coord_rotterdam)
    client.post(
        reverse("set_language"),
        {"language": "en"},
        REMOTE_ADDR="192.0.2.1",
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    entry = LogEntry.objects.get_for_object(User.objects.get(pk=coord_rotterdam.pk)).latest("pk")
    assert entry.changes_dict["language"] == ["nl", "en"]
    assert entry.remote_addr == "192.0.2.1"


def _reset(email, remote):
    return Client().post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=remote)


def test_a_password_reset_is_limited_per_account(settings, coord_rotterdam, mailoutbox):
    for number in range(settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT):
        assert _reset(coord_rotterdam.email, f"192.0.2.{number + 1}").status_code == 302
    refused = _reset(coord_rotterdam.email, "192.0.2.200")
    assert refused.status_code == 200
    assert "Te veel aanvragen" in refused.content.decode()
    assert len(mailoutbox) == settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT


def test_a_password_reset_is_limited_per_address(settings, coord_rotterdam, mailoutbox):
    for number in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS):
        assert _reset(f"someone{number}@example.org", "192.0.2.1").status_code == 302
    refused = _reset(coord_rotterdam.email, "192.0.2.1")
    assert "Te veel aanvragen" in refused.content.decode()
    assert mailoutbox == []
    # Another address may still ask for this account.
    assert _reset(coord_rotterdam.email, "192.0.2.2").status_code == 302
    assert len(mailoutbox) == 1
