"""The outbox's rules where timing decides: a cause resolved while a worker holds the reminder,
and the morning reminder on both daylight-saving Sundays. These run the dispatcher in the test
process (with a second thread where two people act at once), so the moment can be chosen."""

import datetime as dt
import threading
from collections import Counter
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.utils import timezone

from restart_platform.notifications import services as outbox
from restart_platform.notifications.models import Notification, Reminder
from restart_platform.notifications.services import morning_of, reminders_dispatch_due
from youth.factories import YoungPersonFactory
from youth.models import YoungPerson
from youth.services import NO_CONTACT_DAYS, NO_CONTACT_KIND, contact_log, youth_change_journey

AMSTERDAM = ZoneInfo("Europe/Amsterdam")


def in_another_thread(work) -> threading.Thread:
    """Run `work` as a second person would: its own thread, its own database connection."""

    def run():
        try:
            work()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def no_contact_reminder(youth: YoungPerson) -> Reminder:
    return Reminder.objects.get(key=f"{NO_CONTACT_KIND}:{youth.pk}")


@pytest.fixture
def youth_due_now(jw_rotterdam):
    """A young person whose "no contact for 30 days" reminder is due now."""
    long_ago = timezone.localdate() - dt.timedelta(days=NO_CONTACT_DAYS + 5)
    youth = YoungPersonFactory(youth_worker=jw_rotterdam, registered_on=long_ago)
    contact_log(youth=youth, by=jw_rotterdam, kind="phone", date=long_ago, summary="Gebeld.")
    reminder = no_contact_reminder(youth)
    assert reminder.due_at <= timezone.now()
    return youth


def resolve_after_the_claim(resolve):
    """The dispatcher claims its batch; then, before it sends, someone resolves the cause."""
    claim = outbox._claim_due

    def claim_then_resolve(**kwargs):
        batch = claim(**kwargs)
        if batch:
            in_another_thread(resolve).join(timeout=30)
        return batch

    return mock.patch.object(outbox, "_claim_due", claim_then_resolve)


@pytest.mark.django_db(transaction=True)
def test_a_reminder_whose_cause_ended_while_it_was_claimed_is_cancelled_not_sent(
    youth_due_now, coord_rotterdam, figures
):
    reminder = no_contact_reminder(youth_due_now)

    def leaves():
        youth_change_journey(
            youth=youth_due_now,
            to_status=YoungPerson.Journey.LEFT,
            by=coord_rotterdam,
            reason="Verhuisd.",
        )

    with resolve_after_the_claim(leaves):
        sent = reminders_dispatch_due()

    reminder.refresh_from_db()
    figures.add("sent", sent)
    figures.add("status", reminder.status)
    assert sent == 0
    assert reminder.status == Reminder.Status.CANCELLED
    assert mail.outbox == []
    assert not Notification.objects.filter(reminder=reminder).exists()


@pytest.mark.django_db(transaction=True)
def test_a_contact_logged_while_the_reminder_was_claimed_moves_it_instead_of_sending_it(
    youth_due_now, jw_rotterdam, figures
):
    today = timezone.localdate()

    def a_contact_today():
        contact_log(
            youth=youth_due_now, by=jw_rotterdam, kind="phone", date=today, summary="Gesproken."
        )

    with resolve_after_the_claim(a_contact_today):
        sent = reminders_dispatch_due()

    reminder = no_contact_reminder(youth_due_now)
    figures.add("sent", sent)
    figures.add("status", reminder.status)
    assert sent == 0
    assert mail.outbox == []
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.claim_token is None
    assert reminder.due_at == morning_of(today + dt.timedelta(days=NO_CONTACT_DAYS))


@pytest.mark.django_db(transaction=True)
def test_a_cause_resolved_while_the_email_is_being_sent_waits_for_it(
    youth_due_now, coord_rotterdam, figures
):
    """The other order: the worker is sending when the young person leaves. The cancel waits
    for the row until the reminder is marked sent, and then has nothing left to cancel: the
    outbox never says "cancelled" about an e-mail that went out."""
    reminder = no_contact_reminder(youth_due_now)
    send = outbox._send_email
    waited = {}

    def send_while_someone_resolves(*args, **kwargs):
        send(*args, **kwargs)
        resolving = in_another_thread(
            lambda: youth_change_journey(
                youth=youth_due_now,
                to_status=YoungPerson.Journey.LEFT,
                by=coord_rotterdam,
                reason="Verhuisd.",
            )
        )
        resolving.join(timeout=1.0)
        waited["blocked"] = resolving.is_alive()  # still waiting for the reminder's row
        waited["thread"] = resolving

    with mock.patch.object(outbox, "_send_email", send_while_someone_resolves):
        sent = reminders_dispatch_due()
    waited["thread"].join(timeout=30)

    reminder.refresh_from_db()
    figures.add("sent", sent)
    figures.add("the cancel waited for the send", "yes" if waited["blocked"] else "no")
    assert sent == 1
    assert waited["blocked"]
    assert len(mail.outbox) == 1
    assert reminder.status == Reminder.Status.SENT
    assert YoungPerson.objects.get(pk=youth_due_now.pk).journey == YoungPerson.Journey.LEFT


# Both switches of 2026: clocks go forward at 02:00 on 29 March, back at 03:00 on 25 October.
DST_SUNDAYS = [dt.date(2026, 3, 29), dt.date(2026, 10, 25)]


@pytest.mark.django_db
@pytest.mark.parametrize("sunday", DST_SUNDAYS, ids=["spring", "autumn"])
def test_a_morning_reminder_on_a_daylight_saving_sunday_comes_once_at_nine(
    sunday, coord_rotterdam, figures
):
    """Beat's trigger every minute from Saturday 20:00 to Sunday 12:00 (local), across the
    switch: the reminder planned for that morning is sent once, in the minute of 09:00."""
    reminder = outbox.plan_reminder(
        key=f"dst:{sunday}", kind="general", due_at=morning_of(sunday), recipient=coord_rotterdam
    )
    start = dt.datetime.combine(sunday - dt.timedelta(days=1), dt.time(20), tzinfo=AMSTERDAM)
    end = dt.datetime.combine(sunday, dt.time(12), tzinfo=AMSTERDAM)
    sent_at_minute = []
    moment, runs = start, 0
    while moment <= end:
        with time_machine.travel(moment, tick=False):
            if reminders_dispatch_due():
                sent_at_minute.append(moment)
        moment += dt.timedelta(minutes=1)  # real minutes: one hour is skipped or repeated locally
        runs += 1

    reminder.refresh_from_db()
    copies = Counter(message.extra_headers["Message-ID"] for message in mail.outbox)
    local = timezone.localtime(reminder.sent_at, AMSTERDAM)
    figures.add("dispatch runs", runs)
    figures.add("copies sent", sum(copies.values()))
    figures.add("sent at (local)", local.strftime("%Y-%m-%d %H:%M %Z"))
    assert len(sent_at_minute) == 1
    assert sum(copies.values()) == 1
    assert (local.date(), local.hour, local.minute) == (sunday, 9, 0)
    assert local.utcoffset() == (
        dt.timedelta(hours=2) if sunday.month == 3 else dt.timedelta(hours=1)
    )
