"""Merging two records of one young person: every app moves the duplicate's rows to the record
kept through its own services, the change history records each move, consent reactions run,
and every open reminder still reaches the right person with a link that answers."""

import datetime as dt

import pytest
import time_machine
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from employers.models import Employer
from intake.factories import IntakeMeetingFactory
from intake.models import IntakeMeeting
from matching import services as matching
from matching.models import FollowUp, Placement, Share, Shortlist
from matching.selectors import placements_visible_to, retention_figures, shares_visible_to
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import reminders_dispatch_due
from tests.employers.factories import ContactFactory, EmployerFactory, OpeningFactory
from youth import services as youth_services
from youth.factories import ConsentFactory, ContactMomentFactory, YoungPersonFactory
from youth.models import Consent, YoungPerson

pytestmark = pytest.mark.django_db

SHARING = Consent.Purpose.SHARE_WITH_EMPLOYERS


@pytest.fixture
def employer(rotterdam, coord_rotterdam, employer_contact1):
    employer = EmployerFactory(city=rotterdam, owner=coord_rotterdam, stage="committed")
    ContactFactory(employer=employer, user=employer_contact1)
    return employer


@pytest.fixture
def openings(employer):
    return [OpeningFactory(employer=employer, places=2) for _ in range(3)]


@pytest.fixture
def pair(jw_rotterdam, rotterdam):
    registered = timezone.localdate() - dt.timedelta(days=60)
    keep, duplicate = (
        YoungPersonFactory(
            first_name="Noor", youth_worker=jw_rotterdam, city=rotterdam, registered_on=registered
        )
        for _ in range(2)
    )
    return keep, duplicate


def share(youth, opening, by):
    entry = matching.shortlist_add(youth=youth, opening=opening, by=by)
    return matching.share_create(shortlist=entry, by=by)


@pytest.fixture
def duplicate_world(pair, openings, coord_rotterdam):
    """The duplicate holds what a real second record would: a placement, a share with its
    consent, an intake, a contact; the record kept has a share of its own for another opening."""
    keep, duplicate = pair
    ConsentFactory(youth=duplicate, purpose=SHARING)
    ConsentFactory(youth=keep, purpose=SHARING)
    ContactMomentFactory(youth=duplicate, date=timezone.localdate() - dt.timedelta(days=2))
    shared = share(duplicate, openings[0], coord_rotterdam)
    kept_share = share(keep, openings[1], coord_rotterdam)
    placement = matching.placement_create(
        youth=duplicate,
        opening=openings[2],
        by=coord_rotterdam,
        start_date=timezone.localdate(),
        hours_per_week=24,
        agreement=Placement.Agreement.EMPLOYMENT,
    )
    intake = IntakeMeetingFactory(youth=duplicate)
    return {
        "keep": keep,
        "duplicate": duplicate,
        "share": shared,
        "kept_share": kept_share,
        "placement": placement,
        "intake": intake,
    }


def merge(world, by):
    return youth_services.youth_merge(keep=world["keep"], duplicate=world["duplicate"], by=by)


class TestEveryRowFollows:
    def test_placement_share_intake_and_follow_ups_are_on_the_record_kept(
        self, duplicate_world, coord_rotterdam
    ):
        keep = merge(duplicate_world, coord_rotterdam)
        duplicate = duplicate_world["duplicate"]
        assert Placement.objects.get(pk=duplicate_world["placement"].pk).youth == keep
        assert Share.objects.get(pk=duplicate_world["share"].pk).youth == keep
        assert IntakeMeeting.objects.get(pk=duplicate_world["intake"].pk).youth == keep
        assert Shortlist.objects.filter(youth=keep).count() == 2
        assert FollowUp.objects.filter(placement__youth=keep).count() == 4
        for model in (Placement, Share, Shortlist, IntakeMeeting, Consent):
            assert not model.objects.filter(youth=duplicate).exists(), model.__name__
        assert keep.contacts.count() == 1

    def test_the_record_kept_is_placed_and_its_placement_counts(
        self, duplicate_world, coord_rotterdam
    ):
        keep = merge(duplicate_world, coord_rotterdam)
        assert YoungPerson.objects.get(pk=keep.pk).journey == YoungPerson.Journey.PLACED
        # No list filters merged rows away: the placement is listed and counted.
        assert placements_visible_to(coord_rotterdam).filter(youth=keep).count() == 1
        assert shares_visible_to(coord_rotterdam).filter(youth=keep).count() == 2
        follow_up = FollowUp.objects.get(placement__youth=keep, month=1)
        with time_machine.travel(follow_up.due_on + dt.timedelta(days=1)):
            matching.follow_up_answer(follow_up=follow_up, by=coord_rotterdam, still_there=True)
            assert retention_figures(coord_rotterdam)[1]["still_there"] == 1

    def test_each_moved_row_is_in_the_change_history(self, duplicate_world, coord_rotterdam):
        keep = merge(duplicate_world, coord_rotterdam)
        for record in ("placement", "share", "intake"):
            row = duplicate_world[record]
            entry = (
                LogEntry.objects.get_for_object(row)
                .filter(action=LogEntry.Action.UPDATE)
                .latest("timestamp")
            )
            assert str(entry.changes_dict["youth"][1]) == str(keep.pk), record

    def test_follow_up_reminders_reach_the_coordinator_with_a_link_that_answers(
        self, duplicate_world, coord_rotterdam, client_for
    ):
        merge(duplicate_world, coord_rotterdam)
        placement = duplicate_world["placement"]
        first = FollowUp.objects.get(placement=placement, month=1)
        reminder = Reminder.objects.get(key=f"{matching.FOLLOW_UP_KIND}:{placement.pk}:1")
        with time_machine.travel(
            dt.datetime.combine(first.due_on, dt.time(10), tzinfo=dt.UTC), tick=False
        ):
            reminders_dispatch_due()
        reminder.refresh_from_db()
        assert (reminder.status, reminder.sent_to) == (Reminder.Status.SENT, coord_rotterdam)
        notification = coord_rotterdam.notifications.get(reminder=reminder)
        assert client_for(coord_rotterdam).get(notification.url).status_code == 200

    def test_open_reminders_about_the_duplicate_now_concern_the_record_kept(
        self, duplicate_world, coord_rotterdam
    ):
        keep, duplicate = duplicate_world["keep"], duplicate_world["duplicate"]
        youth_type = ContentType.objects.get_for_model(YoungPerson)
        merge(duplicate_world, coord_rotterdam)
        open_reminders = Reminder.objects.open().filter(content_type=youth_type)
        assert not open_reminders.filter(object_id=str(duplicate.pk)).exists()
        # One 30-day contact reminder for the young person, counted from the latest contact.
        no_contact = open_reminders.get(kind=youth_services.NO_CONTACT_KIND)
        assert no_contact.object_id == str(keep.pk)
        latest = timezone.localdate() - dt.timedelta(days=2)
        assert no_contact.due_at.date() == latest + dt.timedelta(days=30)

    def test_the_employer_still_sees_the_candidate_after_the_merge(
        self, duplicate_world, coord_rotterdam, client_for, employer_contact1
    ):
        merge(duplicate_world, coord_rotterdam)
        token = Share.objects.get(pk=duplicate_world["share"].pk).token
        response = client_for(employer_contact1).get(
            reverse("candidates:candidate_detail", args=[token])
        )
        assert response.status_code == 200


