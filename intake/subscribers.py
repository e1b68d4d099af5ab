"""What the intake app does when something happens in the apps below it (docs/events.md)."""

from restart_platform.events import subscribe
from youth.events import YouthErased, YouthMerged

from . import services


@subscribe(YouthMerged)
def move_intakes_to_record_kept(event: YouthMerged) -> None:
    services.intakes_move(from_youth=event.duplicate, to_youth=event.keep)


@subscribe(YouthErased)
def erase_intake_records(event: YouthErased) -> None:
    services.intakes_erase(youth=event.youth)
