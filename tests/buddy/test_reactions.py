"""What the buddy programme does when a placement ends, a consent is withdrawn or two records
of one young person are merged (docs/events.md)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from buddy.factories import MentorFactory, PlacementFactory, give_buddy_consent
from buddy.models import BuddyProfile, Pair
from buddy.selectors import pairs_visible_to
from buddy.services import pair_propose
from employers.factories import OpeningFactory
from matching.services import placement_end
from restart_platform.notifications.models import Reminder
from restart_platform.taxonomy.models import PersonalInterest
from youth.factories import YoungPersonFactory
from youth.models import Consent
from youth.services import consent_withdraw, youth_merge

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in the language of the code; the Dutch ones in test_views."""
    with translation.override("en"):
        yield


def test_an_ended_placement_asks_the_coordinator_to_close_or_continue(kicked_off, coord_rotterdam):
    placement_end(
        placement=kicked_off.placement,
        by=coord_rotterdam,
        ended_on=timezone.localdate(),
        reason="Contract niet verlengd.",
    )
    [asked] = Reminder.objects.open().filter(kind="buddy.placement_ended")
    assert asked.target == kicked_off
    assert asked.recipient_role == "coordinator"
    assert asked.due_at <= timezone.now()
    kicked_off.refresh_from_db()
    assert kicked_off.is_open  # a person decides


def test_withdrawing_the_buddy_consent_stops_the_sharing_at_once(
    kicked_off, mentor_account, jw_rotterdam
):
    consent = Consent.objects.get(youth=kicked_off.youth, purpose=Consent.Purpose.BUDDY_CONTACT)
    consent_withdraw(consent=consent, by=jw_rotterdam)
    kicked_off.refresh_from_db()
    assert kicked_off.sharing_stopped_on == timezone.localdate()
    assert not pairs_visible_to(mentor_account).exists()
    assert not Reminder.objects.open().filter(kind="buddy.checkin_due").exists()
    assert Reminder.objects.open().filter(kind="buddy.consent_withdrawn").count() == 1


def test_withdrawing_another_consent_leaves_the_pair_alone(
    kicked_off, mentor_account, jw_rotterdam
):
    other = Consent.objects.create(
        youth=kicked_off.youth,
        purpose=Consent.Purpose.ANONYMOUS_REPORTS,
        given_on=timezone.localdate() - dt.timedelta(days=3),
        recorded_by=jw_rotterdam,
    )
    consent_withdraw(consent=other, by=jw_rotterdam)
    assert list(pairs_visible_to(mentor_account)) == [kicked_off]


def test_a_merge_moves_the_pair_and_the_buddy_profile_to_the_record_kept(
    kicked_off, jw_rotterdam, coord_rotterdam
):
    keep = YoungPersonFactory(youth_worker=jw_rotterdam)
    duplicate = kicked_off.youth
    profile = BuddyProfile.objects.create(youth=duplicate, help_needed=["practical"])
    profile.personal_interests.set(PersonalInterest.objects.filter(slug="music"))
    kept_profile = BuddyProfile.objects.create(youth=keep, help_needed=["money"])
    youth_merge(keep=keep, duplicate=duplicate, by=coord_rotterdam)
    kicked_off.refresh_from_db()
    assert kicked_off.youth == keep
    kept_profile.refresh_from_db()
    assert kept_profile.help_needed == ["money", "practical"]
    assert list(kept_profile.personal_interests.values_list("slug", flat=True)) == ["music"]
    assert not BuddyProfile.objects.filter(youth=duplicate).exists()


def test_a_merge_of_two_records_with_a_buddy_each_is_refused(
    kicked_off, employer, jw_rotterdam, coord_rotterdam
):
    keep = YoungPersonFactory(youth_worker=jw_rotterdam)
    give_buddy_consent(keep)
    placement = PlacementFactory(youth=keep, opening=OpeningFactory(employer=employer))
    pair_propose(placement=placement, mentor=MentorFactory(employer=employer), by=coord_rotterdam)
    # Its placement ended, its pair did not: only the buddy programme stands in the way.
    placement_end(
        placement=placement, by=coord_rotterdam, ended_on=timezone.localdate(), reason="Verhuisd."
    )
    with pytest.raises(ValidationError, match="Both records have a buddy pair"):
        youth_merge(keep=keep, duplicate=kicked_off.youth, by=coord_rotterdam)
    assert Pair.objects.get(pk=kicked_off.pk).youth == kicked_off.youth
