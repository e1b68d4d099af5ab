"""The reminder outbox: planned once, sent once, never lost, never sent when rolled back."""

import smtplib
from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from restart_platform.accounts.factories import YouthWorkerFactory
from restart_platform.accounts.models import Organisation
from restart_platform.notifications.models import Notification, Reminder
from restart_platform.notifications.services import (
    cancel_reminders,
    plan_reminder,
    reminder_retry,
    reminders_dispatch_due,
)
from restart_platform.notifications.tasks import dispatch_due_reminders

pytestmark = pytest.mark.django_db


@pytest.fixture
def now():
    return timezone.now()


def plan_for(user, *, key="r-1", due_at=None, **kwargs):
    return plan_reminder(
        key=key,
        kind="notifications.test",
        due_at=due_at or timezone.now(),
        recipient=user,
        **kwargs,
    )


@pytest.fixture
def organisation_as_target(monkeypatch):
    """Organisations stand in for a record that names a role: its first youth worker."""
    monkeypatch.setattr(
        Organisation,
        "reminder_recipient",
        lambda self, role: (
            self.youth_workers.order_by("pk").first() if role == "youth_worker" else None
        ),
        raising=False,
    )
    monkeypatch.setattr(
        Organisation, "reminder_reference", lambda self, recipient: f"ORG-{self.pk}", raising=False
    )
    monkeypatch.setattr(Organisation, "get_absolute_url", lambda self: "/", raising=False)


def test_planning_the_same_reminder_twice_stores_it_once(coord_rotterdam):
    plan_for(coord_rotterdam)
    plan_for(coord_rotterdam)
    assert Reminder.objects.count() == 1


def test_planning_again_moves_the_pending_reminder(coord_rotterdam, now):
    plan_for(coord_rotterdam, due_at=now + timedelta(days=1))
    plan_for(coord_rotterdam, due_at=now + timedelta(days=3))
    reminder = Reminder.objects.get()
    assert reminder.due_at == now + timedelta(days=3)
    assert reminder.next_attempt_at == now + timedelta(days=3)


def test_planning_a_sent_reminder_again_does_not_send_it_again(coord_rotterdam):
    plan_for(coord_rotterdam)
    reminders_dispatch_due()
    plan_for(coord_rotterdam, due_at=timezone.now())
    reminders_dispatch_due()
    assert len(mail.outbox) == 1
    assert Reminder.objects.get().status == Reminder.Status.SENT


def test_a_due_reminder_is_sent_by_email_and_in_app_and_marked_sent(coord_rotterdam):
    reminder = plan_for(coord_rotterdam)
    assert reminders_dispatch_due() == 1
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.sent_to == coord_rotterdam
    assert reminder.sent_at is not None
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [coord_rotterdam.email]
    assert (
        mail.outbox[0].extra_headers["Message-ID"] == f"<reminder-{reminder.pk}@restart-platform>"
    )
    assert Notification.objects.filter(user=coord_rotterdam, reminder=reminder).count() == 1


def test_a_reminder_not_yet_due_waits(coord_rotterdam, now):
    plan_for(coord_rotterdam, due_at=now + timedelta(hours=1))
    assert reminders_dispatch_due(now=now) == 0
    assert mail.outbox == []


def test_the_dispatch_task_run_twice_sends_once(coord_rotterdam):
    plan_for(coord_rotterdam)
    dispatch_due_reminders()
    dispatch_due_reminders()
    assert len(mail.outbox) == 1


def test_a_reminder_planned_in_a_rolled_back_transaction_is_never_sent(coord_rotterdam):
    @transaction.atomic
    def change_that_fails():
        plan_for(coord_rotterdam)
        raise RuntimeError("the change that caused it failed")

    with pytest.raises(RuntimeError):
        change_that_fails()
    assert reminders_dispatch_due() == 0
    assert Reminder.objects.count() == 0
    assert mail.outbox == []


def test_a_cancelled_reminder_is_not_sent(coord_rotterdam, organisation_as_target, jw_rotterdam):
    organisation = jw_rotterdam.organisation
    plan_reminder(
        key="o-1",
        kind="general",
        due_at=timezone.now(),
        target=organisation,
        recipient_role="youth_worker",
    )
    assert cancel_reminders(about=organisation) == 1
    assert reminders_dispatch_due() == 0
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED


