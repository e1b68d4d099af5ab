"""Dispatchers beside other writers: every reminder goes out exactly once, and none fails
because another connection holds the database for a moment."""

import threading
import time
from collections import Counter

import pytest
from django.core import mail
from django.db import connection, transaction
from django.utils import timezone

from restart_platform.notifications.models import Notification, Reminder
from restart_platform.notifications.services import plan_reminder, reminders_dispatch_due

pytestmark = pytest.mark.django_db(transaction=True)

REMINDERS = 1000


@pytest.mark.postgres
def test_two_dispatchers_over_a_thousand_due_reminders_send_each_exactly_once(
    require_postgres, coord_rotterdam
):
    due = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            key=f"bulk-{i}",
            kind="notifications.test",
            due_at=due,
            next_attempt_at=due,
            recipient=coord_rotterdam,
        )
        for i in range(REMINDERS)
    )
    sent_by = {}
    start = threading.Barrier(2)

    def dispatcher(name):
        start.wait()
        try:
            sent_by[name] = reminders_dispatch_due(batch_size=25)
        finally:
            connection.close()

    threads = [threading.Thread(target=dispatcher, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    message_ids = Counter(message.extra_headers["Message-ID"] for message in mail.outbox)
    assert len(message_ids) == REMINDERS
    assert max(message_ids.values()) == 1, "a reminder was e-mailed twice"
    assert sent_by["a"] + sent_by["b"] == REMINDERS
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == REMINDERS
    assert Notification.objects.count() == REMINDERS


def test_a_dispatcher_waits_for_a_transaction_in_progress_and_sends_everything(coord_rotterdam):
    # As when the web server or a test reads the outbox in a transaction while the worker
    # dispatches: on SQLite the dispatcher waits for the other connection (its busy timeout)
    # and never fails at once with "database table is locked".
    for i in range(10):
        plan_reminder(
            key=f"busy-{i}",
            kind="notifications.test",
            due_at=timezone.now(),
            recipient=coord_rotterdam,
        )
    outcome = {}
    other_holds_the_database = threading.Event()

    def dispatcher():
        other_holds_the_database.wait()
        try:
            outcome["sent"] = reminders_dispatch_due()
        except Exception as exc:
            outcome["error"] = exc
        finally:
            connection.close()

    thread = threading.Thread(target=dispatcher)
    thread.start()
    with transaction.atomic():
        assert Reminder.objects.filter(status=Reminder.Status.PENDING).count() == 10
        other_holds_the_database.set()
        time.sleep(1)
    thread.join(timeout=60)
    assert outcome == {"sent": 10}
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == 10
