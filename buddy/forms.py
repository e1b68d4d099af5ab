"""The buddy programme's forms. Every choice list comes from what the user may see; the
services check again, so a posted id from elsewhere is refused there too."""

from typing import ClassVar

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import Employer
from restart_platform.accounts.models import User
from restart_platform.dates import DateKind
from restart_platform.forms import DATE_INPUT, BoundedInputMixin
from restart_platform.stale_edits import UnchangedSinceShownMixin
from restart_platform.taxonomy.models import InterestArea, PersonalInterest, Skill
from youth.forms import SkillsByCategoryField

from .models import RATING_FIELDS, BuddyProfile, CheckIn, HelpKind, Mentor, Pair


class PairFilterForm(BoundedInputMixin, forms.Form):
    q = forms.CharField(
        label=_("Search"), required=False, help_text=_("Young person, mentor or employer")
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("All statuses")), *Pair.Status.choices], required=False
    )


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, mentor) -> str:
        return f"{mentor.name} ({mentor.job_title})"


class PairProposeForm(BoundedInputMixin, forms.Form):
    mentor = MentorChoiceField(
        label=_("Mentor"),
        queryset=Mentor.objects.none(),
        error_messages={"invalid_choice": _("Choose a mentor from the list.")},
    )

    def __init__(self, *args, mentors, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = mentors


class PairKickoffForm(BoundedInputMixin, forms.Form):
    date_kinds: ClassVar[dict[str, DateKind]] = {"held_on": DateKind.HAPPENED}

    held_on = forms.DateField(label=_("Kick-off held on"), widget=DATE_INPUT)
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


class PairCloseForm(BoundedInputMixin, forms.Form):
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


class RatingSelect(forms.RadioSelect):
    """Radio buttons drawn as large buttons (Bootstrap's `btn-check`); the check-in template
    lays them out in a fieldset per rating."""

    def __init__(self, attrs=None, choices=()):
        super().__init__(attrs={"class": "btn-check", **(attrs or {})}, choices=choices)


class CheckInForm(BoundedInputMixin, forms.ModelForm):
    date_kinds: ClassVar[dict[str, DateKind]] = {"held_on": DateKind.HAPPENED}

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
            "held_on": DATE_INPUT,
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
        # A rating is a row of buttons to tap on a phone (1 to 5, or "n/a" where it does not
        # fit), not a number to type: nothing else than 1 to 5 can be chosen, and a value posted
        # by hand that is not one of them (0, 6, a Unicode digit) is refused.
        for name in RATING_FIELDS:
            field = self.fields[name]
            self.fields[name] = forms.TypedChoiceField(
                label=field.label,
                choices=[("", _("n/a")), *((n, str(n)) for n in range(1, 6))],
                coerce=int,
                empty_value=None,
                required=False,
                widget=RatingSelect,
                error_messages={"invalid_choice": _("Give a rating from 1 to 5.")},
            )

    rating_names = RATING_FIELDS

    def clean_held_on(self):
        held_on = self.cleaned_data["held_on"]
        if held_on > timezone.localdate():
            raise forms.ValidationError(_("A check-in cannot be in the future."))
        return held_on


class ConcernForm(BoundedInputMixin, forms.Form):
    what = forms.CharField(label=_("What worries you?"), widget=forms.Textarea(attrs={"rows": 3}))
    needs_help_today = forms.BooleanField(label=_("It needs help today"), required=False)


class MentorFilterForm(BoundedInputMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False, help_text=_("Mentor or employer"))
    available = forms.BooleanField(label=_("Available as a buddy"), required=False)


class EmployerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, employer) -> str:
        return f"{employer.name} ({employer.city})"


class MentorForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    """A mentor at an employer. The employer and the account come from what the user may see:
    the employers of their cities, the portal accounts of that employer's contact people."""

    date_kinds: ClassVar[dict[str, DateKind]] = {
        "trained_on": DateKind.HAPPENED,
        "volunteered_on": DateKind.HAPPENED,
    }

    employer = EmployerChoiceField(
        label=_("Employer"),
        queryset=Employer.objects.none(),
        error_messages={"invalid_choice": _("Choose an employer from the list.")},
    )
    user = forms.ModelChoiceField(
        label=_("Platform account"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "Optional: the portal account of one of the employer's contact people. With it the "
            "mentor logs check-ins and sees only their own pairs."
        ),
        error_messages={"invalid_choice": _("Choose an account from the list.")},
    )
    skills = SkillsByCategoryField(
        label=_("Knowledge and skills"),
        queryset=Skill.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    help_with = forms.MultipleChoiceField(
        label=_("Can help with"),
        choices=HelpKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    work_fields = forms.ModelMultipleChoiceField(
        label=_("Work fields they can show"),
        queryset=InterestArea.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    personal_interests = forms.ModelMultipleChoiceField(
        label=_("Personal interests"),
        queryset=PersonalInterest.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Mentor
        fields = [
            "employer",
            "name",
            "job_title",
            "years_experience",
            "email",
            "user",
            "birth_year",
            "skills",
            "help_with",
            "work_fields",
            "personal_interests",
            "capacity",
            "trained_on",
            "volunteered_on",
            "availability",
            "is_active",
        ]
        widgets = {"trained_on": DATE_INPUT, "volunteered_on": DATE_INPUT}

    def __init__(self, *args, employers, accounts, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["employer"].queryset = employers
        self.fields["user"].queryset = accounts


class BuddyProfileForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    """The young person's side of the pairing: personal interests and needs."""

    personal_interests = forms.ModelMultipleChoiceField(
        label=_("Personal interests"),
        queryset=PersonalInterest.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills_to_learn = SkillsByCategoryField(
        label=_("Skills to learn"),
        queryset=Skill.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    help_needed = forms.MultipleChoiceField(
        label=_("Help a colleague could give"),
        choices=HelpKind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = BuddyProfile
        fields = ["personal_interests", "skills_to_learn", "help_needed"]