def test_the_recipient_role_is_resolved_when_the_reminder_is_sent(
    organisation_as_target, jw_rotterdam, rotterdam
):
    organisation = jw_rotterdam.organisation
    plan_reminder(
        key="o-1",
        kind="general",
        due_at=timezone.now(),
        target=organisation,
        recipient_role="youth_worker",
    )
    # The record changes hands before the reminder is due: the new youth worker gets it.
    newcomer = YouthWorkerFactory(username="jw.new", organisation=organisation)
    jw_rotterdam.organisation = Organisation.objects.create(name="Elders", city=rotterdam)
    jw_rotterdam.save()
    reminders_dispatch_due()
    assert mail.outbox[0].to == [newcomer.email]
    assert f"ORG-{organisation.pk}" in mail.outbox[0].subject


def test_a_reminder_whose_record_needs_it_no_more_is_cancelled(
    organisation_as_target, jw_rotterdam, monkeypatch
):
    monkeypatch.setattr(
        Organisation, "reminder_still_needed", lambda self, kind: False, raising=False
    )
    plan_reminder(
        key="o-1",
        kind="general",
        due_at=timezone.now(),
        target=jw_rotterdam.organisation,
        recipient_role="youth_worker",
    )
    reminders_dispatch_due()
    assert mail.outbox == []
    assert Reminder.objects.get().status == Reminder.Status.CANCELLED


def test_a_reminder_nobody_can_receive_is_marked_failed(organisation_as_target, rotterdam):
    empty = Organisation.objects.create(name="Nobody here", city=rotterdam)
    plan_reminder(
        key="o-1",
        kind="general",
        due_at=timezone.now(),
        target=empty,
        recipient_role="youth_worker",
        city=rotterdam,
    )
    reminders_dispatch_due()
    assert Reminder.objects.get().status == Reminder.Status.FAILED


def test_the_email_says_no_more_than_a_first_name_the_kind_and_a_link(coord_rotterdam):
    coord_rotterdam.last_name = "Achternaam-Geheim"
    coord_rotterdam.save()
    plan_for(coord_rotterdam)
    reminders_dispatch_due()
    message = mail.outbox[0]
    notification = Notification.objects.get()
    assert coord_rotterdam.first_name in message.body
    assert "Achternaam-Geheim" not in message.body
    assert reverse("notifications:notification_open", args=[notification.pk]) in message.body


def test_the_email_is_in_english_when_the_recipient_prefers_it(coord_rotterdam, coord_dordrecht):
    coord_rotterdam.language = "en"
    coord_rotterdam.save()
    plan_for(coord_rotterdam, key="en")
    plan_for(coord_dordrecht, key="nl")
    reminders_dispatch_due()
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert "Hello" in by_recipient[coord_rotterdam.email].body
    assert "Hallo" in by_recipient[coord_dordrecht.email].body


class FailingMailServer:
    def __init__(self):
        self.calls = 0

    def __call__(self, *args, **kwargs):
        self.calls += 1
        raise smtplib.SMTPServerDisconnected("mail server down")


@pytest.fixture
def failing_mail(monkeypatch):
    server = FailingMailServer()
    monkeypatch.setattr("django.core.mail.EmailMessage.send", server)
    return server


def test_a_failing_mail_server_is_retried_with_growing_pauses(coord_rotterdam, failing_mail, now):
    reminder = plan_for(coord_rotterdam, due_at=now)
    reminders_dispatch_due(now=now)
    reminder.refresh_from_db()
    first_pause = reminder.next_attempt_at - now
    assert reminder.status == Reminder.Status.PENDING
    assert reminder.attempts == 1
    assert "SMTPServerDisconnected" in reminder.last_error
    later = reminder.next_attempt_at
    reminders_dispatch_due(now=later)
    reminder.refresh_from_db()
    assert reminder.attempts == 2
    assert reminder.next_attempt_at - later > first_pause
    # Nothing was half-delivered: no in-app notification without the e-mail.
    assert Notification.objects.count() == 0


