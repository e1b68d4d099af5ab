"""Invitations, updates, cancellations and reminders of an intake, through the reminder outbox."""

import datetime as dt
import re

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from intake import services
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import reminders_dispatch_due
from tests.edits import post_edit

from .conftest import YOUTH_FIRST_NAME, YOUTH_LAST_NAME

pytestmark = pytest.mark.django_db


def calendars(messages) -> dict[str, str]:
    """Each recipient's one calendar attachment, as text."""
    found = {}
    for message in messages:
        (recipient,) = message.to
        ics = [a for a in message.attachments if a[0].endswith(".ics")]
        assert len(ics) == 1, f"{recipient} should get one calendar file"
        assert recipient not in found, f"{recipient} got two invitations"
        content = ics[0][1]
        found[recipient] = content.decode() if isinstance(content, bytes) else content
    return found


def field(ics: str, name: str) -> str:
    """A property of the event (not of the time zone, which has its own DTSTART lines)."""
    event = ics[ics.index("BEGIN:VEVENT") :]
    return re.search(rf"^{name}[;:](.*)$", event, re.MULTILINE).group(1).strip()


def participant_emails(meeting) -> set[str]:
    return {person.email for person in meeting.participants()}


def test_planning_invites_each_participant_with_an_account_once_with_a_calendar_file(meeting):
    assert mail.outbox == []  # planned in the outbox, sent by the dispatcher
    reminders_dispatch_due()
    assert len(mail.outbox) == 3
    invitations = calendars(mail.outbox)
    assert (
        set(invitations)
        == participant_emails(meeting)
        == {
            meeting.youth_worker.email,
            meeting.employer_contact.email,
            meeting.third_party.email,
        }
    )
    for message in mail.outbox:
        filename, _content, mimetype = message.attachments[0]
        assert filename.endswith(".ics")
        assert mimetype.startswith("text/calendar")
    for ics in invitations.values():
        assert ics.startswith("BEGIN:VCALENDAR")
        assert "METHOD:REQUEST" in ics
        assert "TZID=Europe/Amsterdam" in ics
        assert field(ics, "UID") == f"{meeting.uid}@restart-platform"
        assert field(ics, "SEQUENCE") == "0"


def test_dispatching_again_sends_no_second_invitation(meeting):
    reminders_dispatch_due()
    reminders_dispatch_due()
    assert len(mail.outbox) == 3


def test_invitations_and_calendar_files_name_no_young_person(meeting):
    reminders_dispatch_due()
    for message in mail.outbox:
        text = message.subject + message.body + "".join(calendars([message]).values())
        assert YOUTH_FIRST_NAME not in text
        assert YOUTH_LAST_NAME not in text
        assert meeting.reference in text


def test_an_update_sends_an_updated_invitation_with_the_same_uid_and_a_higher_sequence(
    client_for, jw_rotterdam, meeting
):
    reminders_dispatch_due()
    first = calendars(mail.outbox)
    mail.outbox.clear()
    services.intake_update(meeting=meeting, by=jw_rotterdam, place="Werkplaats, Vlaardingweg 4")
    reminders_dispatch_due()
    updated = calendars(mail.outbox)
    assert set(updated) == set(first)
    for recipient, ics in updated.items():
        assert "METHOD:REQUEST" in ics
        assert field(ics, "UID") == field(first[recipient], "UID")
        assert int(field(ics, "SEQUENCE")) > int(field(first[recipient], "SEQUENCE"))
        assert "Vlaardingweg 4" in ics


def test_changing_through_the_page_sends_the_update_too(client_for, jw_rotterdam, meeting):
    reminders_dispatch_due()
    mail.outbox.clear()
    local = timezone.localtime(meeting.starts_at)
    data = {
        "date": local.date().isoformat(),
        "time": "16:00",
        "duration_minutes": 90,
        "place": meeting.place,
        "employer_contact": meeting.employer_contact_id,
        "opening": meeting.opening_id,
        "third_party": meeting.third_party_id,
        "third_party_name": "",
    }
    assert (
        post_edit(
            client_for(jw_rotterdam), reverse("intake:intake_edit", args=[meeting.pk]), data
        ).status_code
        == 302
    )
    reminders_dispatch_due()
    updated = calendars(mail.outbox)
    assert set(updated) == participant_emails(meeting)
    assert all(field(ics, "SEQUENCE") == "1" for ics in updated.values())
    assert all("T160000" in field(ics, "DTSTART") for ics in updated.values())


