"""Several dispatchers at once on PostgreSQL: every reminder goes out exactly once."""

import threading
from collections import Counter

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from restart_platform.notifications.models import Notification, Reminder
from restart_platform.notifications.services import reminders_dispatch_due

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]

REMINDERS = 1000


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
