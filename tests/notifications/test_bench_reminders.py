"""The reminder benchmark: its sink counts each message by the reminder it is about, and its
report says what the sink received, from a database of its own and real worker processes."""

import io
import re
import smtplib
from collections import Counter
from email.message import EmailMessage

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from restart_platform.notifications.models import Reminder
from tests.perf.bench_reminders import SECTIONS, Command, Outcome
from tests.private_services import MailSink

pytestmark = pytest.mark.django_db


def send(port: int, message_id: str | None) -> None:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@restart.example", "b@x.example", "t"
    if message_id:
        message["Message-ID"] = message_id
    message.set_content("body")
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.send_message(message)


def test_the_sink_counts_messages_by_the_reminder_in_their_message_id():
    sink = MailSink()
    sink.start()
    try:
        send(sink.port, "<reminder-7@restart-platform>")
        send(sink.port, "<reminder-7@restart-platform>")
        send(sink.port, "<reminder-8@restart-platform>")
        send(sink.port, "<something-else@example.org>")
        send(sink.port, None)
    finally:
        sink.stop()

    received, other, first_at, last_at = sink.snapshot()
    assert received == Counter({7: 2, 8: 1})
    assert other == 2
    assert first_at <= last_at


def test_an_outcome_names_the_reminders_lost_and_those_received_twice():
    outcome = Outcome(
        expected=[1, 2, 3, 4],
        received=Counter({1: 1, 2: 3, 4: 1}),
        other=0,
        first=0.5,
        last=10.0,
        triggers=1,
        timed_out=True,
    )
    assert outcome.lost == [3]
    assert outcome.duplicated == [2]
    assert outcome.messages == 5
    assert outcome.rate == 0.5
    assert not outcome.target_met


def test_the_benchmark_refuses_no_workers():
    with pytest.raises(CommandError, match="--workers"):
        call_command(Command(), workers=0, stdout=io.StringIO())


def figure(report: str, label: str) -> int:
    return int(re.search(rf"^  {label} +([\d,]+)", report, re.MULTILINE)[1].replace(",", ""))


@pytest.mark.slow  # two worker processes start, and the private database is migrated
def test_the_benchmark_reports_what_the_sink_received_from_real_workers():
    configured = settings.DATABASES["default"]["NAME"]
    reminders = Reminder.objects.count()
    command = Command()
    out = io.StringIO()

    call_command(command, reminders=30, workers=2, time_limit=120, stdout=out)

    report = out.getvalue()
    starts = [report.index(f"\n{title}\n{'-' * len(title)}\n") for title in SECTIONS]
    assert starts == sorted(starts)
    received, other, _first, _last = command.sink.snapshot()
    assert re.search(
        rf"^  received +{sum(received.values()) + other} messages for 30 ", report, re.M
    )
    assert figure(report, "lost") == 30 - len(received)
    assert figure(report, "duplicated") == sum(1 for n in received.values() if n > 1)
    # And the outbox did its work: every reminder arrived, once.
    assert len(received) == 30
    assert set(received.values()) == {1}
    assert re.search(r"^  outbox +sent 30$", report, re.M)
    assert re.search(r"^  (met    |NOT met)  all 30 within 2 minutes", report, re.M)
    private = re.search(r"^Dropped the private database (.+)\.$", report, re.M)[1]
    assert private != configured
    assert settings.DATABASES["default"]["NAME"] == connection.settings_dict["NAME"] == configured
    assert Reminder.objects.count() == reminders
