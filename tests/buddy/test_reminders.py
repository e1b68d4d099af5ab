"""The check-in cadence and the 11- and 12-month reminders: planned, followed, sent once,
stopped when the pair closes."""

import datetime as dt

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from buddy.factories import MentorFactory
from buddy.services import concern_raise, pair_close, pair_propose
from restart_platform.notifications.models import Notification, Reminder
from restart_platform.notifications.services import morning_of, reminders_dispatch_due

from .conftest import kick_off, log_checkin

pytestmark = pytest.mark.django_db


def open_reminders(kind: str) -> list[Reminder]:
    return list(Reminder.objects.open().filter(kind=kind))


def dispatch_on(day: dt.date) -> int:
    return reminders_dispatch_due(now=morning_of(day) + dt.timedelta(minutes=1))


def test_the_kick_off_plans_the_cadence_and_the_year(kicked_off):
    start = kicked_off.kickoff_on
    [due] = open_reminders("buddy.checkin_due")
    [silent] = open_reminders("buddy.no_checkin")
    [plan_review] = open_reminders("buddy.month_11")
    [review] = open_reminders("buddy.review")
    assert due.due_at == morning_of(start + dt.timedelta(weeks=4))
    assert due.recipient_role == "mentor"
    assert silent.due_at == morning_of(start + dt.timedelta(weeks=8))
    assert silent.recipient_role == "coordinator"
    assert plan_review.due_at == morning_of(start + relativedelta(months=11))
    assert review.due_at == morning_of(start + relativedelta(months=12))


def test_the_cadence_is_configurable_per_pair(proposed, coord_rotterdam):
    pair = kick_off(proposed, coord_rotterdam, checkin_every_weeks=2)
    [due] = open_reminders("buddy.checkin_due")
    assert due.due_at == morning_of(pair.kickoff_on + dt.timedelta(weeks=2))


def test_a_mentor_without_an_account_leaves_the_check_in_reminder_to_the_coordinator(
    placement, employer, coord_rotterdam
):
    pair = pair_propose(
        placement=placement, mentor=MentorFactory(employer=employer), by=coord_rotterdam
    )
    kick_off(pair, coord_rotterdam)
    [due] = open_reminders("buddy.checkin_due")
    assert due.recipient_role == "coordinator"


def test_a_check_in_moves_the_next_due_date_and_the_eight_week_alarm(kicked_off, mentor_account):
    today = timezone.localdate()
    log_checkin(kicked_off, mentor_account, held_on=today)
    [due] = open_reminders("buddy.checkin_due")
    [silent] = open_reminders("buddy.no_checkin")
    assert due.due_at == morning_of(today + dt.timedelta(weeks=4))
    assert silent.due_at == morning_of(today + dt.timedelta(weeks=8))
    assert Reminder.objects.filter(kind="buddy.checkin_due", status="cancelled").count() == 1


def test_the_reminders_stop_when_the_pair_closes(kicked_off, coord_rotterdam):
    pair_close(
        pair=kicked_off,
        by=coord_rotterdam,
        reason="mismatch",
        conversation="Geen klik; beiden willen stoppen.",
    )
    assert not Reminder.objects.open().filter(kind__startswith="buddy.").exists()
    assert dispatch_on(kicked_off.kickoff_on + relativedelta(months=13)) == 0
    assert not Notification.objects.exists()


def test_the_check_in_reminder_reaches_the_mentor_once_and_names_no_young_person(
    kicked_off, mentor_account
):
    due_day = kicked_off.kickoff_on + dt.timedelta(weeks=4)
    assert dispatch_on(due_day) == 1
    assert dispatch_on(due_day) == 0
    assert dispatch_on(due_day + dt.timedelta(days=1)) == 0
    [notification] = Notification.objects.filter(user=mentor_account)
    assert notification.title in ("A buddy check-in is due", "Er staat een buddygesprek gepland")
    assert kicked_off.youth.case_reference not in notification.title
    assert kicked_off.youth.first_name not in notification.title


def test_a_concern_reaches_the_youth_worker_and_the_coordinator_at_once(
    kicked_off, mentor_account, jw_rotterdam, coord_rotterdam
):
    concern_raise(
        pair=kicked_off, by=mentor_account, what="Lijkt erg somber.", needs_help_today=True
    )
    assert reminders_dispatch_due(now=timezone.now() + dt.timedelta(seconds=1)) == 2
    assert set(Notification.objects.values_list("user", flat=True)) == {
        jw_rotterdam.pk,
        coord_rotterdam.pk,
    }
    assert reminders_dispatch_due(now=timezone.now() + dt.timedelta(seconds=2)) == 0
