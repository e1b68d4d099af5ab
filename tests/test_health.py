from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from restart_platform.celery import app as celery_app
from restart_platform.notifications.services import plan_reminder

pytestmark = pytest.mark.django_db


def test_healthz_answers_200_when_database_and_broker_answer(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok", "reminders": "ok"}


def test_healthz_needs_no_login_and_no_https_redirect(client):
    assert client.get("/healthz").status_code == 200


def test_healthz_answers_503_naming_the_broker_when_it_does_not_answer(client, monkeypatch):
    def unreachable(*args, **kwargs):
        return celery_app.connection_for_write("redis://127.0.0.1:1/0")

    monkeypatch.setattr(celery_app, "connection_for_write", unreachable)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "unreachable"
    assert response.json()["database"] == "ok"


def test_healthz_answers_503_when_a_due_reminder_waited_over_five_minutes(client, coord_rotterdam):
    plan_reminder(
        key="old",
        kind="general",
        due_at=timezone.now() - timedelta(minutes=6),
        recipient=coord_rotterdam,
    )
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["reminders"] == "stuck"


def test_healthz_stays_200_while_a_due_reminder_is_young(client, coord_rotterdam):
    plan_reminder(
        key="new",
        kind="general",
        due_at=timezone.now() - timedelta(minutes=4),
        recipient=coord_rotterdam,
    )
    assert client.get(reverse("healthz")).status_code == 200


def test_healthz_answers_503_naming_the_database_when_it_fails(client, monkeypatch):
    import restart_platform.views as views

    monkeypatch.setattr(views, "_check_database", lambda: "unreachable")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
