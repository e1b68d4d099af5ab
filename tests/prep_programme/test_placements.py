"""Phase 3 is a placement: matching's PlacementStarted proposes it, PlacementEnded asks the
coaches; a person still moves the phase."""

import pytest
from django.urls import reverse
from django.utils import timezone

from matching.services import placement_end
from prep_programme import services
from prep_programme.factories import CohortFactory
from restart_platform.notifications.models import Reminder

from .conftest import place


@pytest.fixture
def running(programme, rotterdam, coord_rotterdam):
    cohort = CohortFactory(programme=programme, city=rotterdam)
    cohort.coaches.add(coord_rotterdam)
    return cohort


@pytest.fixture
def participant(running, youth, coord_rotterdam):
    return services.participant_enrol(cohort=running, youth=youth, by=coord_rotterdam)


def proposals():
    return Reminder.objects.filter(kind="prep.placement_to_link", status=Reminder.Status.PENDING)


def test_a_placement_in_phase_2_proposes_phase_3_to_the_coach_and_moves_nothing(
    participant, coord_rotterdam
):
    services.participant_move_phase(
        participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
    )
    placement = place(participant.youth, by=coord_rotterdam)
    [reminder] = proposals()
    assert reminder.recipient == coord_rotterdam
    assert reminder.link == (
        reverse("prep_programme:participant_move_phase", args=[participant.pk])
        + f"?placement={placement.pk}"
    )
    participant.refresh_from_db()
    assert (participant.phase, participant.placement) == (2, None)  # a person decides


def test_moving_to_phase_3_with_the_proposed_placement_settles_the_proposal(
    participant, coord_rotterdam
):
    services.participant_move_phase(
        participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
    )
    placement = place(participant.youth, by=coord_rotterdam)
    services.participant_move_phase(
        participant=participant, to_phase=3, note="Klaar", by=coord_rotterdam, placement=placement
    )
    assert not proposals().exists()


def test_a_placement_in_phase_1_proposes_nothing(participant, coord_rotterdam):
    place(participant.youth, by=coord_rotterdam)
    assert not proposals().exists()
    participant.refresh_from_db()
    assert participant.placement is None


def test_a_cohort_without_coaches_asks_the_youth_worker(
    programme, rotterdam, youth, coord_rotterdam, jw_rotterdam
):
    cohort = CohortFactory(programme=programme, city=rotterdam)
    participant = services.participant_enrol(cohort=cohort, youth=youth, by=coord_rotterdam)
    services.participant_move_phase(
        participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
    )
    place(youth, by=coord_rotterdam)
    [reminder] = proposals()
    assert (reminder.recipient_role, reminder.target) == ("youth_worker", participant)


def test_when_the_phase_3_placement_ends_the_coach_is_asked_and_a_new_one_is_linked(
    participant, coord_rotterdam
):
    services.participant_move_phase(
        participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
    )
    first = place(participant.youth, by=coord_rotterdam)
    services.participant_move_phase(
        participant=participant, to_phase=3, note="Klaar", by=coord_rotterdam, placement=first
    )
    placement_end(
        placement=first, by=coord_rotterdam, ended_on=timezone.localdate(), reason="Te zwaar"
    )
    ended = Reminder.objects.filter(kind="prep.placement_ended", status=Reminder.Status.PENDING)
    assert [reminder.recipient for reminder in ended] == [coord_rotterdam]
    second = place(participant.youth, by=coord_rotterdam)
    participant.refresh_from_db()
    assert (participant.phase, participant.placement) == (3, second)
    assert not ended.all().exists()  # linked: nothing left to ask


def test_a_placement_ended_before_the_move_withdraws_the_proposal(participant, coord_rotterdam):
    services.participant_move_phase(
        participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
    )
    placement = place(participant.youth, by=coord_rotterdam)
    placement_end(
        placement=placement, by=coord_rotterdam, ended_on=timezone.localdate(), reason="Gestopt"
    )
    assert not proposals().exists()


def test_the_proposal_is_no_longer_needed_once_the_participant_moved_on(
    participant, coord_rotterdam
):
    services.participant_move_phase(
        participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
    )
    place(participant.youth, by=coord_rotterdam)
    participant.refresh_from_db()
    assert participant.reminder_still_needed("prep.placement_to_link")
    services.participant_leave(participant=participant, reason="Verhuisd", by=coord_rotterdam)
    participant.refresh_from_db()
    assert not participant.reminder_still_needed("prep.placement_to_link")
