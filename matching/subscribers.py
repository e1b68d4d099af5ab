"""What the matching app does when something happens in the apps below it (docs/events.md)."""

from intake.events import IntakeScheduled
from restart_platform.events import subscribe
from youth.events import ConsentWithdrawn, YouthErased, YouthMerged

from . import services


@subscribe(ConsentWithdrawn)
def stop_sharing_without_consent(event: ConsentWithdrawn) -> None:
    services.shares_stop_on_consent_withdrawn(consent=event.consent, by=event.by)


@subscribe(YouthMerged)
def move_matching_records_to_record_kept(event: YouthMerged) -> None:
    services.matching_move_records(from_youth=event.duplicate, to_youth=event.keep, by=event.by)


@subscribe(YouthErased)
def erase_matching_records(event: YouthErased) -> None:
    services.matching_erase_records(youth=event.youth, by=event.by)


@subscribe(IntakeScheduled)
def link_interested_share_to_intake(event: IntakeScheduled) -> None:
    services.share_link_intake(meeting=event.meeting)
