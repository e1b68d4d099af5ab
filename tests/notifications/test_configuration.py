"""Reminders never ride the broker with an ETA: Redis would deliver them again after its
visibility timeout (and a changed plan could not take them back)."""

import re
from pathlib import Path

from django.conf import settings

from restart_platform.celery import app as celery_app

ROOT = Path(__file__).resolve().parents[2]
SOURCE_DIRS = [
    path
    for path in ROOT.iterdir()
    if path.is_dir() and (path / "__init__.py").exists() and path.name != "tests"
]


def test_no_code_schedules_a_task_with_a_countdown_or_eta():
    offenders = []
    for directory in SOURCE_DIRS:
        for path in directory.rglob("*.py"):
            text = path.read_text()
            if re.search(r"\b(countdown|eta)\s*=", text) and re.search(
                r"apply_async|\.retry\(", text
            ):
                offenders.append(str(path.relative_to(ROOT)))
    assert SOURCE_DIRS, "no source packages found"
    assert offenders == []


def test_workers_acknowledge_late_and_take_one_task_at_a_time():
    assert celery_app.conf.task_acks_late is True
    assert celery_app.conf.task_reject_on_worker_lost is True
    assert celery_app.conf.worker_prefetch_multiplier == 1


def test_beat_reads_its_schedule_from_the_database():
    assert settings.CELERY_BEAT_SCHEDULER == "django_celery_beat.schedulers:DatabaseScheduler"


def test_the_dispatcher_is_scheduled_every_minute(db):
    from django_celery_beat.models import PeriodicTask

    task = PeriodicTask.objects.get(
        task="restart_platform.notifications.tasks.dispatch_due_reminders"
    )
    assert task.enabled
    assert (task.interval.every, task.interval.period) == (1, "minutes")


def test_without_redis_the_embedded_broker_needs_no_server():
    if settings.REDIS_URL:
        assert celery_app.conf.broker_url == settings.REDIS_URL
        assert celery_app.conf.broker_transport_options["visibility_timeout"] >= 3600
    else:
        assert celery_app.conf.broker_url == "filesystem://"
