"""Two people editing the same record: the second to save is told, and nothing is overwritten.

An edit form carries a fingerprint of the record's stored values of the fields it edits, taken
when the page was shown (a hidden field, `shown_as`). Saving compares it twice: when the form is
cleaned (against the row as this request loaded it) and again inside the save's transaction,
with the row locked (`save_if_unchanged`), so two saves at the same moment cannot both pass. A
form whose record changed meanwhile, or whose fingerprint is missing or garbled (a tab opened
before this guard, a hand-made POST), is refused with a message. The person's input stays in
the form; each field where it differs from what is stored now says what is stored, and the form
carries the new fingerprint, so saving again is a choice made after looking.

A one-click action (move a stage, change a journey, set a next action) has no edit page of its
own: its small form carries the fingerprint of the fields it acts on (`ShownRecordMixin`, or the
`{% shown_as %}` tag where a page renders the form by hand), and the service compares it with the
row it has locked (`refuse_if_changed`).

The fingerprint covers only the fields the form edits: a change elsewhere (a reminder worker
stamping a date, another form's fields) does not make the page stale. No migration is needed;
the young person's profile and the intake record keep the version column they had first.
"""

import hashlib
import json
from collections.abc import Callable, Iterable
from typing import ClassVar, TypeVar

from django import forms, template
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.forms.utils import ErrorDict
from django.http import Http404
from django.utils.formats import localize
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

FINGERPRINT_FIELD = "shown_as"
STALE_MESSAGE = _(
    "Someone else changed this in the meantime. Nothing is overwritten: look at the new details "
    "and save again."
)
STORED_NOW = _("Stored now: %(value)s")
EMPTY = _("(empty)")

register = template.Library()

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
        """Refuse: the message on top, the person's input kept, and under each field where it
        differs from what is stored now, the stored value. The form carries the fingerprint of
        the row as it is now, so saving again after looking is a deliberate choice."""
        record = self.guarded_record()
        record.refresh_from_db()
        args, kwargs = self._called_with
        args = tuple(None if index < 2 else arg for index, arg in enumerate(args))
        kwargs.pop("data", None)
        kwargs.pop("files", None)
        stored = type(self)(*args, **kwargs)  # the page as it would be shown now
        self.stale = True
        self.cleaned_data = {}
        self.data = self.data.copy()
        self.data[self.add_prefix(FINGERPRINT_FIELD)] = stored.loaded_fingerprint()
        self.stored_now = {}
        for name, field in self.fields.items():
            if name == FINGERPRINT_FIELD or name not in stored.fields:
                continue
            value = stored[name].value()
            if field.has_changed(value, self[name].data):
                self.stored_now[name] = _shown_value(stored.fields[name], value)
                note = format_html("{}", STORED_NOW % {"value": self.stored_now[name]})
                field.help_text = format_html("{} {}", note, field.help_text or "")
                self._bound_fields_cache.pop(name, None)  # it copied the help text
        self._errors = ErrorDict(
            {
                forms.forms.NON_FIELD_ERRORS: self.error_class(
                    [STALE_MESSAGE], error_class="nonfield", renderer=self.renderer
                )
            }
        )


def _shown_value(field: forms.Field, value) -> str:
    """A stored value as the person would recognise it: a choice by its label."""
    values = value if isinstance(value, list | tuple) else [value]
    values = [item for item in values if item not in (None, "")]
    if not values:
        return str(EMPTY)
    labels = {}
    for choice, label in getattr(field, "choices", ()):
        if isinstance(label, list | tuple):  # a group of choices
            labels.update({str(key): text for key, text in label})
        else:
            labels[str(getattr(choice, "value", choice))] = label
    return ", ".join(str(labels.get(str(item), localize(item))) for item in values)


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


class ShownRecordMixin:
    """A one-click form over a record (move a stage, set a next action): it carries the
    fingerprint of the record's `acts_on` fields as the page showed them. The view hands
    `shown()` to the service, which calls `refuse_if_changed` on the row it has locked."""

    acts_on: ClassVar[tuple[str, ...]] = ()

    def __init__(self, *args, record: models.Model | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        shown = fingerprint(record, self.acts_on) if record is not None else ""
        self.fields[FINGERPRINT_FIELD] = forms.CharField(
            widget=forms.HiddenInput, required=False, initial=shown
        )

    def shown(self) -> str:
        return str(self.data.get(self.add_prefix(FINGERPRINT_FIELD), ""))[:64]

    def show_current(self) -> None:
        """After a refusal, on a page that shows the form again: the input stays, and the form
        now carries the record as this request loaded it, so sending it again is a choice."""
        if self.is_bound:
            self.data = self.data.copy()
            self.data[self.add_prefix(FINGERPRINT_FIELD)] = self.fields[FINGERPRINT_FIELD].initial


def refuse_if_changed(record: models.Model, fields: Iterable[str], shown: str | None) -> None:
    """For a one-click action, on the row the caller has locked: refuse with the message unless
    the page showed `fields` as they are now. `shown` None is a caller without a page (another
    service, a command), which acts on the row as it is."""
    if shown is not None and shown != fingerprint(record, fields):
        raise ValidationError(STALE_MESSAGE, code="stale")


@register.simple_tag
def shown_as(record: models.Model, *fields: str) -> str:
    """The hidden fingerprint input of a one-click form a template writes by hand."""
    return format_html(
        '<input type="hidden" name="{}" value="{}">', FINGERPRINT_FIELD, fingerprint(record, fields)
    )
