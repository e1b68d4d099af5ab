"""A backlog leaves the outbox fast: a batch goes over one mail connection, and a dispatcher
that finds more than a batch calls another worker at once instead of at beat's next minute."""

from collections import Counter
from unittest import mock

import pytest
from aiosmtpd.controller import Controller
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from kombu.exceptions import OperationalError

from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import plan_reminder, reminders_dispatch_due
from restart_platform.notifications.tasks import TRIGGER_EXPIRES, dispatch_due_reminders
from tests.private_services import free_port
from youth.factories import YoungPersonFactory
from youth.services import NO_CONTACT_KIND

pytestmark = pytest.mark.django_db


class MailServer:
    """A local SMTP server that counts its connections and refuses mail to one address."""

    def __init__(self, *, refuse: str = ""):
        self.sessions: Counter[int] = Counter()  # messages per connection
        self.refuse = refuse
        self.controller = Controller(self, hostname="127.0.0.1", port=free_port())

    async def handle_DATA(self, server, session, envelope) -> str:
        if self.refuse in envelope.rcpt_tos:
            return "554 refused"
        self.sessions[id(session)] += 1
        return "250 OK"


@pytest.fixture
def mail_server(settings):
    def start(**kwargs) -> MailServer:
        server = MailServer(**kwargs)
        server.controller.start()
        started.append(server)
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.controller.port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return server

    started: list[MailServer] = []
    yield start
    for server in started:
        server.controller.stop()


def plan_many(user, count: int, *, first_to=None) -> list[Reminder]:
    return [
        plan_reminder(
            key=f"backlog-{n}",
            kind="notifications.test",
            due_at=timezone.now(),
            recipient=first_to if n == 0 and first_to else user,
        )
        for n in range(count)
    ]


def test_a_batch_of_reminders_goes_out_over_one_mail_connection(mail_server, coord_rotterdam):
    server = mail_server()
    plan_many(coord_rotterdam, 5)

    assert reminders_dispatch_due(batch_size=2) == 5

    assert sorted(server.sessions.values()) == [1, 2, 2]  # three batches, one connection each


def test_a_refused_email_fails_alone_and_the_rest_of_the_batch_goes_out(
    mail_server, coord_rotterdam, coord_dordrecht
):
    server = mail_server(refuse=coord_dordrecht.email)
    refused, *others = plan_many(coord_rotterdam, 4, first_to=coord_dordrecht)

    assert reminders_dispatch_due() == 3

    refused.refresh_from_db()
    assert refused.status == Reminder.Status.PENDING  # retried later
    assert "SMTPDataError" in refused.last_error
    assert sum(server.sessions.values()) == 3
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == len(others)


def test_a_dispatcher_with_more_than_a_batch_due_calls_another_worker_once(coord_rotterdam):
    plan_many(coord_rotterdam, 5)
    calls = mock.Mock()

    assert reminders_dispatch_due(batch_size=2, on_backlog=calls) == 5

    calls.assert_called_once_with()


def test_a_dispatcher_with_less_than_a_batch_due_works_alone(coord_rotterdam):
    plan_many(coord_rotterdam, 2)
    calls = mock.Mock()

    assert reminders_dispatch_due(batch_size=3, on_backlog=calls) == 2

    calls.assert_not_called()


def test_the_task_on_a_backlog_sends_one_more_trigger_to_its_own_queue(coord_rotterdam, settings):
    settings.REMINDER_BATCH_SIZE = 2
    plan_many(coord_rotterdam, 3)

    with mock.patch.object(dispatch_due_reminders, "apply_async") as publish:
        dispatch_due_reminders.apply(routing_key="reminders-here")

    publish.assert_called_once_with(queue="reminders-here", expires=TRIGGER_EXPIRES)
    assert len(mail.outbox) == 3


def test_the_task_carries_on_alone_when_the_broker_cannot_take_the_extra_trigger(
    coord_rotterdam, settings
):
    settings.REMINDER_BATCH_SIZE = 2
    plan_many(coord_rotterdam, 3)

    with mock.patch.object(
        dispatch_due_reminders, "apply_async", side_effect=OperationalError("broker down")
    ):
        dispatch_due_reminders()

    assert len(mail.outbox) == 3
    assert set(Reminder.objects.values_list("status", flat=True)) == {Reminder.Status.SENT}


def test_a_batch_reads_the_records_it_is_about_in_one_query(jw_rotterdam):
    for person in YoungPersonFactory.create_batch(4, youth_worker=jw_rotterdam):
        plan_reminder(
            key=f"{NO_CONTACT_KIND}:{person.pk}",
            kind=NO_CONTACT_KIND,
            due_at=timezone.now(),
            target=person,
            recipient_role="youth_worker",
        )

    with CaptureQueriesContext(connection) as queries:
        assert reminders_dispatch_due() == 4

    reads = [
        q["sql"]
        for q in queries
        if q["sql"].startswith("SELECT") and "youth_youngperson" in q["sql"]
    ]
    assert len(reads) == 1