def test_cancelling_sends_a_cancellation_and_calls_off_the_reminders(
    client_for, jw_rotterdam, meeting
):
    reminders_dispatch_due()
    uid = field(next(iter(calendars(mail.outbox).values())), "UID")
    mail.outbox.clear()
    response = client_for(jw_rotterdam).post(
        reverse("intake:intake_cancel", args=[meeting.pk]), {"cancel_reason": "Werkgever ziek"}
    )
    assert response.status_code == 302
    reminders_dispatch_due()
    cancellations = calendars(mail.outbox)
    assert set(cancellations) == participant_emails(meeting)
    for ics in cancellations.values():
        assert "METHOD:CANCEL" in ics
        assert "STATUS:CANCELLED" in ics
        assert field(ics, "UID") == uid
        assert field(ics, "SEQUENCE") == "1"
    open_reminders = Reminder.objects.open().filter(
        kind__in=["intake.day_before", "intake.outcome_missing"]
    )
    assert not open_reminders.exists()
    assert Reminder.objects.filter(kind="intake.day_before", status="cancelled").count() == 3
    assert Reminder.objects.filter(kind="intake.outcome_missing", status="cancelled").count() == 1


def test_the_day_before_each_participant_is_reminded_once(meeting):
    reminders_dispatch_due()
    mail.outbox.clear()
    two_days_before = meeting.starts_at - dt.timedelta(days=2)
    with time_machine.travel(two_days_before, tick=False):
        reminders_dispatch_due()
    assert mail.outbox == []
    with time_machine.travel(meeting.starts_at - dt.timedelta(days=1, minutes=-1), tick=False):
        reminders_dispatch_due()
        reminders_dispatch_due()
    assert sorted(message.to[0] for message in mail.outbox) == sorted(participant_emails(meeting))
    assert all(not message.attachments for message in mail.outbox)
    assert Reminder.objects.filter(kind="intake.day_before", status="sent").count() == 3


def _to_the_day_after(meeting) -> dt.datetime:
    day_after = timezone.localtime(meeting.starts_at).date() + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day_after, dt.time(9, 5)))


def _send_everything_before_the_meeting(meeting) -> None:
    reminders_dispatch_due()
    with time_machine.travel(meeting.starts_at - dt.timedelta(hours=1), tick=False):
        reminders_dispatch_due()
    mail.outbox.clear()


def test_the_day_after_the_youth_worker_is_asked_for_the_outcome_if_there_is_none(meeting):
    _send_everything_before_the_meeting(meeting)
    with time_machine.travel(_to_the_day_after(meeting) - dt.timedelta(hours=1), tick=False):
        reminders_dispatch_due()
    assert mail.outbox == []  # not in the night after the meeting
    with time_machine.travel(_to_the_day_after(meeting), tick=False):
        reminders_dispatch_due()
        reminders_dispatch_due()
    assert [message.to for message in mail.outbox] == [[meeting.youth_worker.email]]
    reminder = Reminder.objects.get(kind="intake.outcome_missing")
    assert (reminder.status, reminder.sent_to) == ("sent", meeting.youth_worker)


