"""What the dashboard does when something happens below it (docs/events.md)."""

from restart_platform.events import subscribe
from youth.events import YouthErased, YouthMerged

from . import services


@subscribe(YouthMerged)
def move_stories_to_record_kept(event: YouthMerged) -> None:
    services.stories_move(from_youth=event.duplicate, to_youth=event.keep, by=event.by)


@subscribe(YouthErased)
def erase_stories(event: YouthErased) -> None:
    services.stories_erase(youth=event.youth)
