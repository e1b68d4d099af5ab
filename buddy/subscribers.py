"""What the buddy app does when something happens in the apps below it (docs/events.md)."""

from matching.events import PlacementEnded
from restart_platform.events import subscribe
from youth.events import ConsentWithdrawn, YouthErased, YouthMerged

from . import services


@subscribe(ConsentWithdrawn)
def stop_sharing_without_buddy_consent(event: ConsentWithdrawn) -> None:
    services.pairs_stop_sharing_on_consent_withdrawn(consent=event.consent, by=event.by)


@subscribe(YouthMerged)
def move_buddy_records_to_record_kept(event: YouthMerged) -> None:
    services.buddy_move_records(from_youth=event.duplicate, to_youth=event.keep, by=event.by)


@subscribe(YouthErased)
def erase_buddy_records(event: YouthErased) -> None:
    services.buddy_records_erase(youth=event.youth)


@subscribe(PlacementEnded)
def ask_to_close_or_continue_the_pair(event: PlacementEnded) -> None:
    services.pairs_ask_after_placement_ended(placement=event.placement)
