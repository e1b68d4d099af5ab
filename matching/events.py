"""What the matching app tells the apps built on it (see restart_platform/events.py)."""

from dataclasses import dataclass

from restart_platform.accounts.models import User
from restart_platform.events import Event

from .models import Placement


@dataclass(frozen=True)
class PlacementStarted(Event):
    """A young person was placed at an opening; its follow-ups are planned."""

    placement: Placement
    by: User


@dataclass(frozen=True)
class PlacementEnded(Event):
    """A placement ended (its place is free again); whatever ran alongside it is asked to
    close or continue."""

    placement: Placement
    by: User
