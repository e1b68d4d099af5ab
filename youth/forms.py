import datetime as dt
import re
from typing import ClassVar

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.models import City, User
from restart_platform.dates import DateKind
from restart_platform.forms import DATE_INPUT, BoundedInputMixin, LoggedAfterwardsForm
from restart_platform.stale_edits import ShownRecordMixin, UnchangedSinceShownMixin
from restart_platform.taxonomy.models import InterestArea, Skill

from .models import (
    SCHOOL_OBLIGATION_AGE,
    TARGET_GROUP_MESSAGE,
    WEEKDAYS,
    Barrier,
    Consent,
    ContactMoment,
    NetworkFactor,
    YoungPerson,
    age_on,
    outside_target_group,
    parse_case_reference,
    validate_age_on_registration,
)


class SkillsByCategoryIterator(ModelChoiceIterator):
    def __iter__(self):
        groups: dict[str, list] = {}
        for skill in self.queryset:
            groups.setdefault(skill.get_category_display(), []).append(self.choice(skill))
        yield from groups.items()


class SkillsByCategoryField(forms.ModelMultipleChoiceField):
    """Skill checkboxes under a heading per category (technical, circular, employee skills)."""

    iterator = SkillsByCategoryIterator


class YouthForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    date_kinds: ClassVar[dict[str, DateKind]] = {
        "date_of_birth": DateKind.BIRTH,
        "left_school_on": DateKind.HAPPENED,
    }

    """A young person's profile. Possible duplicates are shown first and must be confirmed."""

    interests = forms.ModelMultipleChoiceField(
        label=_("Career interests"),
        queryset=InterestArea.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    skills = SkillsByCategoryField(
        label=_("Skills"),
        queryset=Skill.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    available_days = forms.MultipleChoiceField(
        label=_("Available days"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different young person; save anyway"), required=False
    )

    class Meta:
        model = YoungPerson
        fields = [
            "first_name",
            "last_name",
            "preferred_name",
            "date_of_birth",
            "email",
            "phone",
            "address",
            "postcode",
            "city",
            "youth_worker",
            "last_school",
            "school_level",
            "left_school_on",
            "at_risk_of_leaving",
            "has_startkwalificatie",
            "target_group_reason",
            "school_obligation_arrangement",
            "interests",
            "ambitions",
            "skills",
            "available_days",
            "available_hours",
            "available_from",
            "travel_range_km",
            "referred_by",
            "notes",
        ]
        widgets = {
            "date_of_birth": DATE_INPUT,
            "left_school_on": DATE_INPUT,
            "available_from": DATE_INPUT,
            "school_obligation_arrangement": forms.Textarea(attrs={"rows": 2}),
            "target_group_reason": forms.Textarea(attrs={"rows": 2}),
            "ambitions": forms.Textarea(attrs={"rows": 3}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, user: User, cities, youth_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        self.fields["youth_worker"].queryset = youth_workers
        self.possible_duplicates: list[YoungPerson] = []
        self.outside_target_group = False
        self.hidden_duplicates = 0
        if self.instance.pk:
            self.fields["version"] = forms.IntegerField(
                widget=forms.HiddenInput, initial=self.instance.version
            )
        else:
            if user.role == User.Role.YOUTH_WORKER:
                self.fields["youth_worker"].initial = user.pk
            if cities.count() == 1:
                self.fields["city"].initial = cities.first().pk

    def clean_date_of_birth(self) -> dt.date:
        born = self.cleaned_data["date_of_birth"]
        registered_on = self.instance.registered_on if self.instance.pk else timezone.localdate()
        if errors := validate_age_on_registration(born, registered_on):
            raise forms.ValidationError(errors)
        return born

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].upper().replace(" ", "")
        return f"{postcode[:4]} {postcode[4:]}" if postcode else ""

    def clean_phone(self) -> str:
        return re.sub(r"\s+", " ", self.cleaned_data["phone"].strip())

    def clean(self):
        cleaned = super().clean()
        born = cleaned.get("date_of_birth")
        under_age = born and age_on(born, timezone.localdate()) < SCHOOL_OBLIGATION_AGE
        # Kwalificatieplicht: under 18 without a startkwalificatie the young person must still
        # learn (at school or in the BBL), so the programme needs the arrangement with their
        # school or the leerplichtambtenaar, who enforces it under 18 (the RMC does from 18).
        if (
            under_age
            and not cleaned.get("has_startkwalificatie")
            and not (cleaned.get("school_obligation_arrangement") or "").strip()
        ):
            self.add_error(
                "school_obligation_arrangement",
                _(
                    "Under 18 without a startkwalificatie: describe the arrangement with the "
                    "school or the leerplichtambtenaar."
                ),
            )
        self.outside_target_group = outside_target_group(
            has_startkwalificatie=bool(cleaned.get("has_startkwalificatie")),
            left_school_on=cleaned.get("left_school_on"),
            at_risk_of_leaving=bool(cleaned.get("at_risk_of_leaving")),
        )
        reason = (cleaned.get("target_group_reason") or "").strip()
        if self.outside_target_group and not reason:
            self.add_error("target_group_reason", TARGET_GROUP_MESSAGE)
        # A reason is kept only for an exception, so the exceptions can be counted.
        cleaned["target_group_reason"] = reason if self.outside_target_group else ""
        worker, city = cleaned.get("youth_worker"), cleaned.get("city")
        if worker and city and worker.organisation and worker.organisation.city_id != city.pk:
            self.add_error("youth_worker", _("Choose a youth worker who works in this city."))
        return cleaned

    def identity_changed(self) -> bool:
        """A new record, or one whose name, date of birth, e-mail or phone changed."""
        identity = {"first_name", "last_name", "date_of_birth", "email", "phone"}
        return not self.instance.pk or bool(identity & set(self.changed_data))

    def profile_fields(self) -> dict:
        """What the services take as the profile's own fields."""
        skip = {"confirm_not_duplicate", "version", "interests", "skills"}
        return {name: value for name, value in self.cleaned_data.items() if name not in skip}


class YouthFilterForm(BoundedInputMixin, forms.Form):
    """The young-people list's search, filters and sorting."""

    SORTS = [
        ("name", _("Name")),
        ("-registered_on", _("Newest registration")),
        ("last_contact_on", _("Last contact (oldest first)")),
    ]

    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name or e-mail"))
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("All cities")
    )
    journey = forms.ChoiceField(
        label=_("Journey"),
        choices=[("", _("All")), *YoungPerson.Journey.choices],
        required=False,
    )
    youth_worker = forms.ModelChoiceField(
        label=_("Youth worker"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All youth workers"),
    )
    referred_by = forms.ChoiceField(
        label=_("Referred by"),
        choices=[("", _("All")), *YoungPerson.Referral.choices],
        required=False,
    )
    no_contact = forms.BooleanField(label=_("No contact in 30 days"), required=False)
    consent_missing = forms.BooleanField(label=_("Registration consent missing"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, cities=None, youth_workers=None, **kwargs):
        super().__init__(*args, **kwargs)
        # A youth worker sees one city and one caseload, their own: nothing to choose.
        if cities is None:
            del self.fields["city"]
        else:
            self.fields["city"].queryset = cities
        if youth_workers is None:
            del self.fields["youth_worker"]
        else:
            self.fields["youth_worker"].queryset = youth_workers

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()


class CaseloadFilterForm(BoundedInputMixin, forms.Form):
    youth_worker = forms.ModelChoiceField(
        label=_("Youth worker"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("All youth workers"),
    )

    def __init__(self, *args, youth_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youth_worker"].queryset = youth_workers


class JourneyForm(ShownRecordMixin, BoundedInputMixin, forms.Form):
    acts_on = ("journey",)
    to_status = forms.ChoiceField(label=_("Move to"), choices=YoungPerson.Journey.choices)
    reason = forms.CharField(
        label=_("Reason (required when the young person left)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def clean(self):
        cleaned = super().clean()
        if (
            cleaned.get("to_status") == YoungPerson.Journey.LEFT
            and not cleaned.get("reason", "").strip()
        ):
            self.add_error("reason", _("Say why the young person left."))
        return cleaned


class MoveCaseloadForm(ShownRecordMixin, BoundedInputMixin, forms.Form):
    acts_on = ("youth_worker",)
    to_worker = forms.ModelChoiceField(
        label=_("Move to youth worker"), queryset=User.objects.none()
    )

    def __init__(self, *args, youth_workers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_worker"].queryset = youth_workers


class ConsentForm(BoundedInputMixin, forms.ModelForm):
    """Bound to Consent(youth=...), so the model's own checks (not before birth) apply here."""

    date_kinds: ClassVar[dict[str, DateKind]] = {"given_on": DateKind.HAPPENED}

    class Meta:
        model = Consent
        fields = ["purpose", "given_on"]
        widgets = {"given_on": DATE_INPUT}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The new Consent's own (empty) date would win over a field's initial: set the form's.
        if not self.initial.get("given_on"):
            self.initial["given_on"] = timezone.localdate()

    def clean_given_on(self) -> dt.date:
        given_on = self.cleaned_data["given_on"]
        if given_on > timezone.localdate():
            raise forms.ValidationError(_("Consent cannot be given on a future date."))
        return given_on


class BarrierForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = Barrier
        fields = ["kind", "severity", "note", "is_resolved"]
        widgets = {"note": forms.Textarea(attrs={"rows": 3})}


class NetworkFactorForm(BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = NetworkFactor
        fields = ["effect", "description"]


class ContactMomentForm(LoggedAfterwardsForm):
    future_date_message = _(
        "A contact is logged after it happened; the date cannot be in the future."
    )

    class Meta:
        model = ContactMoment
        fields = ["kind", "date", "summary"]
        widgets = {"date": DATE_INPUT, "summary": forms.Textarea(attrs={"rows": 3})}


class MergeForm(BoundedInputMixin, forms.Form):
    keep = forms.CharField(
        label=_("Record to keep"), max_length=20, help_text=_("Case reference (JP-00012) or number")
    )
    duplicate = forms.CharField(
        label=_("Duplicate record"),
        max_length=20,
        help_text=_(
            "Its barriers, consents and contacts move to the record to keep; it is hidden."
        ),
    )

    def _clean_reference(self, name: str) -> int:
        pk = parse_case_reference(self.cleaned_data[name])
        if pk is None:
            raise forms.ValidationError(_("Enter a case reference such as JP-00012."))
        return pk

    def clean_keep(self) -> int:
        return self._clean_reference("keep")

    def clean_duplicate(self) -> int:
        return self._clean_reference("duplicate")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("keep") and cleaned.get("keep") == cleaned.get("duplicate"):
            self.add_error("duplicate", _("Choose two different records."))
        return cleaned
