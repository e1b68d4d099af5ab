"""Two people editing the same record: the second to save is told, and nothing is overwritten.

An edit form carries a fingerprint of the record's stored values of the fields it edits, taken
when the page was shown (a hidden field, `shown_as`). Saving compares it twice: when the form is
cleaned (against the row as this request loaded it) and again inside the save's transaction,
with the row locked (`save_if_unchanged`), so two saves at the same moment cannot both pass. A
form whose record changed meanwhile, or whose fingerprint is missing or garbled (a tab opened
before this guard, a hand-made POST), is refused with a message and shows the stored values.

The fingerprint covers only the fields the form edits: a change elsewhere (a reminder worker
stamping a date, another form's fields) does not make the page stale. No migration is needed;
the young person's profile and the intake record keep the version column they had first.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import ClassVar, TypeVar

from django import forms
from django.db import models, transaction
from django.forms.utils import ErrorDict
from django.http import Http404
from django.utils.translation import gettext_lazy as _

FINGERPRINT_FIELD = "shown_as"
STALE_MESSAGE = _(
    "Someone else changed this in the meantime. Nothing is overwritten: look at the new details "
    "and save again."
)

T = TypeVar("T")


def fingerprint(record: models.Model, fields: Iterable[str]) -> str:
    """A short hash of the record's stored values of `fields` (many-to-many as sorted ids)."""
    values = {}
    for name in sorted(fields):
        field = record._meta.get_field(name)
        if field.many_to_many:
            values[name] = sorted(getattr(record, name).values_list("pk", flat=True))
        else:
            values[name] = field.value_from_object(record)
    return fingerprint_values(record, values)


def fingerprint_values(record: models.Model, values) -> str:
    """A short hash of what a page shows of `record` (any JSON-able values)."""
    payload = json.dumps([record._meta.label, record.pk, values], sort_keys=True, default=str)
    return hashlib.sha256(payload.encode()).hexdigest()[:32]


class UnchangedSinceShownMixin:
    """An edit form that refuses to save over a change made after it was shown.

    A model form guards its instance over the model fields it shows. A form of another kind
    names them: `guarded_record()` returns the record, `guarded_fields` its fields; a form over
    several rows overrides `fingerprint_of(record)`. A record not saved yet has nothing to guard.
    Forms list the mixin first: `class XForm(UnchangedSinceShownMixin, ..., forms.ModelForm)`.
    """

    guarded_fields: ClassVar[tuple[str, ...]] = ()

    def __new__(cls, *args, **kwargs):
        form = super().__new__(cls)
        # As the view called it: a stale form is built again from the same, unbound.
        form._called_with = (args, dict(kwargs))
        return form

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.stale = False
        self._loaded_fingerprint = None
        record = self.guarded_record()
        if record is not None and record.pk is not None:
            # Taken when first asked (the page renders, the form is cleaned): by then a form's
            # own __init__ has added all its fields, and the record is still as loaded.
            self.fields[FINGERPRINT_FIELD] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=self.loaded_fingerprint
            )

    def loaded_fingerprint(self) -> str:
        """The fingerprint of the record as this request loaded it."""
        if self._loaded_fingerprint is None:
            self._loaded_fingerprint = self.fingerprint_of(self.guarded_record())
        return self._loaded_fingerprint

    def guarded_record(self) -> models.Model | None:
        return getattr(self, "instance", None)

    def fingerprint_of(self, record: models.Model) -> str:
        """What the page shows of the record; a form over several rows hashes those."""
        return fingerprint(record, self._guarded_names(record))

    def _guarded_names(self, record: models.Model) -> list[str]:
        if self.guarded_fields:
            return list(self.guarded_fields)
        names = {field.name for field in record._meta.get_fields() if field.concrete}
        names |= {field.name for field in record._meta.many_to_many}
        return [name for name in self.fields if name in names]

    def is_guarded(self) -> bool:
        return FINGERPRINT_FIELD in self.fields

    def posted_fingerprint(self) -> str:
        return str(self.data.get(FINGERPRINT_FIELD, ""))[:64]

    def changed_since_shown(self, *, lock: bool = False) -> bool:
        """Whether the stored row differs from what the page showed; with `lock`, the row is
        read again and locked until the caller's transaction ends."""
        record = self.guarded_record()
        if lock:
            rows = type(record)._default_manager.select_for_update().filter(pk=record.pk)
            record = rows.first()
            if record is None:  # removed meanwhile: the page is gone, as on its next load
                raise Http404
            now = self.fingerprint_of(record)
        else:
            now = self.loaded_fingerprint()
        return self.posted_fingerprint() != now

    def full_clean(self):
        if not self.is_bound or not self.is_guarded():
            super().full_clean()
            return
        self.loaded_fingerprint()  # before cleaning writes the posted values into the instance
        super().full_clean()
        # The fingerprint is the guard's, not a value for the service.
        getattr(self, "cleaned_data", {}).pop(FINGERPRINT_FIELD, None)
        if self.changed_since_shown():
            self.show_stored()

    def show_stored(self) -> None:
        """Refuse: the form becomes the page as it is now (the stored values, a fingerprint of
        them), with the message on top. Saving again after looking is a deliberate choice."""
        record = self.guarded_record()
        record.refresh_from_db()
        args, kwargs = self._called_with
        args = tuple(None if index < 2 else arg for index, arg in enumerate(args))
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        fresh = type(self)(*args, **kwargs)
        self.__dict__.update(fresh.__dict__)
        self.stale = True
        self.cleaned_data = {}
        self._errors = ErrorDict(
            {
                forms.forms.NON_FIELD_ERRORS: self.error_class(
                    [STALE_MESSAGE], error_class="nonfield", renderer=self.renderer
                )
            }
        )


def save_if_unchanged(form: UnchangedSinceShownMixin, save: Callable[[], T]) -> T | None:
    """Run `save` in one transaction with the row locked, if the row is still as the form showed
    it; otherwise save nothing, the form shows the stored values with the message, and None."""
    if not form.is_guarded():
        return save()
    with transaction.atomic():
        if not form.changed_since_shown(lock=True):
            return save()
    form.show_stored()
    return None
