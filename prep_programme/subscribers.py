"""What the pre-employment programme does when something happens below it (docs/events.md)."""

from intake.events import IntakeFinished
from matching.events import PlacementEnded, PlacementStarted
from restart_platform.events import subscribe
from youth.events import YouthErased, YouthMerged

from . import services


@subscribe(YouthMerged)
def move_participations_to_record_kept(event: YouthMerged) -> None:
    services.participations_move(from_youth=event.duplicate, to_youth=event.keep, by=event.by)


@subscribe(YouthErased)
def erase_programme_records(event: YouthErased) -> None:
    services.participations_erase(youth=event.youth)


@subscribe(IntakeFinished)
def propose_enrolment_after_intake(event: IntakeFinished) -> None:
    services.enrolment_propose(record=event.record)


@subscribe(PlacementStarted)
def propose_phase_3_for_the_placement(event: PlacementStarted) -> None:
    services.placement_started(placement=event.placement, by=event.by)


@subscribe(PlacementEnded)
def ask_the_coaches_when_phase_3_ends(event: PlacementEnded) -> None:
    services.placement_ended(placement=event.placement, by=event.by)
