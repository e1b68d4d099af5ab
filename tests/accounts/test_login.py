"""Login, lockout, passwords, sessions and the second factor, held to the figures of the issue."""

import subprocess
import sys
from datetime import timedelta

import pytest
import time_machine
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.tokens import default_token_generator
from django.contrib.sessions.models import Session
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from restart_platform.accounts.factories import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, username, password, ip="10.0.0.1"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_a_coordinator_logs_in_with_username_and_password(client, coord_rotterdam):
    response = attempt(client, "coord.rotterdam", DEMO_PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboard:home")


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client, coord_rotterdam):
    wrong_password = attempt(client, "coord.rotterdam", "not-the-password")
    unknown_user = attempt(client, "nobody.here", "not-the-password")
    assert wrong_password.status_code == unknown_user.status_code == 200
    assert wrong_password.context["form"].errors == unknown_user.context["form"].errors
    assert "Voer een juiste gebruikersnaam en wachtwoord in" in wrong_password.content.decode()


def test_five_failures_lock_that_username_from_that_address_for_fifteen_minutes(
    client, coord_rotterdam
):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(5):
            attempt(client, "coord.rotterdam", "wrong-password")
        locked = attempt(client, "coord.rotterdam", DEMO_PASSWORD)
        assert locked.status_code == 429
        assert "15 minuten" in locked.content.decode()
        # Another address, or another username from this address, is not locked.
        assert attempt(Client(), "coord.rotterdam", DEMO_PASSWORD, ip="10.0.0.2").status_code == 302
        traveller.shift(timedelta(minutes=16))
        assert attempt(Client(), "coord.rotterdam", DEMO_PASSWORD).status_code == 302


def test_an_unknown_username_is_locked_out_just_like_a_known_one(client):
    for _ in range(5):
        attempt(client, "nobody.here", "wrong-password")
    assert attempt(client, "nobody.here", "wrong-password").status_code == 429


@pytest.mark.parametrize(
    ("password", "accepted"),
    [
        ("kort-wachtw", False),
        ("password1234", False),
        ("123456789012345", False),
        ("zeventien paarse kraanvogels", True),
    ],
)
def test_passwords_are_at_least_twelve_characters_and_not_common(
    coord_rotterdam, password, accepted
):
    form = SetPasswordForm(coord_rotterdam, {"new_password1": password, "new_password2": password})
    assert form.is_valid() is accepted


def test_a_password_reset_link_is_valid_for_one_hour(coord_rotterdam):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        token = default_token_generator.make_token(coord_rotterdam)
        traveller.shift(timedelta(minutes=59))
        assert default_token_generator.check_token(coord_rotterdam, token)
        traveller.shift(timedelta(minutes=2))
        assert not default_token_generator.check_token(coord_rotterdam, token)


def test_a_password_reset_sends_a_link_by_email(client, coord_rotterdam, mailoutbox):
    response = client.post(reverse("password_reset"), {"email": coord_rotterdam.email})
    assert response.status_code == 302
    assert len(mailoutbox) == 1
    assert "/accounts/reset/" in mailoutbox[0].body


def test_a_session_ends_after_thirty_idle_minutes(client, coord_rotterdam):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        attempt(client, "coord.rotterdam", DEMO_PASSWORD)
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("dashboard:home")).status_code == 200  # renews the idle window
        traveller.shift(timedelta(minutes=29))
        assert client.get(reverse("dashboard:home")).status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get(reverse("dashboard:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def _session_writes(queries) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].startswith(("UPDATE", "INSERT")) and "django_session" in q["sql"]
    ]


def test_the_idle_window_is_renewed_at_most_once_a_minute_not_on_every_page_view(
    client, coord_rotterdam
):
    home = reverse("dashboard:home")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        attempt(client, "coord.rotterdam", DEMO_PASSWORD)  # the login starts the window
        key = client.cookies["sessionid"].value
        expires = Session.objects.get(session_key=key).expire_date

        traveller.shift(timedelta(seconds=59))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(home)
        assert response.status_code == 200
        assert _session_writes(queries) == []
        assert "sessionid" not in response.cookies
        assert Session.objects.get(session_key=key).expire_date == expires

        traveller.shift(timedelta(seconds=2))
        with CaptureQueriesContext(connection) as queries:
            response = client.get(home)
        assert len(_session_writes(queries)) == 1
        assert response.cookies["sessionid"]["max-age"] == 30 * 60
        assert Session.objects.get(session_key=key).expire_date == expires + timedelta(seconds=61)


@pytest.mark.parametrize(
    ("then", "status"),
    [
        (timedelta(minutes=29), 200),  # 29 min 59 s after the login
        (timedelta(minutes=29, seconds=2), 302),  # 30 min 1 s after the login
    ],
)
def test_the_window_counts_from_the_last_save_not_from_a_request_that_did_not_renew_it(
    client, coord_rotterdam, then, status
):
    home = reverse("dashboard:home")
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        attempt(client, "coord.rotterdam", DEMO_PASSWORD)
        traveller.shift(timedelta(seconds=59))
        assert client.get(home).status_code == 200  # within the minute: not renewed
        traveller.shift(then)
        assert client.get(home).status_code == status


def test_an_anonymous_visitor_gets_no_session(client):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(LOGIN).status_code == 200
        assert client.get(reverse("dashboard:home")).status_code == 302
    assert _session_writes(queries) == []
    assert not Session.objects.exists()


def test_the_login_page_explains_an_ended_session(client):
    response = client.get(reverse("dashboard:home"), follow=True)
    assert "30 minuten" in response.content.decode()


def test_a_session_ends_twelve_hours_after_login_however_active(client, coord_rotterdam):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        attempt(client, "coord.rotterdam", DEMO_PASSWORD)
        for _ in range(23):  # active every 29 minutes for 11 hours and a bit
            traveller.shift(timedelta(minutes=29))
            assert client.get(reverse("dashboard:home")).status_code == 200
        traveller.shift(timedelta(minutes=55))
        response = client.get(reverse("dashboard:home"))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_logout_ends_the_session(client_for, coord_rotterdam):
    client = client_for(coord_rotterdam)
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("dashboard:home")).status_code == 302


def _settings_in_a_fresh_process(code: str, **env) -> subprocess.CompletedProcess:
    env = {"DJANGO_SETTINGS_MODULE": "restart_platform.settings", "PATH": "/usr/bin:/bin", **env}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("secret_key", ["", "too-short", "django-insecure-" + "x" * 60])
def test_production_refuses_to_start_without_a_real_secret_key(secret_key):
    result = _settings_in_a_fresh_process("print('started')", SECRET_KEY=secret_key)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_two_factor_is_on_by_default_when_debug_is_off():
    code = "from django.conf import settings; print(settings.REQUIRE_2FA)"
    env = {
        "DJANGO_SETTINGS_MODULE": "restart_platform.settings",
        "SECRET_KEY": "x" * 60,
        "PATH": "/usr/bin:/bin",
    }
    out = subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert out.stdout.strip() == "True"
