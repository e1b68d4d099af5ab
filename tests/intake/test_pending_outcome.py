"""The intakes whose outcome is pending (PendingOutcome) follow the meetings and records on every
path that writes them: the services' saves, the admin, a merge, bulk writes, queryset updates and
deletes, and a meeting and its record changed at the same moment. The database keeps them
(triggers), so each test compares the stored rows with the meetings and records themselves."""

import datetime as dt

import pytest
from django.db.models import Exists, OuterRef
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from intake.factories import IntakeMeetingFactory, IntakeRecordFactory
from intake.models import IntakeMeeting, IntakeRecord, PendingOutcome
from intake.selectors import (
    intakes_awaiting_outcome,
    intakes_filtered,
    pending_outcomes_visible_to,
    youth_awaiting_outcome,
)
from tests.concurrency import write_while_first_holds
from youth.factories import YoungPersonFactory
from youth.services import youth_merge

pytestmark = pytest.mark.django_db

Status = IntakeMeeting.Status


def hours_from_now(hours: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(microsecond=0)


def finished(meeting: IntakeMeeting) -> IntakeRecord:
    return IntakeRecordFactory(
        meeting=meeting,
        status=IntakeRecord.Status.FINISHED,
        outcome=IntakeRecord.Outcome.NOT_NOW,
        next_step="Over een maand opnieuw bellen",
        next_step_on=timezone.localdate() + dt.timedelta(days=30),
        finished_at=timezone.now(),
    )


def stored() -> dict[int, tuple[int, dt.datetime]]:
    return {row.meeting_id: (row.youth_id, row.starts_at) for row in PendingOutcome.objects.all()}


def pending_by_definition() -> dict[int, tuple[int, dt.datetime]]:
    """Scheduled or held, and no finished record: read from the meetings and records."""
    done = IntakeRecord.objects.filter(meeting=OuterRef("pk"), status=IntakeRecord.Status.FINISHED)
    meetings = IntakeMeeting.objects.filter(status__in=[Status.SCHEDULED, Status.HELD]).exclude(
        Exists(done)
    )
    return {meeting.pk: (meeting.youth_id, meeting.starts_at) for meeting in meetings}


@pytest.fixture
def person(jw_rotterdam, rotterdam):
    return YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)


class TestEveryPathKeepsThem:
    def test_a_scheduled_meeting_is_pending_until_its_record_is_finished(self, person):
        meeting = IntakeMeetingFactory(youth=person, starts_at=hours_from_now(-2))
        assert stored() == {meeting.pk: (person.pk, meeting.starts_at)}
        record = IntakeRecordFactory(meeting=meeting)  # a draft
        assert meeting.pk in stored()
        record.delete()
        record = finished(meeting)
        assert stored() == {}
        IntakeRecord.objects.filter(pk=record.pk).update(status=IntakeRecord.Status.DRAFT)
        assert meeting.pk in stored()
        assert stored() == pending_by_definition()

    def test_a_cancelled_meeting_or_a_no_show_awaits_nothing(self, person):
        meeting = IntakeMeetingFactory(youth=person, starts_at=hours_from_now(-2))
        meeting.status, meeting.cancel_reason = Status.CANCELLED, "Ziek"
        meeting.save()
        assert stored() == {}
        IntakeMeeting.objects.filter(pk=meeting.pk).update(status=Status.NO_SHOW, absent="youth")
        assert stored() == {}
        IntakeMeeting.objects.filter(pk=meeting.pk).update(status=Status.HELD, absent="")
        assert stored() == pending_by_definition() == {meeting.pk: (person.pk, meeting.starts_at)}

    def test_a_moved_start_is_followed_and_other_changes_leave_the_row(self, person):
        meeting = IntakeMeetingFactory(youth=person, starts_at=hours_from_now(24))
        later = hours_from_now(48)
        meeting.starts_at = later
        meeting.save()
        assert stored() == {meeting.pk: (person.pk, later)}
        meeting.place = "Bibliotheek, Hoogstraat 110"
        meeting.save()
        assert stored() == {meeting.pk: (person.pk, later)}

    def test_bulk_writes_that_skip_save_are_followed_too(self, person, jw_rotterdam):
        other = YoungPersonFactory(youth_worker=jw_rotterdam, city=person.city)
        meetings = IntakeMeeting.objects.bulk_create(
            IntakeMeeting(
                youth=who,
                youth_worker=jw_rotterdam,
                created_by=jw_rotterdam,
                starts_at=hours_from_now(hours),
                place="Kruiskade 10",
                status=status,
                absent="youth" if status == Status.NO_SHOW else "",
            )
            for who, hours, status in [
                (person, -30, Status.HELD),
                (person, 5, Status.SCHEDULED),
                (other, -3, Status.NO_SHOW),
            ]
        )
        assert stored() == pending_by_definition()
        assert set(stored()) == {meetings[0].pk, meetings[1].pk}
        IntakeMeeting.objects.filter(youth=person).update(youth=other)  # moved by hand
        assert {youth for youth, _ in stored().values()} == {other.pk}
        IntakeMeeting.objects.filter(pk=meetings[1].pk).delete()
        assert stored() == pending_by_definition() == {meetings[0].pk: stored()[meetings[0].pk]}

    def test_a_merge_moves_the_pending_intakes_to_the_record_kept(self, person, coord_rotterdam):
        duplicate = YoungPersonFactory(youth_worker=person.youth_worker, city=person.city)
        meeting = IntakeMeetingFactory(youth=duplicate, starts_at=hours_from_now(-5))
        youth_merge(keep=person, duplicate=duplicate, by=coord_rotterdam)
        assert stored() == {meeting.pk: (person.pk, meeting.starts_at)}

    def test_deleting_a_meeting_with_its_record_removes_its_row(self, person):
        meeting = IntakeMeetingFactory(youth=person, starts_at=hours_from_now(-5))
        IntakeRecordFactory(meeting=meeting)
        meeting.delete()
        assert stored() == {}


