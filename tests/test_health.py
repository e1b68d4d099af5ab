from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from restart_platform.celery import app as celery_app
from restart_platform.notifications.models import Heartbeat
from restart_platform.notifications.services import plan_reminder, reminders_dispatch_due

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


def plan_due(user, *, minutes_ago: int) -> None:
    plan_reminder(
        key=f"due-{minutes_ago}",
        kind="general",
        due_at=timezone.now() - timedelta(minutes=minutes_ago),
        recipient=user,
    )


def last_dispatch(*, minutes_ago: int) -> None:
    Heartbeat.objects.create(
        job=Heartbeat.DISPATCH, beat_at=timezone.now() - timedelta(minutes=minutes_ago)
    )


def test_healthz_answers_503_when_the_dispatcher_stopped_with_reminders_due(
    client, coord_rotterdam
):
    last_dispatch(minutes_ago=7)
    plan_due(coord_rotterdam, minutes_ago=6)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["reminders"] == "stuck"


def test_healthz_answers_503_when_no_dispatch_ever_ran_and_a_reminder_waited_long(
    client, coord_rotterdam
):
    plan_due(coord_rotterdam, minutes_ago=6)
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["reminders"] == "stuck"


def test_healthz_stays_200_while_a_due_reminder_is_young(client, coord_rotterdam):
    plan_due(coord_rotterdam, minutes_ago=4)
    assert client.get(reverse("healthz")).status_code == 200


def test_healthz_stays_200_at_start_before_the_first_dispatch(client, coord_rotterdam):
    # A fresh `make run`: reminders are due now and no dispatch has run yet.
    plan_due(coord_rotterdam, minutes_ago=0)
    assert not Heartbeat.objects.exists()
    assert client.get(reverse("healthz")).status_code == 200


def test_healthz_stays_200_while_the_dispatcher_works_through_a_backlog(client, coord_rotterdam):
    plan_due(coord_rotterdam, minutes_ago=20)
    last_dispatch(minutes_ago=1)
    assert client.get(reverse("healthz")).json()["reminders"] == "ok"


def test_each_dispatch_records_its_heartbeat(coord_rotterdam):
    before = timezone.now()
    reminders_dispatch_due()
    reminders_dispatch_due()
    assert Heartbeat.objects.count() == 1
    assert Heartbeat.objects.get(job=Heartbeat.DISPATCH).beat_at >= before


def test_a_dispatch_makes_a_stopped_dispatcher_healthy_again(client, coord_rotterdam):
    last_dispatch(minutes_ago=30)
    plan_due(coord_rotterdam, minutes_ago=10)
    assert client.get(reverse("healthz")).status_code == 503
    reminders_dispatch_due()
    assert client.get(reverse("healthz")).status_code == 200


def test_healthz_answers_503_naming_the_database_when_it_fails(client, monkeypatch):
    import restart_platform.views as views

    monkeypatch.setattr(views, "_check_database", lambda: "unreachable")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"
