"""Demo data and demo accounts only for a demo; production refuses to serve while a demo
account keeps the public password."""

import importlib
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

from restart_platform.accounts.checks import DEMO_ACCOUNT_CHECK
from restart_platform.accounts.factories import DEMO_PASSWORD
from restart_platform.accounts.models import User

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.DEMO = False
    return settings


def start_web_application():
    """What gunicorn does: import the WSGI module (afresh)."""
    sys.modules.pop("restart_platform.wsgi", None)
    importlib.import_module("restart_platform.wsgi")


def test_seed_demo_refuses_outside_a_demo(production):
    with pytest.raises(CommandError, match="DEMO=1"):
        call_command("seed_demo")
    assert not User.objects.exists()


def test_the_system_check_refuses_a_demo_account_with_the_public_password(production, admin):
    admin.set_password(DEMO_PASSWORD)
    admin.save()
    with pytest.raises(SystemCheckError, match=DEMO_ACCOUNT_CHECK):
        call_command("check")


def test_the_web_application_refuses_to_start_with_a_demo_password(production, coord_rotterdam):
    with pytest.raises(ImproperlyConfigured, match=r"coord\.rotterdam"):
        start_web_application()


def test_a_changed_password_lets_production_start(production, coord_rotterdam):
    coord_rotterdam.set_password("een nieuw en lang wachtwoord")
    coord_rotterdam.save()
    call_command("check")
    start_web_application()


def test_a_demo_says_so_and_starts_with_demo_passwords(settings, coord_rotterdam):
    settings.DEBUG = False
    settings.DEMO = True
    call_command("check")


@pytest.mark.parametrize(
    ("env", "demo"),
    [
        ({}, True),
        ({"DATABASE_URL": "postgres://x/y"}, False),
        ({"DATABASE_URL": "postgres://x/y", "DEMO": "1"}, True),
    ],
)
def test_demo_is_the_default_only_for_the_embedded_database(env, demo):
    from tests.accounts.test_login import _settings_in_a_fresh_process

    code = "from django.conf import settings; print(settings.DEMO)"
    result = _settings_in_a_fresh_process(code, SECRET_KEY="x" * 60, **env)
    assert result.stdout.strip() == str(demo), result.stderr


@pytest.mark.parametrize(
    ("env", "seeds", "two_factor_off"),
    [({}, True, True), ({"DATABASE_URL": "postgres://x/y"}, False, False)],
)
def test_make_run_seeds_and_skips_the_second_factor_only_for_a_demo(
    monkeypatch, env, seeds, two_factor_off
):
    import scripts.serve as serve

    monkeypatch.delenv("DATABASE_URL", raising=False)
    monkeypatch.delenv("DEMO", raising=False)
    monkeypatch.delenv("REQUIRE_2FA", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setattr(serve, "local_secret_key", lambda: "k" * 60)
    prepared = serve.environment()
    assert serve.is_demo(prepared) is seeds
    assert (prepared.get("REQUIRE_2FA") == "0") is two_factor_off
