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


@dataclass(frozen=True)
class YouthErased(Event):
    """A young person was anonymised in place (AVG erasure, or the retention period ran out).
    Every app overwrites the personal data in its own rows about them (see
    restart_platform/privacy.py) and cancels what it still planned to send about them.
    `identifiers` are the words that named them (names, e-mail, phone), to find them in free
    text that is not tied to a row; the record itself is already being overwritten."""

    youth: YoungPerson
    by: User | None
    identifiers: tuple[str, ...]
