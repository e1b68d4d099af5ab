"""What the intake app tells the apps built on it (see restart_platform/events.py)."""

from dataclasses import dataclass

from restart_platform.accounts.models import User
from restart_platform.events import Event

from .models import IntakeMeeting, IntakeRecord


@dataclass(frozen=True)
class IntakeScheduled(Event):
    """An intake meeting was planned (its invitations are in the outbox)."""

    meeting: IntakeMeeting
    by: User


@dataclass(frozen=True)
class IntakeFinished(Event):
    """An intake record was finished: its outcome and next step are final."""

    record: IntakeRecord
    by: User