class TestTheAdminPath:
    def test_a_record_deleted_in_the_admin_makes_its_meeting_pending_again(
        self, client_for, admin, person
    ):
        meeting = IntakeMeetingFactory(youth=person, starts_at=hours_from_now(-5))
        record = finished(meeting)
        assert stored() == {}
        delete = reverse("admin:intake_intakerecord_delete", args=[record.pk])
        assert client_for(admin).post(delete, {"post": "yes"}).status_code == 302
        assert stored() == {meeting.pk: (person.pk, meeting.starts_at)}

    def test_a_meeting_deleted_in_the_admin_leaves_no_row(self, client_for, admin, person):
        meeting = IntakeMeetingFactory(youth=person, starts_at=hours_from_now(-5))
        delete = reverse("admin:intake_intakemeeting_delete", args=[meeting.pk])
        assert client_for(admin).post(delete, {"post": "yes"}).status_code == 302
        assert not IntakeMeeting.objects.exists()
        assert stored() == {}

    def test_it_has_no_admin_page_of_its_own(self):
        # Django never writes it: the admin offers no way to.
        with pytest.raises(NoReverseMatch):
            reverse("admin:intake_pendingoutcome_changelist")


def test_awaiting_an_outcome_is_pending_and_started(person, jw_rotterdam):
    """The selectors read the stored rows: a pending meeting whose start has passed."""
    other = YoungPersonFactory(youth_worker=jw_rotterdam, city=person.city)
    started = IntakeMeetingFactory(youth=person, starts_at=hours_from_now(-1))
    IntakeMeetingFactory(youth=other, starts_at=hours_from_now(3))  # still to come
    finished(IntakeMeetingFactory(youth=other, starts_at=hours_from_now(-50)))
    IntakeMeetingFactory(
        youth=other, starts_at=hours_from_now(-4), status=Status.NO_SHOW, absent="youth"
    )
    now = timezone.now()
    assert list(intakes_awaiting_outcome(now=now)) == [started]
    assert list(youth_awaiting_outcome(now=now).values_list("youth", flat=True)) == [person.pk]
    later = now + dt.timedelta(hours=4)
    assert {row["youth"] for row in youth_awaiting_outcome(now=later)} == {person.pk, other.pk}


def test_the_pending_rows_a_user_sees_are_the_lists_in_its_order(
    person, jw_rotterdam, jw_dordrecht, coord_rotterdam, coord_dordrecht, admin, dordrecht
):
    """What the start page counts and lists from PendingOutcome alone is what the intake list
    shows with "awaiting outcome", in the same order, for each role: scoped by the stored young
    person, which follows a meeting moved to someone in another city."""
    elsewhere = YoungPersonFactory(youth_worker=jw_dordrecht, city=dordrecht)
    same_start = hours_from_now(-3)
    meetings = [
        IntakeMeetingFactory(youth=person, starts_at=same_start),
        IntakeMeetingFactory(youth=person, starts_at=same_start),  # a tie: the later key first
        IntakeMeetingFactory(youth=person, starts_at=hours_from_now(-30)),
        IntakeMeetingFactory(youth=elsewhere, starts_at=hours_from_now(-5)),
        IntakeMeetingFactory(youth=person, starts_at=hours_from_now(2)),  # not started
    ]
    finished(IntakeMeetingFactory(youth=elsewhere, starts_at=hours_from_now(-8)))
    IntakeMeeting.objects.filter(pk=meetings[2].pk).update(youth=elsewhere)
    now = timezone.now()
    for user in (admin, coord_rotterdam, coord_dordrecht, jw_rotterdam, jw_dordrecht):
        listed = intakes_filtered(user, {"awaiting_outcome": True}).values_list("pk", flat=True)
        pending = pending_outcomes_visible_to(user, now=now).values_list("meeting", flat=True)
        assert (user.username, list(pending)) == (user.username, list(listed))
        assert pending.count() == len(listed)
    rotterdam_keys = pending_outcomes_visible_to(coord_rotterdam, now=now).values_list(
        "meeting", flat=True
    )
    assert list(rotterdam_keys) == [meetings[1].pk, meetings[0].pk]


@pytest.mark.django_db(transaction=True)
def test_a_meeting_moved_while_its_record_is_deleted_keeps_the_new_start(
    require_postgres, jw_rotterdam, rotterdam
):
    """The first transaction moves the meeting's start and stays open; the second deletes the
    finished record meanwhile, which makes the meeting pending. The second waits for the first
    (the meeting's row is locked) and then reads its start, so the row holds the new one."""
    person = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)
    meeting = IntakeMeetingFactory(youth=person, starts_at=hours_from_now(-48))
    finished(meeting)
    moved_to = hours_from_now(-24)
    errors = write_while_first_holds(
        lambda: IntakeMeeting.objects.filter(pk=meeting.pk).update(starts_at=moved_to),
        lambda: IntakeRecord.objects.filter(meeting=meeting).delete(),
    )
    assert errors == []
    assert stored() == pending_by_definition() == {meeting.pk: (person.pk, moved_to)}
