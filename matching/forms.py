import datetime as dt
from typing import ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.models import City
from restart_platform.dates import DateKind
from restart_platform.forms import DATE_INPUT, BoundedInputMixin
from restart_platform.stale_edits import ShownRecordMixin

from .models import Placement, ProposalRow, Share

# --- Shortlists and shares ---------------------------------------------------------------------


class ShortlistForm(BoundedInputMixin, forms.Form):
    """Shortlist a suggestion; for a lower-ranked one, why (kept, and read back later)."""

    reason = forms.CharField(
        label=_("Why this one"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Choosing a lower-ranked suggestion: say why."),
    )


class ShareFilterForm(BoundedInputMixin, forms.Form):
    """The shared profiles on the matching page, by status and by the employer's answer."""

    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All")), *Share.Status.choices], required=False
    )
    answer = forms.ChoiceField(
        label=_("Employer's answer"),
        choices=[("", _("All")), *Share.Answer.choices],
        required=False,
    )


class ShareWithdrawForm(BoundedInputMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why is the profile withdrawn?"),
        max_length=200,
        help_text=_("The employer sees only that the candidate is no longer available."),
    )


class CandidateAnswerForm(ShownRecordMixin, BoundedInputMixin, forms.Form):
    """The employer's answer on a candidate: interested, or not now with a reason. Two
    contacts of one employer answering at once: the second is told, nothing is overwritten."""

    acts_on = ("answer", "answer_reason")

    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (Share.Answer.INTERESTED, _("Interested: we would like to meet")),
            (Share.Answer.NOT_NOW, _("Not now")),
        ],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_('Needed for "not now": it helps the coordinator make a better proposal.'),
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == Share.Answer.NOT_NOW and not data.get("reason", "").strip():
            self.add_error("reason", _("Say why not now."))
        return data


# --- Placements and their follow-ups -----------------------------------------------------------


class PlacementFilterForm(BoundedInputMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, help_text=_("Young person, opening or employer")
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Placement.Status.choices],
        required=False,
    )
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("All cities")
    )
    follow_up_due = forms.BooleanField(label=_("Follow-up due"), required=False)

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities


class YouthChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, youth) -> str:
        return f"{youth} ({youth.case_reference}, {youth.city})"


class OpeningChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, opening) -> str:
        free = opening.places - opening.filled_places
        return _("%(title)s at %(employer)s (%(free)s of %(places)s places free)") % {
            "title": opening.title,
            "employer": opening.employer.name,
            "free": free,
            "places": opening.places,
        }


class PlacementForm(BoundedInputMixin, forms.Form):
    youth = YouthChoiceField(label=_("Young person"), queryset=None)
    opening = OpeningChoiceField(label=_("Opening"), queryset=None)
    start_date = forms.DateField(label=_("Start date"), widget=DATE_INPUT)
    hours_per_week = forms.IntegerField(label=_("Hours a week"), min_value=1, max_value=60)
    agreement = forms.ChoiceField(
        label=_("Contract or agreement"), choices=Placement.Agreement.choices
    )

    def __init__(self, *args, youth, openings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youth
        self.fields["opening"].queryset = openings


class PlacementEndForm(BoundedInputMixin, forms.Form):
    date_kinds: ClassVar[dict[str, DateKind]] = {"ended_on": DateKind.HAPPENED}

    ended_on = forms.DateField(label=_("Ended on"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("Why did it end?"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].initial = timezone.localdate()

    def clean_ended_on(self) -> dt.date:
        ended_on = self.cleaned_data["ended_on"]
        if ended_on > timezone.localdate():
            raise forms.ValidationError(_("Record an end once it happened, not ahead."))
        return ended_on


class FollowUpAnswerForm(BoundedInputMixin, forms.Form):
    still_there = forms.TypedChoiceField(
        label=_("Is the young person still at the workplace?"),
        choices=[("yes", _("Yes, still there")), ("no", _("No, no longer there"))],
        coerce=lambda answer: answer == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("If not, why?"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Answering no ends the placement today."),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("still_there") is False and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Say why the young person is no longer there."))
        return cleaned


# --- Assignment proposals ----------------------------------------------------------------------


class ProposalRequestForm(BoundedInputMixin, forms.Form):
    city = forms.ModelChoiceField(
        label=_("City"),
        queryset=City.objects.none(),
        empty_label=None,
        help_text=_("Every active young person and every free place of an open opening there."),
    )

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities


class ProposalRowFilterForm(BoundedInputMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    decision = forms.ChoiceField(
        label=_("Decision"),
        choices=[("", _("All")), *ProposalRow.Decision.choices],
        required=False,
    )


class ProposalDecisionForm(BoundedInputMixin, forms.Form):
    decision = forms.ChoiceField(choices=[("accept", _("Accept")), ("reject", _("Reject"))])
