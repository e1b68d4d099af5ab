"""The buddy programme's forms. Every choice list comes from what the user may see; the
services check again, so a posted id from elsewhere is refused there too."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CheckIn, Mentor, Pair


class DateInput(forms.DateInput):
    input_type = "date"


class PairFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, help_text=_("Young person, mentor or employer")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Pair.Status.choices], required=False
    )


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, mentor) -> str:
        return f"{mentor.name} ({mentor.job_title})"


class PairProposeForm(forms.Form):
    mentor = MentorChoiceField(
        label=_("Mentor"),
        queryset=Mentor.objects.none(),
        error_messages={"invalid_choice": _("Choose a mentor from the list.")},
    )

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors


class PairKickoffForm(forms.Form):
    held_on = forms.DateField(label=_("Kick-off held on"), widget=DateInput)
    agreements = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 3})
    )
    onboarding_organisation = forms.CharField(
        label=_("Finding one's way in the organisation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    onboarding_culture = forms.CharField(
        label=_("The organisation's culture"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    onboarding_practical = forms.CharField(
        label=_("Practical matters (bank account, insurance, transport, housing, money)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    checkin_every_weeks = forms.IntegerField(
        label=_("Check-in every (weeks)"), min_value=1, max_value=12, initial=4
    )

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("The kick-off cannot be in the future."))
        return held_on


class PairCloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Reason for closing"), choices=[("", "---------"), *Pair.CloseReason.choices]
    )
    conversation = forms.CharField(
        label=_("Closing conversation"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What did the young person and the mentor say looking back?"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].error_messages["required"] = _("Choose why the pair is closed.")


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = [
            "held_on",
            "work_note",
            "work_rating",
            "wellbeing_note",
            "wellbeing_rating",
            "organisation_note",
            "organisation_rating",
            "practical_note",
            "practical_rating",
            "career_note",
            "career_rating",
            "trust_mentor",
            "trust_youth",
            "job_satisfaction",
        ]
        widgets = {
            "held_on": DateInput,
            **{
                name: forms.Textarea(attrs={"rows": 2})
                for name in (
                    "work_note",
                    "wellbeing_note",
                    "organisation_note",
                    "practical_note",
                    "career_note",
                )
            },
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if name.endswith(("_rating", "trust_mentor", "trust_youth", "job_satisfaction")):
                field.widget = forms.NumberInput(attrs={"min": 1, "max": 5, "inputmode": "numeric"})
                field.error_messages["min_value"] = _("Give a rating from 1 to 5.")
                field.error_messages["max_value"] = _("Give a rating from 1 to 5.")

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A check-in cannot be in the future."))
        return held_on


class ConcernForm(forms.Form):
    what = forms.CharField(label=_("What worries you?"), widget=forms.Textarea(attrs={"rows": 3}))
    needs_help_today = forms.BooleanField(label=_("It needs help today"), required=False)
