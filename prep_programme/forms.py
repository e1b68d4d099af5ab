"""Forms of the pre-employment programme. Every choice list comes from what the user may see;
the services check again whatever is posted."""

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import Employer
from restart_platform.accounts.models import City
from restart_platform.forms import DATE_INPUT

from .models import (
    RATING_MAX,
    RATING_MIN,
    Attendance,
    Cohort,
    Participant,
    Programme,
    Session,
)

RATING_CHOICES = [(value, str(value)) for value in range(RATING_MIN, RATING_MAX + 1)]


class CohortFilterForm(forms.Form):
    WHEN = [
        ("", _("All")),
        ("running", _("Running")),
        ("planned", _("Planned")),
        ("finished", _("Finished")),
    ]

    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name of the cohort"))
    when = forms.ChoiceField(label=_("When"), choices=WHEN, required=False)
    programme = forms.ModelChoiceField(
        label=_("Programme"),
        queryset=Programme.objects.all(),
        required=False,
        empty_label=_("All programmes"),
    )
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("All cities")
    )

    def __init__(self, *args, cities: QuerySet[City] | None, **kwargs):
        super().__init__(*args, **kwargs)
        if cities is None:
            del self.fields["city"]
        else:
            self.fields["city"].queryset = cities


class SessionForm(forms.ModelForm):
    class Meta:
        model = Session
        fields = ["kind", "date", "starts_at", "title"]
        widgets = {"date": DATE_INPUT, "starts_at": forms.TimeInput(attrs={"type": "time"})}


class AttendanceForm(forms.Form):
    """One row per participant of the session's cohort: the whole session on one screen."""

    def __init__(self, *args, participants: list[Participant], current: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.participants = participants
        for participant in participants:
            mark = current.get(participant.pk)
            self.fields[f"status_{participant.pk}"] = forms.ChoiceField(
                label=str(participant.youth),
                choices=Attendance.Status.choices,
                widget=forms.RadioSelect,
                initial=mark.status if mark else Attendance.Status.PRESENT,
            )
            self.fields[f"reason_{participant.pk}"] = forms.CharField(
                label=_("Reason"),
                required=False,
                max_length=200,
                initial=mark.reason if mark else "",
            )

    def rows(self):
        for participant in self.participants:
            yield participant, self[f"status_{participant.pk}"], self[f"reason_{participant.pk}"]

    def marks(self) -> dict[int, tuple[str, str]]:
        return {
            participant.pk: (
                self.cleaned_data[f"status_{participant.pk}"],
                self.cleaned_data[f"reason_{participant.pk}"],
            )
            for participant in self.participants
        }


class MovePhaseForm(forms.Form):
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when a criterion is not met."),
    )
    placement_employer = forms.ModelChoiceField(
        label=_("Phase 3 at employer"), queryset=Employer.objects.none(), required=False
    )
    placement_kind = forms.ChoiceField(
        label=_("Phase 3 as"),
        choices=[("", "---------"), *Participant.PlacementKind.choices],
        required=False,
    )

    def __init__(self, *args, employers: QuerySet[Employer] | None, **kwargs):
        super().__init__(*args, **kwargs)
        if employers is None:  # not moving to phase 3
            del self.fields["placement_employer"], self.fields["placement_kind"]
        else:
            self.fields["placement_employer"].queryset = employers


class RatingForm(forms.Form):
    """The coach rates each core skill 1-5, with a note."""

    def __init__(self, *args, skills, **kwargs):
        super().__init__(*args, **kwargs)
        self.skills = list(skills)
        for skill in self.skills:
            self.fields[f"rating_{skill.pk}"] = forms.TypedChoiceField(
                label=skill.label,
                choices=[("", _("not rated now")), *RATING_CHOICES],
                coerce=int,
                empty_value=None,
                required=False,
            )
            self.fields[f"note_{skill.pk}"] = forms.CharField(
                label=_("Note"), required=False, max_length=300
            )

    def clean(self):
        data = super().clean()
        if not any(data.get(f"rating_{skill.pk}") for skill in self.skills):
            raise forms.ValidationError(_("Rate at least one skill."))
        return data

    def ratings(self) -> dict:
        return {
            skill: (self.cleaned_data[f"rating_{skill.pk}"], self.cleaned_data[f"note_{skill.pk}"])
            for skill in self.skills
            if self.cleaned_data.get(f"rating_{skill.pk}")
        }


class CoachingForm(forms.Form):
    held_on = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    self_confidence = forms.TypedChoiceField(
        label=_("Self-confidence (1-5)"), choices=RATING_CHOICES, coerce=int
    )
    career_competences = forms.CharField(
        label=_("Career competences"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    agreements = forms.CharField(
        label=_("What was agreed"), widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["held_on"].initial = timezone.localdate()

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A talk cannot be logged before it took place."))
        return held_on


class EnrolForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none())
    school_arrangement = forms.CharField(
        label=_("Arrangement with school or leerplicht"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required under 18 without a startkwalificatie."),
    )

    def __init__(self, *args, cohorts: QuerySet[Cohort], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cohort"].queryset = cohorts
        if len(cohorts) == 1:
            self.fields["cohort"].initial = cohorts[0].pk


class LeaveForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for leaving early"), widget=forms.Textarea(attrs={"rows": 3})
    )


class FinishForm(forms.Form):
    certificate = forms.CharField(
        label=_("Certificate obtained"),
        required=False,
        max_length=120,
        help_text=_("Leave empty when no certificate was obtained."),
    )
