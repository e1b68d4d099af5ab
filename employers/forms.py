import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.models import City, User
from restart_platform.forms import DATE_INPUT, BoundedInputMixin, LoggedAfterwardsForm
from restart_platform.stale_edits import ShownRecordMixin, UnchangedSinceShownMixin
from restart_platform.taxonomy.models import Sector, Skill

from .models import (
    Agreement,
    Contact,
    DemandProfile,
    Employer,
    Interaction,
    NetworkPartner,
    Opening,
)


class EmployerForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    """Details of an employer. A possible duplicate is shown first and must be confirmed."""

    website = forms.URLField(label=_("website"), required=False, assume_scheme="https")
    confirm_not_duplicate = forms.BooleanField(
        label=_("This is a different employer; save it anyway"), required=False
    )

    class Meta:
        model = Employer
        fields = [
            "name",
            "kvk_number",
            "city",
            "address",
            "postcode",
            "sector",
            "circularity",
            "circular_activity",
            "size",
            "website",
            "found_via",
            "owner",
            "is_accredited_learning_company",
        ]
        widgets = {"circular_activity": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user: User, cities, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        self.fields["owner"].queryset = coordinators
        self.fields["sector"].queryset = Sector.objects.active()
        self.possible_duplicates: list[Employer] = []
        if not self.instance.pk:
            self.fields["owner"].initial = user.pk if user.role == User.Role.COORDINATOR else None
            if cities.count() == 1:
                self.fields["city"].initial = cities.first().pk

    def clean_kvk_number(self) -> str:
        return self.cleaned_data["kvk_number"].replace(" ", "").replace(".", "")

    def clean_postcode(self) -> str:
        postcode = self.cleaned_data["postcode"].upper().replace(" ", "")
        return f"{postcode[:4]} {postcode[4:]}" if postcode else ""

    def clean(self):
        cleaned = super().clean()
        owner, city = cleaned.get("owner"), cleaned.get("city")
        if owner and city and not owner.cities.filter(pk=city.pk).exists():
            self.add_error("owner", _("The owner must be a coordinator of the employer's city."))
        return cleaned


class StageForm(ShownRecordMixin, BoundedInputMixin, forms.Form):
    acts_on = ("stage",)
    stage = forms.ChoiceField(label=_("Move to"), choices=Employer.Stage.choices)
    reason = forms.CharField(label=_("Reason (when declined)"), required=False, max_length=2000)


class NextActionForm(ShownRecordMixin, BoundedInputMixin, forms.Form):
    acts_on = ("next_action", "next_action_due")
    next_action = forms.CharField(label=_("Next action"), max_length=200, required=False)
    next_action_due = forms.DateField(label=_("Due on"), required=False, widget=DATE_INPUT)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("next_action_due") and not cleaned.get("next_action"):
            self.add_error("next_action", _("Say what the next action is."))
        if cleaned.get("next_action") and not cleaned.get("next_action_due"):
            self.add_error("next_action_due", _("Give the next action a due date."))
        return cleaned

    def clean_next_action_due(self) -> dt.date | None:
        due = self.cleaned_data["next_action_due"]
        if due and due < timezone.localdate():
            raise forms.ValidationError(_("The due date cannot be in the past."))
        return due


class ContactForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    """A contact person. Portal access is by invitation to their own e-mail address: the form
    never lists accounts, so no one can link an account that is not this person's."""

    invite = forms.BooleanField(
        label=_("Invite to the employer portal"),
        required=False,
        help_text=_(
            "They receive an e-mail with a link to choose a password, valid for 72 hours, "
            "and then see this employer's portal."
        ),
    )

    class Meta:
        model = Contact
        fields = ["name", "job_title", "email", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.instance.user
        if user is not None and user.has_usable_password():
            del self.fields["invite"]  # they use the portal already
        elif user is not None:
            self.fields["invite"].label = _("Send the invitation to the portal again")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("invite") and not cleaned.get("email") and "email" not in self.errors:
            self.add_error("email", _("An invitation to the portal needs an e-mail address."))
        return cleaned


class InteractionForm(LoggedAfterwardsForm):
    future_date_message = _(
        "An interaction is logged after it happened; the date cannot be in the future."
    )

    class Meta:
        model = Interaction
        fields = ["kind", "date", "summary"]
        widgets = {"date": DATE_INPUT, "summary": forms.Textarea(attrs={"rows": 3})}


UNKNOWN_HELP = _("Leave empty when not known; 0 means none.")


class DemandProfileForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    skills = forms.ModelMultipleChoiceField(
        label=_("Skills they ask for"),
        queryset=Skill.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    concerns = forms.MultipleChoiceField(
        label=_("Concerns about taking on young people without a startkwalificatie"),
        choices=DemandProfile.Concern.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The employer's own concerns: recruitment starts from what they expect."),
    )
    expects_labour_shortage = forms.ChoiceField(
        label=_("Expects a labour shortage in their trade"),
        choices=[("yes", _("Yes")), ("no", _("No")), ("", _("Not known"))],
        required=False,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = DemandProfile
        fields = [
            "roles",
            "skills",
            "openings_12_months",
            "openings_24_months",
            "expected_retirements",
            "expects_labour_shortage",
            "concerns",
            "concerns_in_their_words",
            "offers_jobs",
            "offers_paid_internships",
            "offers_learning_work_places",
            "diploma_track",
            "offers_buddies",
            "programme_role",
            "notes",
        ]
        widgets = {
            "roles": forms.Textarea(attrs={"rows": 2}),
            "programme_role": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 2}),
            "concerns_in_their_words": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "openings_12_months": UNKNOWN_HELP,
            "openings_24_months": UNKNOWN_HELP,
            "expected_retirements": UNKNOWN_HELP,
        }

    def clean(self):
        cleaned = super().clean()
        in_12, in_24 = cleaned.get("openings_12_months"), cleaned.get("openings_24_months")
        if in_12 is not None and in_24 is not None and in_24 < in_12:
            self.add_error(
                "openings_24_months", _("The openings in 24 months include those in the first 12.")
            )
        return cleaned


class OpeningForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    required_skills = forms.ModelMultipleChoiceField(
        label=_("Required skills"),
        queryset=Skill.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    nice_to_have_skills = forms.ModelMultipleChoiceField(
        label=_("Nice-to-have skills"),
        queryset=Skill.objects.active(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Opening
        fields = [
            "kind",
            "title",
            "description",
            "required_skills",
            "nice_to_have_skills",
            "hours_per_week",
            "start_date",
            "location",
            "places",
            "status",
            "crebo_code",
            "mbo_level",
        ]
        widgets = {"start_date": DATE_INPUT, "description": forms.Textarea(attrs={"rows": 4})}

    def clean_start_date(self) -> dt.date:
        start = self.cleaned_data["start_date"]
        unchanged = self.instance.pk and start == self.instance.start_date
        if start < timezone.localdate() and not unchanged:
            raise forms.ValidationError(_("The start date cannot be in the past."))
        return start

    def clean_places(self) -> int:
        places = self.cleaned_data["places"]
        if places < 1:
            raise forms.ValidationError(_("An opening has at least one place."))
        if places < self.instance.filled_places:
            raise forms.ValidationError(
                _("Placements fill %(filled)s of its places: it cannot have fewer.")
                % {"filled": self.instance.filled_places}
            )
        return places

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == Opening.Kind.LEARNING_WORK_PLACE:
            if not cleaned.get("crebo_code"):
                self.add_error(
                    "crebo_code", _("A learning-work place needs the crebo code of its mbo course.")
                )
            if not cleaned.get("mbo_level"):
                self.add_error(
                    "mbo_level", _("A learning-work place needs the level of its mbo course.")
                )
        return cleaned


class PartnerForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = NetworkPartner
        fields = [
            "name",
            "kind",
            "city",
            "role",
            "contact_name",
            "contact_email",
            "contact_phone",
            "is_lead",
        ]
        widgets = {"role": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        self.fields["is_lead"].help_text = _(
            "Only one partner leads in each city; choosing this one hands the lead over."
        )

    def _get_validation_exclusions(self):
        # The service hands the lead over from the current lead, so the one-lead rule is
        # checked after that, in the same transaction, by the database. (A form has no
        # validate_constraints hook: ModelForm checks constraints in instance.full_clean().)
        return super()._get_validation_exclusions() | {"is_lead"}


class AgreementForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["title", "kind", "description", "starts_on", "ends_on"]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "description": forms.Textarea(attrs={"rows": 3}),
        }

    def clean(self):
        cleaned = super().clean()
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("An agreement cannot end before it starts."))
        return cleaned


class EmployerFilterForm(BoundedInputMixin, forms.Form):
    """The employer list's search, filters and sorting; also used by the export."""

    SORTS = [
        ("name", _("Name")),
        ("-last_interaction_on", _("Last contact (newest first)")),
        ("last_interaction_on", _("Last contact (oldest first)")),
        ("next_action_due", _("Next action due")),
        ("stage", _("Stage")),
        ("-created_at", _("Newest")),
    ]

    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name or KvK number"))
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none(), required=False)
    stage = forms.ChoiceField(
        label=_("Stage"), choices=[("", _("All stages")), *Employer.Stage.choices], required=False
    )
    circularity = forms.ChoiceField(
        label=_("Circularity"),
        choices=[("", _("All")), *Employer.Circularity.choices],
        required=False,
    )
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=User.objects.none(), required=False)
    sector = forms.ModelChoiceField(
        label=_("Sector"), queryset=Sector.objects.all(), required=False
    )
    stale = forms.BooleanField(label=_("No contact in 30 days"), required=False)
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, cities, coordinators, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        self.fields["owner"].queryset = coordinators


class ImportForm(BoundedInputMixin, forms.Form):
    file = forms.FileField(
        label=_("File (CSV or XLSX)"),
        help_text=_(
            "One employer a row, with the columns of the example file. At most 5,000 rows and 5 MB."
        ),
    )


class OpeningFilterForm(BoundedInputMixin, forms.Form):
    """The openings list's search, filters and sorting."""

    SORTS = [
        ("start_date", _("Start date")),
        ("title", _("Title")),
        ("employer", _("Employer")),
    ]

    q = forms.CharField(label=_("Search"), required=False, help_text=_("Title or employer"))
    kind = forms.ChoiceField(
        label=_("Type"), choices=[("", _("All types")), *Opening.Kind.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *Opening.Status.choices],
        required=False,
    )
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("All cities")
    )
    sector = forms.ModelChoiceField(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        required=False,
        empty_label=_("All sectors"),
    )
    skill = forms.ModelChoiceField(
        label=_("Required skill"),
        queryset=Skill.objects.all(),
        required=False,
        empty_label=_("All skills"),
    )
    sort = forms.ChoiceField(label=_("Sort by"), choices=SORTS, required=False)

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities


class PartnerFilterForm(BoundedInputMixin, forms.Form):
    """The partner list's search box and filters."""

    q = forms.CharField(label=_("Search"), required=False, help_text=_("Name or contact"))
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[("", _("All kinds")), *NetworkPartner.Kind.choices],
        required=False,
    )
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("All cities")
    )
    lead_only = forms.BooleanField(label=_("Only the lead partners"), required=False)

    def __init__(self, *args, cities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()
