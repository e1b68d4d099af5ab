"""Form pieces every app uses."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class LoggedAfterwardsForm(forms.ModelForm):
    """A log entry of something that happened (a call, a visit): dated today or earlier.

    The model form's Meta names a `date` field.
    """

    future_date_message = _("This is logged after it happened; the date cannot be in the future.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()

    def clean_date(self) -> dt.date:
        date = self.cleaned_data["date"]
        if date > timezone.localdate():
            raise forms.ValidationError(self.future_date_message)
        return date
