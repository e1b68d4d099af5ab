"""The filter of the fidelity page: a city of the user's and a period."""

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.access import cities_for, is_admin
from restart_platform.forms import DATE_INPUT, BoundedInputMixin


def this_year(today: dt.date) -> tuple[dt.date, dt.date]:
    return dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)


class FidelityFilterForm(BoundedInputMixin, forms.Form):
    """Unbound or with empty dates, the period is this year; without a city, all the user's."""

    city = forms.ModelChoiceField(
        label=_("City"), queryset=None, required=False, empty_label=_("All my cities")
    )
    start = forms.DateField(label=_("From"), required=False, widget=DATE_INPUT)
    end = forms.DateField(label=_("Up to and including"), required=False, widget=DATE_INPUT)

    def __init__(self, *args, user, today: dt.date, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.today = user, today
        self.fields["city"].queryset = cities_for(user).order_by("name")
        first, last = this_year(today)
        self.fields["start"].widget.attrs["placeholder"] = first.isoformat()
        self.fields["end"].widget.attrs["placeholder"] = last.isoformat()

    def clean(self):
        cleaned = super().clean()
        first, last = this_year(self.today)
        if not self.errors:
            cleaned["start"] = cleaned.get("start") or first
            cleaned["end"] = cleaned.get("end") or last
            if cleaned["start"] > cleaned["end"]:
                self.add_error("end", _("The end of the period lies before its start."))
        return cleaned

    def city_ids(self) -> tuple[int, ...]:
        """The chosen city, or all the user's (the form only offers theirs)."""
        city = self.cleaned_data.get("city")
        if city is not None:
            return (city.pk,)
        return tuple(self.fields["city"].queryset.values_list("pk", flat=True))

    def every_city(self) -> bool:
        """No city chosen by someone who sees them all (`cities_for` gives an admin every one)."""
        return self.cleaned_data.get("city") is None and is_admin(self.user)