def test_after_the_last_attempt_the_reminder_is_failed_and_shown_to_coordinators(
    coord_rotterdam, rotterdam, failing_mail, settings, client_for, now
):
    reminder = plan_for(coord_rotterdam, due_at=now, city=rotterdam)
    moment = now
    for _ in range(settings.REMINDER_MAX_ATTEMPTS):
        reminders_dispatch_due(now=moment)
        reminder.refresh_from_db()
        moment = reminder.next_attempt_at
    assert reminder.status == Reminder.Status.FAILED
    assert failing_mail.calls == settings.REMINDER_MAX_ATTEMPTS
    page = client_for(coord_rotterdam).get(reverse("notifications:reminder_failed_list"))
    assert reminder.key not in page.content.decode()  # the key is internal; the row is shown
    assert page.context["page"].object_list[0] == reminder


def test_a_failed_reminder_can_be_sent_again_once_the_mail_server_is_back(
    coord_rotterdam, rotterdam, client_for
):
    reminder = plan_for(coord_rotterdam, city=rotterdam)
    Reminder.objects.filter(pk=reminder.pk).update(status=Reminder.Status.FAILED, attempts=6)
    response = client_for(coord_rotterdam).post(
        reverse("notifications:reminder_retry", args=[reminder.pk])
    )
    assert response.status_code == 302
    reminders_dispatch_due()
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    with pytest.raises(ValueError, match="failed"):
        reminder_retry(reminder=reminder)


def test_a_claim_left_by_a_dead_worker_is_sent_again_and_flagged(coord_rotterdam, now, settings):
    import uuid

    reminder = plan_for(coord_rotterdam, due_at=now)
    Reminder.objects.filter(pk=reminder.pk).update(
        status=Reminder.Status.CLAIMED, claim_token=uuid.uuid4(), claimed_at=now
    )
    assert reminders_dispatch_due(now=now + timedelta(minutes=1)) == 0  # still someone else's
    reminders_dispatch_due(now=now + settings.REMINDER_STALE_CLAIM + timedelta(minutes=1))
    reminder.refresh_from_db()
    assert reminder.status == Reminder.Status.SENT
    assert reminder.possibly_duplicate
    # The e-mail says so too, for whoever may have received the first one.
    (message,) = mail.outbox
    assert message.extra_headers["X-Restart-Possible-Duplicate"] == "yes"


def test_reminders_are_due_at_the_local_time_across_daylight_saving(coord_rotterdam):
    from zoneinfo import ZoneInfo

    amsterdam = ZoneInfo("Europe/Amsterdam")
    nine_after_switch = timezone.datetime(2026, 10, 25, 9, 0, tzinfo=amsterdam)
    plan_for(coord_rotterdam, due_at=nine_after_switch)
    with time_machine.travel(timezone.datetime(2026, 10, 25, 8, 59, tzinfo=amsterdam), tick=False):
        assert reminders_dispatch_due() == 0
    with time_machine.travel(timezone.datetime(2026, 10, 25, 9, 0, tzinfo=amsterdam), tick=False):
        assert reminders_dispatch_due() == 1
    assert Reminder.objects.get().due_at.utcoffset() == timedelta(0)  # stored in UTC


def test_a_reminder_needs_a_recipient_or_a_role_on_a_record(db):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError), transaction.atomic():
        Reminder.objects.create(
            key="x", kind="general", due_at=timezone.now(), next_attempt_at=timezone.now()
        )


def test_a_line_break_in_the_record_name_is_folded_out_of_the_subject(coord_rotterdam):
    from employers.factories import EmployerFactory

    employer = EmployerFactory(name="Bakkerij\r\nBcc: evil@example.com", owner=coord_rotterdam)
    plan_reminder(
        key="r-name",
        kind="general",
        due_at=timezone.now(),
        target=employer,
        recipient=coord_rotterdam,
    )
    assert reminders_dispatch_due() == 1
    assert Reminder.objects.get().status == Reminder.Status.SENT
    assert "\n" not in mail.outbox[0].subject
    assert "Bakkerij Bcc: evil@example.com" in mail.outbox[0].subject
