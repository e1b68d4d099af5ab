"""Forms of the pre-employment programme. Every choice list comes from what the user may see;
the services check again whatever is posted."""

from typing import ClassVar

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import Employer
from matching.models import Placement
from restart_platform.accounts.models import City, User
from restart_platform.dates import DateKind
from restart_platform.forms import DATE_INPUT, BoundedInputMixin
from restart_platform.stale_edits import (
    ShownRecordMixin,
    UnchangedSinceShownMixin,
    fingerprint_values,
)

from .models import (
    RATING_MAX,
    RATING_MIN,
    Attendance,
    Cohort,
    EmployerInvolvement,
    Participant,
    Programme,
    Session,
    SkillRating,
)

RATING_CHOICES = [(value, str(value)) for value in range(RATING_MIN, RATING_MAX + 1)]


class CohortFilterForm(BoundedInputMixin, forms.Form):
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


class SessionForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = Session
        fields = ["kind", "date", "starts_at", "title"]
        widgets = {"date": DATE_INPUT, "starts_at": forms.TimeInput(attrs={"type": "time"})}


class AttendanceForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.Form):
    """One row per participant of the session's cohort: the whole session on one screen."""

    def __init__(self, *args, session: Session, participants: list[Participant], **kwargs):
        self.session = session
        super().__init__(*args, **kwargs)
        self.participants = participants
        current = {mark.participant_id: mark for mark in session.attendances.all()}
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

    def guarded_record(self) -> Session:
        return self.session

    def fingerprint_of(self, record: Session) -> str:
        """The session's marks: one saved by someone else since the page was shown is news."""
        marks = record.attendances.order_by("participant_id").values_list(
            "participant_id", "status", "reason"
        )
        return fingerprint_values(record, list(marks))

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


class PlacementChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, placement):
        return _("%(employer)s: %(opening)s, since %(start)s (%(agreement)s)") % {
            "employer": placement.opening.employer.name,
            "opening": placement.opening.title,
            "start": f"{placement.start_date:%d-%m-%Y}",
            "agreement": placement.get_agreement_display(),
        }


class MovePhaseForm(ShownRecordMixin, BoundedInputMixin, forms.Form):
    acts_on = ("phase",)  # the checklist a person decided on is that of the phase shown
    note = forms.CharField(
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Required when a criterion is not met."),
    )
    placement = PlacementChoiceField(
        label=_("Phase 3 placement"),
        queryset=Placement.objects.none(),
        required=False,
        help_text=_("The internship or job of this young person, as recorded under Matching."),
    )

    def __init__(self, *args, placements: QuerySet[Placement] | None, **kwargs):
        super().__init__(*args, **kwargs)
        if placements is None:  # not moving to phase 3
            del self.fields["placement"]
        else:
            self.fields["placement"].queryset = placements


class RatingForm(BoundedInputMixin, forms.Form):
    """Each core skill 1-5, with a note; by the coach, or the young person's own view recorded
    by the coach on their behalf."""

    RATERS = [
        (SkillRating.Rater.COACH, _("The coach (me)")),
        (SkillRating.Rater.SELF, _("The young person themself: a self-assessment I record")),
    ]
    rater = forms.ChoiceField(
        label=_("Rated by"),
        choices=RATERS,
        initial=SkillRating.Rater.COACH,
        required=False,  # none chosen: the coach
        widget=forms.RadioSelect,
    )

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

    def clean_rater(self) -> str:
        return self.cleaned_data["rater"] or SkillRating.Rater.COACH

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


class ParticipantChoiceField(forms.ModelChoiceField):
    """An employer sees a participant as a candidate is shown: first name and an initial."""

    def label_from_instance(self, participant):
        youth = participant.youth
        return f"{youth.display_name} {youth.last_name[:1]}.".strip()


