"""Form pieces every app uses."""

import datetime as dt
from typing import ClassVar

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .dates import DateKind, check_plausible_date

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

# Free text without a limit of its own: a note, a summary, a reason, a search.
TEXT_MAX_LENGTH = 5_000
LINE_MAX_LENGTH = 300


class BoundedInputMixin:
    """What a person types stays within bounds, with a Dutch message beside the field.

    Every text field without a limit of its own gets one (a textarea 5,000 characters, a line
    300): the database takes any length, a page and an e-mail do not. Every date field must lie
    in the plausible range of its kind (`date_kinds`; unnamed dates are PLANNED: from 2000 to
    ten years ahead), so a year 9999 never reaches a service that adds to it. The limit lives
    in the forms rather than in each model's max_length, so no app needs a migration.
    Forms list the mixin first: `class XForm(BoundedInputMixin, forms.Form)`.
    """

    date_kinds: ClassVar[dict[str, DateKind]] = {}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.CharField) and field.max_length is None:
                limit = (
                    TEXT_MAX_LENGTH if isinstance(field.widget, forms.Textarea) else LINE_MAX_LENGTH
                )
                field.max_length = limit
                field.validators.append(MaxLengthValidator(limit))
                field.widget.attrs["maxlength"] = str(limit)

    def clean(self):
        cleaned = super().clean()
        for name, field in self.fields.items():
            if isinstance(field, forms.DateField) and cleaned.get(name) is not None:
                try:
                    check_plausible_date(cleaned[name], self.date_kinds.get(name, DateKind.PLANNED))
                except ValidationError as exc:
                    self.add_error(name, exc)
        return cleaned


class LoggedAfterwardsForm(BoundedInputMixin, forms.ModelForm):
    """A log entry of something that happened (a call, a visit): dated today or earlier.

    The model form's Meta names a `date` field.
    """

    future_date_message = _("This is logged after it happened; the date cannot be in the future.")
    date_kinds: ClassVar[dict[str, DateKind]] = {"date": DateKind.HAPPENED}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self) -> dt.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(self.future_date_message)
        return date
