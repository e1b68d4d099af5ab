"""Forms of the dashboard's own pages (the AVG pages)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.models import User
from restart_platform.dates import DateKind
from restart_platform.forms import BoundedInputMixin

from .avg import AUDIT_ACTIONS


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