class EmployerRatingForm(RatingForm):
    """An employer contact rates the participants of a cohort their employer takes part in,
    after a workplace visit."""

    date_kinds: ClassVar[dict[str, DateKind]] = {"rated_on": DateKind.HAPPENED}

    participant = ParticipantChoiceField(
        label=_("Participant"), queryset=Participant.objects.none()
    )
    rated_on = forms.DateField(label=_("Date of the visit"), widget=DATE_INPUT)

    def __init__(self, *args, participants: QuerySet[Participant], **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["rater"]
        self.fields["participant"].queryset = participants
        self.fields["rated_on"].initial = timezone.localdate()
        self.order_fields(["participant", "rated_on"])

    def clean_rated_on(self):
        rated_on = self.cleaned_data["rated_on"]
        if rated_on > timezone.localdate():
            raise forms.ValidationError(_("A rating cannot be dated in the future."))
        return rated_on


class CoachingForm(BoundedInputMixin, forms.Form):
    date_kinds: ClassVar[dict[str, DateKind]] = {"held_on": DateKind.HAPPENED}

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


class EnrolForm(BoundedInputMixin, forms.Form):
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


class LeaveForm(BoundedInputMixin, forms.Form):
    reason = forms.CharField(
        label=_("Reason for leaving early"), widget=forms.Textarea(attrs={"rows": 3})
    )


class FinishForm(BoundedInputMixin, forms.Form):
    certificate = forms.CharField(
        label=_("Certificate obtained"),
        required=False,
        max_length=120,
        help_text=_("Leave empty when no certificate was obtained."),
    )


class CohortForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.Form):
    """A cohort: a programme run in one of the coordinator's cities, with its coaches."""

    programme = forms.ModelChoiceField(label=_("Programme"), queryset=Programme.objects.none())
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none())
    name = forms.CharField(label=_("Name"), max_length=120)
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE_INPUT)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE_INPUT)
    coaches = forms.ModelMultipleChoiceField(
        label=_("Coaches"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Coordinators and youth workers of your cities."),
    )

    guarded_fields = ("programme", "city", "name", "starts_on", "ends_on", "coaches")

    def __init__(self, *args, cohort: Cohort | None = None, programmes, cities, coaches, **kwargs):
        self.cohort = cohort
        if cohort is not None:
            kwargs.setdefault("initial", initial_for(cohort))
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes
        self.fields["city"].queryset = cities
        self.fields["coaches"].queryset = coaches

    def guarded_record(self) -> Cohort | None:
        return self.cohort

    def clean(self):
        data = super().clean()
        starts_on, ends_on = data.get("starts_on"), data.get("ends_on")
        if starts_on and ends_on and ends_on <= starts_on:
            self.add_error("ends_on", _("The cohort ends after it starts."))
        return data


def initial_for(cohort: Cohort) -> dict:
    return {
        "programme": cohort.programme_id,
        "city": cohort.city_id,
        "name": cohort.name,
        "starts_on": cohort.starts_on,
        "ends_on": cohort.ends_on,
        "coaches": list(cohort.coaches.values_list("pk", flat=True)),
    }


class InvolvementForm(BoundedInputMixin, forms.Form):
    employer = forms.ModelChoiceField(label=_("Employer"), queryset=Employer.objects.none())
    kind = forms.ChoiceField(label=_("How"), choices=EmployerInvolvement.Kind.choices)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    on = forms.DateField(label=_("Date"), widget=DATE_INPUT)

    def __init__(self, *args, employers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["on"].initial = timezone.localdate()


class ParticipantFilterForm(BoundedInputMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name or case reference"))
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("All cities")
    )
    cohort = forms.ModelChoiceField(
        label=_("Cohort"),
        queryset=Cohort.objects.none(),
        required=False,
        empty_label=_("All cohorts"),
    )
    phase = forms.TypedChoiceField(
        label=_("Phase"),
        choices=[("", _("All phases")), (1, "1"), (2, "2"), (3, "3")],
        coerce=int,
        empty_value=None,
        required=False,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All")), *Participant.Status.choices],
        required=False,
    )
    attention = forms.BooleanField(label=_("Needs attention"), required=False)

    def __init__(self, *args, cities: QuerySet[City] | None, cohorts: QuerySet[Cohort], **kwargs):
        super().__init__(*args, **kwargs)
        if cities is None:
            del self.fields["city"]
        else:
            self.fields["city"].queryset = cities
        self.fields["cohort"].queryset = cohorts