def _record_after_the_meeting(client_for, user, meeting, *, action: str) -> dt.date:
    next_step_on = timezone.localtime(meeting.starts_at).date() + dt.timedelta(days=5)
    data = {
        "version": 0,
        "action": action,
        "motivation_words": "Ik wil laten zien dat ik het kan.",
        "non_committal": "yes",
        "outcome": "programme",
        "next_step": "Startgesprek",
        "next_step_on": next_step_on.isoformat(),
    }
    held = {"status": "held", "youth_present": "on", "youth_worker_present": "on"}
    with time_machine.travel(meeting.starts_at + dt.timedelta(hours=2), tick=False):
        post_edit(client_for(user), reverse("intake:intake_attendance", args=[meeting.pk]), held)
        response = post_edit(
            client_for(user), reverse("intake:intake_record", args=[meeting.pk]), data
        )
    assert response.status_code == 302
    return next_step_on


def test_finishing_the_record_calls_off_the_outcome_reminder_and_plans_the_next_step(
    client_for, jw_rotterdam, meeting
):
    _send_everything_before_the_meeting(meeting)
    next_step_on = _record_after_the_meeting(client_for, jw_rotterdam, meeting, action="finish")
    assert Reminder.objects.get(kind="intake.outcome_missing").status == Reminder.Status.CANCELLED
    next_step = Reminder.objects.get(kind="intake.next_step")
    assert next_step.status == Reminder.Status.PENDING
    assert next_step.recipient_role == "youth_worker"
    assert timezone.localtime(next_step.due_at).date() == next_step_on
    with time_machine.travel(_to_the_day_after(meeting), tick=False):
        reminders_dispatch_due()
    # No outcome reminder; the only message is the programme's request to enrol the young
    # person, since this intake ended with "to the pre-employment programme" (IntakeFinished).
    sent = Reminder.objects.filter(status=Reminder.Status.SENT, due_at__gt=meeting.starts_at)
    assert list(sent.values_list("kind", flat=True)) == ["prep.enrolment_proposed"]
    mail.outbox.clear()
    with time_machine.travel(next_step.due_at + dt.timedelta(minutes=1), tick=False):
        reminders_dispatch_due()
    assert [message.to for message in mail.outbox] == [[jw_rotterdam.email]]


def test_a_draft_does_not_call_off_the_outcome_reminder(client_for, jw_rotterdam, meeting):
    _send_everything_before_the_meeting(meeting)
    _record_after_the_meeting(client_for, jw_rotterdam, meeting, action="draft")
    assert Reminder.objects.get(kind="intake.outcome_missing").status == Reminder.Status.PENDING
    assert not Reminder.objects.filter(kind="intake.next_step").exists()
    with time_machine.travel(_to_the_day_after(meeting), tick=False):
        reminders_dispatch_due()
    assert [message.to for message in mail.outbox] == [[jw_rotterdam.email]]


def test_a_removed_participant_gets_no_day_before_reminder(jw_rotterdam, coord_rotterdam, meeting):
    reminders_dispatch_due()
    updated = services.intake_update(meeting=meeting, by=jw_rotterdam, third_party=None)
    reminders_dispatch_due()  # the update, to the two who remain
    mail.outbox.clear()
    with time_machine.travel(meeting.starts_at - dt.timedelta(hours=12), tick=False):
        reminders_dispatch_due()
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted(participant_emails(updated))
    assert coord_rotterdam.email not in recipients
    assert len(recipients) == 2


def test_no_employer_contact_is_told_a_case_reference(meeting, employer_account):
    reminders_dispatch_due()
    services.intake_update(meeting=meeting, by=meeting.youth_worker, place="Buurthuis De Brug")
    with time_machine.travel(meeting.starts_at - dt.timedelta(hours=20), tick=False):
        reminders_dispatch_due()
    reference = meeting.youth.case_reference
    to_employer = [m for m in mail.outbox if m.to == [employer_account.email]]
    assert len(to_employer) >= 3  # the invitation, the change and the day before
    for message in to_employer:
        assert reference not in message.subject + message.body
        assert meeting.reference in message.subject
    for notification in employer_account.notifications.all():
        assert reference not in notification.title
    # The young person's own youth worker is told which young person it is about.
    to_youth_worker = [m for m in mail.outbox if m.to == [meeting.youth_worker.email]]
    assert all(reference in message.subject for message in to_youth_worker)
