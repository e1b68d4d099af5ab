"""The broker or the worker down: due reminders wait in the database and all go out once, after.

These start a private Redis server (and a real Celery worker in a thread), so they live in the
slow group.
"""

import shutil
import time
from collections import Counter

import pytest
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone
from kombu.exceptions import OperationalError

from restart_platform.celery import app as celery_app
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import plan_reminder
from restart_platform.notifications.tasks import dispatch_due_reminders
from tests.conftest import needs_service
from tests.private_services import PrivateRedis

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def private_redis():
    if shutil.which("redis-server") is None:
        needs_service("redis-server is not installed")
    redis = PrivateRedis()
    redis.start()
    yield redis
    redis.stop()


def reset_broker_connections(app):
    # As after a fork: the next publish opens fresh connections to the current broker_url.
    app._after_fork()


@pytest.fixture
def celery_on(private_redis):
    original = celery_app.conf.broker_url
    celery_app.conf.broker_url = private_redis.url
    reset_broker_connections(celery_app)
    yield celery_app
    celery_app.conf.broker_url = original
    reset_broker_connections(celery_app)


def plan_many(user, count):
    for i in range(count):
        plan_reminder(
            key=f"outage-{i}", kind="notifications.test", due_at=timezone.now(), recipient=user
        )


def wait_until(condition, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def test_stopping_the_broker_loses_no_reminder(celery_on, private_redis, coord_rotterdam):
    plan_many(coord_rotterdam, 30)
    private_redis.stop()

    # Beat's trigger cannot reach the broker: it fails fast, and every reminder still waits.
    with pytest.raises(OperationalError):
        dispatch_due_reminders.apply_async(retry=False)
    assert Reminder.objects.filter(status=Reminder.Status.PENDING).count() == 30
    plan_many(coord_rotterdam, 40)  # the platform goes on planning during the outage

    private_redis.start()  # back, empty: whatever was queued before is gone
    reset_broker_connections(celery_on)
    with start_worker(celery_on, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        dispatch_due_reminders.delay()
        assert wait_until(
            lambda: Reminder.objects.filter(status=Reminder.Status.SENT).count() == 40
        )

    ids = Counter(message.extra_headers["Message-ID"] for message in mail.outbox)
    assert len(ids) == 40
    assert set(ids.values()) == {1}


def test_a_stopped_worker_delays_reminders_and_loses_none(celery_on, coord_rotterdam):
    plan_many(coord_rotterdam, 10)
    # No worker runs: triggers pile up in the broker (beat keeps sending them) and nothing is sent.
    dispatch_due_reminders.delay()
    dispatch_due_reminders.delay()
    time.sleep(0.5)
    assert mail.outbox == []
    with start_worker(celery_on, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        assert wait_until(
            lambda: Reminder.objects.filter(status=Reminder.Status.SENT).count() == 10
        )
    ids = Counter(message.extra_headers["Message-ID"] for message in mail.outbox)
    assert len(ids) == 10
    assert set(ids.values()) == {1}