class TestWhatBothRecordsHold:
    def test_a_consent_held_twice_is_withdrawn_on_the_duplicate_through_the_service(
        self, duplicate_world, coord_rotterdam
    ):
        keep = merge(duplicate_world, coord_rotterdam)
        sharing = Consent.objects.filter(youth=keep, purpose=SHARING)
        assert sharing.filter(withdrawn_on__isnull=True).count() == 1
        withdrawn = sharing.get(withdrawn_on__isnull=False)
        assert withdrawn.withdrawn_by == coord_rotterdam
        # The reaction ran and found nothing left to stop: every share is still active.
        assert Share.objects.filter(youth=keep, status=Share.Status.ACTIVE).count() == 2

    def test_a_second_active_share_for_the_same_opening_is_withdrawn(
        self, pair, openings, coord_rotterdam
    ):
        keep, duplicate = pair
        for youth in pair:
            ConsentFactory(youth=youth, purpose=SHARING)
        first, second = (share(youth, openings[0], coord_rotterdam) for youth in pair)
        youth_services.youth_merge(keep=keep, duplicate=duplicate, by=coord_rotterdam)
        assert Share.objects.get(pk=first.pk).status == Share.Status.ACTIVE
        moved = Share.objects.get(pk=second.pk)
        assert (moved.youth, moved.status) == (keep, Share.Status.WITHDRAWN)
        assert Shortlist.objects.filter(youth=keep, opening=openings[0]).count() == 1

    def test_two_active_placements_are_not_merged_and_nothing_changes(
        self, pair, openings, coord_rotterdam
    ):
        keep, duplicate = pair
        for youth, opening in zip(pair, openings, strict=False):
            matching.placement_create(
                youth=youth,
                opening=opening,
                by=coord_rotterdam,
                start_date=timezone.localdate(),
                hours_per_week=20,
                agreement=Placement.Agreement.EMPLOYMENT,
            )
        ContactMomentFactory(youth=duplicate)
        with pytest.raises(ValidationError, match="actieve plaatsing"):
            youth_services.youth_merge(keep=keep, duplicate=duplicate, by=coord_rotterdam)
        assert YoungPerson.objects.get(pk=duplicate.pk).merged_into is None
        assert duplicate.contacts.count() == 1
        assert Placement.objects.filter(youth=duplicate).count() == 1

    def test_the_merge_page_says_why_two_placements_block_it(
        self, pair, openings, coord_rotterdam, client_for
    ):
        keep, duplicate = pair
        for youth, opening in zip(pair, openings, strict=False):
            matching.placement_create(
                youth=youth,
                opening=opening,
                by=coord_rotterdam,
                start_date=timezone.localdate(),
                hours_per_week=20,
                agreement=Placement.Agreement.EMPLOYMENT,
            )
        response = client_for(coord_rotterdam).post(
            reverse("youth:youth_merge"), {"keep": keep.pk, "duplicate": duplicate.pk}
        )
        assert response.status_code == 200
        assert "actieve plaatsing" in response.content.decode()
        assert YoungPerson.objects.get(pk=duplicate.pk).merged_into is None


def test_an_employer_becomes_active_only_after_a_placement_there(
    employer, openings, coord_rotterdam, pair
):
    from employers.services import employer_move_stage

    with pytest.raises(ValidationError):
        employer_move_stage(employer=employer, to_stage=Employer.Stage.ACTIVE, by=coord_rotterdam)
    start = timezone.localdate() - dt.timedelta(days=3)
    matching.placement_create(
        youth=pair[0],
        opening=openings[0],
        by=coord_rotterdam,
        start_date=start,
        hours_per_week=20,
        agreement=Placement.Agreement.EMPLOYMENT,
    )
    employer.refresh_from_db()
    assert employer.first_placement_on == start
    moved = employer_move_stage(
        employer=employer, to_stage=Employer.Stage.ACTIVE, by=coord_rotterdam
    )
    assert moved.stage == Employer.Stage.ACTIVE
