"""What the youth app tells the apps built on it (see restart_platform/events.py)."""

from dataclasses import dataclass

from restart_platform.accounts.models import User
from restart_platform.events import Event

from .models import Consent, YoungPerson


@dataclass(frozen=True)
class YouthMerged(Event):
    """A duplicate record was folded into the one kept. Every app moves the duplicate's rows to
    `keep` through its own services; the duplicate stays, marked as merged, and owns nothing."""

    keep: YoungPerson
    duplicate: YoungPerson
    by: User


@dataclass(frozen=True)
class ConsentWithdrawn(Event):
    """A young person withdrew a consent. Whatever relied on it stops in the same transaction."""

    consent: Consent
    by: User | None
