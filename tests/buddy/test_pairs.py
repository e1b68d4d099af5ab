"""Pairs from proposal to close, check-ins and concerns: the services and their bad input."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from buddy.factories import MentorFactory, PlacementFactory, give_buddy_consent
from buddy.models import CheckIn, Concern, Pair
from buddy.selectors import pairs_visible_to
from buddy.services import checkin_log, concern_raise, pair_close, pair_propose
from employers.factories import EmployerFactory, OpeningFactory
from youth.factories import YoungPersonFactory
from youth.models import Consent

from .conftest import kick_off, log_checkin

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english():
    """The messages are checked in the language of the code; the Dutch ones in test_views."""
    with translation.override("en"):
        yield


def refused(service, message: str, **arguments) -> None:
    with pytest.raises(ValidationError) as refusal:
        service(**arguments)
    assert message in " ".join(refusal.value.messages)


# --- Proposing --------------------------------------------------------------------------------


def test_a_coordinator_proposes_a_mentor_and_the_score_is_kept(proposed, mentor, placement):
    assert proposed.status == Pair.Status.PROPOSED
    assert (proposed.youth, proposed.mentor) == (placement.youth, mentor)
    assert set(proposed.score_components) == {"needs", "work_fields", "interests", "age_gap"}
    assert 0 < proposed.score <= 100


def test_a_mentor_of_another_employer_is_refused(placement, coord_rotterdam, rotterdam):
    elsewhere = MentorFactory(employer=EmployerFactory(city=rotterdam, owner=coord_rotterdam))
    refused(
        pair_propose,
        "does not work at the employer of the placement",
        placement=placement,
        mentor=elsewhere,
        by=coord_rotterdam,
    )
    assert not Pair.objects.exists()


def test_a_second_open_pair_is_refused(proposed, placement, employer, coord_rotterdam):
    other = MentorFactory(employer=employer)
    refused(
        pair_propose,
        "already has a buddy",
        placement=placement,
        mentor=other,
        by=coord_rotterdam,
    )
    assert Pair.objects.count() == 1


def test_a_mentor_over_capacity_is_refused(
    proposed, mentor, employer, jw_rotterdam, coord_rotterdam
):
    youth = YoungPersonFactory(youth_worker=jw_rotterdam)
    give_buddy_consent(youth)
    second = PlacementFactory(youth=youth, opening=OpeningFactory(employer=employer))
    refused(
        pair_propose,
        "as many young people as they can take",
        placement=second,
        mentor=mentor,
        by=coord_rotterdam,
    )
    mentor.capacity = 2
    mentor.save()
    assert pair_propose(placement=second, mentor=mentor, by=coord_rotterdam).mentor == mentor


def test_no_buddy_consent_is_refused(placement, mentor, coord_rotterdam):
    Consent.objects.filter(youth=placement.youth).update(withdrawn_on=timezone.localdate())
    refused(
        pair_propose,
        "has not consented to being contacted by a buddy",
        placement=placement,
        mentor=mentor,
        by=coord_rotterdam,
    )
    assert not Pair.objects.exists()


def test_a_coordinator_of_another_city_cannot_propose(placement, mentor, coord_dordrecht):
    refused(
        pair_propose, "outside your cities", placement=placement, mentor=mentor, by=coord_dordrecht
    )


def test_a_youth_worker_cannot_propose(placement, mentor, jw_rotterdam):
    refused(
        pair_propose, "outside your cities", placement=placement, mentor=mentor, by=jw_rotterdam
    )


# --- Kick-off and closing ---------------------------------------------------------------------


def test_the_kick_off_records_the_onboarding_plan(kicked_off):
    kicked_off.refresh_from_db()
    assert kicked_off.status == Pair.Status.KICKED_OFF
    assert kicked_off.kickoff_agreements == "Elke maand een gesprek in de kantine."
    assert kicked_off.onboarding_practical == "Bankrekening openen, reiskosten"


def test_a_kick_off_in_the_future_or_without_agreements_is_refused(proposed, coord_rotterdam):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused(
        kick_off, "cannot be in the future", pair=proposed, by=coord_rotterdam, held_on=tomorrow
    )
    refused(kick_off, "what was agreed", pair=proposed, by=coord_rotterdam, agreements="  ")
    proposed.refresh_from_db()
    assert proposed.status == Pair.Status.PROPOSED


def test_a_pair_closed_without_a_reason_or_conversation_is_refused(kicked_off, coord_rotterdam):
    refused(
        pair_close,
        "Choose why",
        pair=kicked_off,
        by=coord_rotterdam,
        reason="",
        conversation="Goed gesprek.",
    )
    refused(
        pair_close,
        "closing conversation",
        pair=kicked_off,
        by=coord_rotterdam,
        reason=Pair.CloseReason.MISMATCH,
        conversation="",
    )
    kicked_off.refresh_from_db()
    assert kicked_off.is_open


def test_a_closed_pair_keeps_its_reason_and_takes_no_check_ins(kicked_off, coord_rotterdam):
    pair_close(
        pair=kicked_off,
        by=coord_rotterdam,
        reason=Pair.CloseReason.COMPLETED,
        conversation="Na een jaar: zelfstandig aan het werk.",
    )
    kicked_off.refresh_from_db()
    assert (kicked_off.status, kicked_off.close_reason) == ("closed", "completed")
    refused(log_checkin, "closed", pair=kicked_off, by=coord_rotterdam)


# --- Check-ins ----------------------------------------------------------------------------------


def test_the_mentor_logs_a_check_in_and_the_pair_becomes_active(kicked_off, mentor_account):
    checkin = log_checkin(kicked_off, mentor_account, trust_mentor=4, trust_youth=5)
    kicked_off.refresh_from_db()
    assert kicked_off.status == Pair.Status.ACTIVE
    assert checkin.logged_by == mentor_account
    assert checkin.covers_skills_and_wellbeing


def test_a_check_in_in_the_future_or_before_the_pair_began_is_refused(kicked_off, mentor_account):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    refused(log_checkin, "in the future", pair=kicked_off, by=mentor_account, held_on=tomorrow)
    before = kicked_off.kickoff_on - dt.timedelta(days=1)
    refused(
        log_checkin, "before the pair began", pair=kicked_off, by=mentor_account, held_on=before
    )
    assert not CheckIn.objects.exists()


@pytest.mark.parametrize("rating", [0, 6])
def test_a_rating_outside_1_to_5_is_refused_with_nothing_saved(kicked_off, mentor_account, rating):
    refused(log_checkin, "from 1 to 5", pair=kicked_off, by=mentor_account, wellbeing_rating=rating)
    assert not CheckIn.objects.exists()
    kicked_off.refresh_from_db()
    assert kicked_off.status == Pair.Status.KICKED_OFF


def test_a_check_in_needs_the_kick_off_first(proposed, mentor_account):
    refused(log_checkin, "kick-off before the first check-in", pair=proposed, by=mentor_account)


def test_another_employers_contact_cannot_log_a_check_in(kicked_off, employer_contact2):
    refused(
        checkin_log,
        "not one of yours",
        pair=kicked_off,
        by=employer_contact2,
        held_on=timezone.localdate(),
    )


# --- Concerns ---------------------------------------------------------------------------------


def test_a_concern_needs_a_description(kicked_off, mentor_account):
    refused(
        concern_raise,
        "worries you",
        pair=kicked_off,
        by=mentor_account,
        what=" ",
        needs_help_today=True,
    )
    assert not Concern.objects.exists()


# --- Who sees which pair ------------------------------------------------------------------------


def test_a_mentor_sees_only_their_own_pairs(
    kicked_off, mentor_account, employer, jw_rotterdam, coord_rotterdam
):
    youth = YoungPersonFactory(youth_worker=jw_rotterdam)
    give_buddy_consent(youth)
    other = pair_propose(
        placement=PlacementFactory(youth=youth, opening=OpeningFactory(employer=employer)),
        mentor=MentorFactory(employer=employer),
        by=coord_rotterdam,
    )
    assert list(pairs_visible_to(mentor_account)) == [kicked_off]
    assert other in pairs_visible_to(coord_rotterdam)


def test_other_scopes_see_no_pair(kicked_off, cast):
    assert kicked_off in pairs_visible_to(cast["admin"])
    assert kicked_off in pairs_visible_to(cast["jw_rotterdam"])
    for name in ("coord_dordrecht", "jw_dordrecht", "employer1", "employer2"):
        assert not pairs_visible_to(cast[name]).exists(), name
