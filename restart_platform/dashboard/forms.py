"""The dashboard's forms: the period and city of the figures, the employer pitch's city, the
stories, and the AVG pages (erasure and the audit trail)."""

import datetime as dt
from typing import ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.models import City, User
from restart_platform.dates import DateKind
from restart_platform.forms import DATE_INPUT, BoundedInputMixin
from restart_platform.stale_edits import UnchangedSinceShownMixin
from youth.models import YoungPerson

from .avg import AUDIT_ACTIONS
from .kpis import Period, this_year
from .models import STORY_MAX_LENGTH, Story


class KpiFilterForm(BoundedInputMixin, forms.Form):
    """A city of the user's (or all of them) and a period; this year unless chosen."""

    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("All cities")
    )
    start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), widget=DATE_INPUT)
    date_kinds: ClassVar[dict[str, DateKind]] = {
        "start": DateKind.PLANNED,
        "end": DateKind.PLANNED,
    }

    def __init__(self, data, *, cities, today: dt.date):
        default = this_year(today)
        data = data.copy()
        for name, value in (("start", default.start), ("end", default.end)):
            if not data.get(name):
                data[name] = value.isoformat()
        super().__init__(data)
        self.fields["city"].queryset = cities

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and start > end:
            self.add_error("end", _("The end of the period lies on or after its start."))
        return cleaned

    def period(self) -> Period:
        return Period(self.cleaned_data["start"], self.cleaned_data["end"])


class PitchForm(BoundedInputMixin, forms.Form):
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("All cities")
    )

    def __init__(self, data, *, cities):
        super().__init__(data)
        self.fields["city"].queryset = cities


class StoryFilterForm(BoundedInputMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    shareable = forms.ChoiceField(
        label=_("Shareable"),
        required=False,
        choices=[("", _("All")), ("yes", _("Shareable")), ("no", _("Not shareable"))],
    )


class StoryForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = Story
        fields = ["youth", "title", "text", "is_shareable"]
        widgets = {"text": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, youth: QuerySet[YoungPerson], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youth
        self.fields["text"].help_text = gettext(
            "Write without names, addresses, schools or anything else by which someone could "
            "recognise the young person: employers will read this. At most %(max)s characters."
        ) % {"max": STORY_MAX_LENGTH}
        self.fields["is_shareable"].help_text = gettext(
            "Shown in the employer pitch only while the young person's consent \"use in "
            'anonymous reports" is active.'
        )


class EraseForm(BoundedInputMixin, forms.Form):
    """Erasure cannot be undone: the person types the case reference to say they mean it."""

    confirm = forms.CharField(
        label=_("Type the case reference to confirm"), max_length=20, strip=True
    )
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, reference: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.reference = reference

    def clean_confirm(self):
        value = self.cleaned_data["confirm"]
        if value.upper() != self.reference.upper():
            raise forms.ValidationError(
                _("Type %(reference)s exactly to confirm.") % {"reference": self.reference}
            )
        return value

    def clean_reason(self):
        value = self.cleaned_data["reason"].strip()
        if not value:
            raise forms.ValidationError(_("Say why this young person is anonymised."))
        return value


class AuditFilterForm(BoundedInputMixin, forms.Form):
    date_kinds = {"since": DateKind.HAPPENED, "until": DateKind.HAPPENED}

    actor = forms.ModelChoiceField(
        label=_("Who"), queryset=User.objects.none(), required=False, empty_label=_("Everyone")
    )
    youth = forms.CharField(label=_("Young person (case reference)"), required=False, max_length=20)
    action = forms.ChoiceField(label=_("Action"), required=False)
    since = forms.DateField(
        label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    until = forms.DateField(
        label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args, actors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["actor"].queryset = actors
        self.fields["action"].choices = [("", _("All actions")), *AUDIT_ACTIONS.items()]

    def clean(self):
        cleaned = super().clean()
        since, until = cleaned.get("since"), cleaned.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end of the period lies before its start."))
        return cleaned
