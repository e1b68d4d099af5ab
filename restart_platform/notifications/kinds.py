"""What a reminder is about, as the e-mail and the notification name it.

Apps register their kinds in their AppConfig.ready(). A title may use %(reference)s: the
record's case reference or first name, never a sensitive detail, and never a case reference
to an employer contact.

A reminder's record (its target) may offer:
  reminder_recipient(role) -> User | None   who holds that role on the record now
  reminder_reference(recipient) -> str      a first name or case reference for the e-mail; a
                                            case reference only to those who may see one
                                            (accounts.access.may_see_case_reference)
  reminder_still_needed(kind) -> bool       False cancels the reminder instead of sending it
  get_absolute_url() -> str                 where the notification leads
  reminder_attachments(kind, recipient)     files for the e-mail: [(filename, bytes, mimetype)]
"""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ReminderKind:
    key: str
    title: str | Promise


_KINDS: dict[str, ReminderKind] = {}


def register_kind(key: str, *, title: str | Promise) -> ReminderKind:
    kind = _KINDS[key] = ReminderKind(key=key, title=title)
    return kind


def kind_title(key: str, *, reference: str) -> str:
    kind = _KINDS.get(key, _KINDS["general"])
    return str(kind.title) % {"reference": reference}


def known_kinds() -> list[ReminderKind]:
    return sorted(_KINDS.values(), key=lambda kind: kind.key)


register_kind("general", title=_("Reminder about %(reference)s"))
register_kind("notifications.test", title=_("Test reminder: the reminders work"))
