"""Forms of the intake pages: plan a meeting, cancel it, and its structured record."""

import datetime as dt
from collections.abc import Mapping

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import Contact, Opening
from restart_platform.accounts.models import City, User
from restart_platform.forms import DATE_INPUT, BoundedInputMixin
from restart_platform.stale_edits import UnchangedSinceShownMixin
from youth.models import Barrier, NetworkFactor, YoungPerson

from .models import IntakeMeeting, IntakeRecord, YesNo
from .selectors import (
    NOT_IN_CITY,
    intake_contacts,
    intake_employer_accounts,
    intake_openings,
    third_parties_for,
)
from .services import PRESENCE_FIELDS, THIRD_PARTY_FIELDS

TIME_INPUT = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def company_of(user: User | None):
    contact = getattr(user, "employer_contact", None) if user is not None else None
    return contact.employer if contact is not None else None


class EmployerContactField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        company = company_of(user)
        name = user.get_full_name() or user.username
        return f"{name} — {company.name}" if company else name


class OpeningField(forms.ModelChoiceField):
    def label_from_instance(self, opening: Opening) -> str:
        return f"{opening.title} — {opening.employer.name}"


class ThirdPartyField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        return f"{user.get_full_name() or user.username} ({user.get_role_display()})"


class BarrierField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, barrier: Barrier) -> str:
        return f"{barrier.get_kind_display()} — {barrier.get_severity_display()}"


def open_openings(openings: QuerySet[Opening], *, keep: Opening | None = None):
    """The open ones of the openings offered; one chosen before and filled since stays."""
    scope = Q(status=Opening.Status.OPEN)
    if keep is not None:
        scope |= Q(pk=keep.pk)
    return openings.filter(scope)


class ContactField(forms.ModelChoiceField):
    def label_from_instance(self, contact: Contact) -> str:
        role = f", {contact.job_title}" if contact.job_title else ""
        return f"{contact.name}{role} — {contact.employer.name}"


class NetworkFactorField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, factor: NetworkFactor) -> str:
        return f"{factor.get_effect_display()}: {factor.description}"


class YouthChoiceForm(BoundedInputMixin, forms.Form):
    """First step of a new intake when no young person was given: whose intake is it?"""

    youth = forms.ModelChoiceField(label=_("Young person"), queryset=YoungPerson.objects.none())

    def __init__(self, *args, youth: QuerySet[YoungPerson], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youth
        self.fields["youth"].label_from_instance = lambda person: (
            f"{person.case_reference} — {person.display_name} {person.last_name}"
        )


class IntakeForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.Form):
    """When, where and who. The date and time are Dutch local time (Europe/Amsterdam)."""

    date = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    time = forms.TimeField(label=_("Start time"), widget=TIME_INPUT)
    duration_minutes = forms.IntegerField(
        label=_("Duration (minutes)"), min_value=15, max_value=240, initial=60
    )
    place = forms.CharField(
        label=_("Place"),
        max_length=200,
        help_text=_("An address, or the name of a place everyone knows."),
    )
    employer_contact = EmployerContactField(
        label=_("Employer contact"),
        queryset=User.objects.none(),
        required=False,
        help_text=_(
            "Usually the employer takes part; a first talk with the young person alone is possible too."
        ),
        error_messages={"invalid_choice": NOT_IN_CITY["employer_contact"]},
    )
    opening = OpeningField(
        label=_("Opening"),
        queryset=Opening.objects.none(),
        required=False,
        help_text=_(
            "Optional: the opening the meeting is about, at the employer contact's company."
        ),
        error_messages={"invalid_choice": NOT_IN_CITY["opening"]},
    )
    third_party = ThirdPartyField(
        label=_("Third party with authority"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Optional: a coordinator of the young person's city."),
        error_messages={"invalid_choice": NOT_IN_CITY["third_party"]},
    )
    third_party_name = forms.CharField(
        label=_("Third party without an account"),
        max_length=200,
        required=False,
        help_text=_("Optional: name and role, e.g. a job coach of the municipality."),
    )
    third_party_authority = forms.ChoiceField(
        label=_("Kind of authority"),
        choices=[("", "---------"), *IntakeMeeting.Authority.choices],
        required=False,
        help_text=_(
            "Optional now, asked when you record who was there: why the third party's presence "
            "carries weight with the young person."
        ),
    )

    # Who may be proposed through a link (an employer's "interested" proposes an intake).
    PROPOSABLE = ("employer_contact", "opening", "third_party")
    guarded_fields = (
        "starts_at",
        "duration_minutes",
        "place",
        "employer_contact",
        "opening",
        "third_party",
        "third_party_name",
        "third_party_authority",
    )

    def __init__(
        self,
        *args,
        user: User,
        youth: YoungPerson,
        meeting=None,
        proposed: Mapping[str, str] | None = None,
        **kwargs,
    ):
        self.meeting = meeting
        if meeting is not None:
            kwargs.setdefault("initial", initial_for(meeting))
        super().__init__(*args, **kwargs)
        self.fields["employer_contact"].queryset = intake_employer_accounts(user, youth)
        self.fields["opening"].queryset = open_openings(
            intake_openings(user, youth), keep=meeting.opening if meeting is not None else None
        )
        self.fields["third_party"].queryset = third_parties_for(youth)
        self.proposed = self.valid_proposals(proposed) if proposed and not self.is_bound else {}
        self.initial |= self.proposed

    def guarded_record(self) -> IntakeMeeting | None:
        return self.meeting

    def valid_proposals(self, proposed: Mapping[str, str]) -> dict[str, int]:
        """The ids a link proposes (?employer_contact=&opening=&third_party=), each kept only
        when this form offers it to this user for this young person: a link can be edited."""
        valid = {}
        for name in self.PROPOSABLE:
            pk = _an_id(proposed.get(name, ""))
            if pk is not None and self.fields[name].queryset.filter(pk=pk).exists():
                valid[name] = pk
        return valid

    def clean_place(self) -> str:
        return self.cleaned_data["place"].strip()

    def clean_third_party_name(self) -> str:
        return self.cleaned_data["third_party_name"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("date") and cleaned.get("time"):
            naive = dt.datetime.combine(cleaned["date"], cleaned["time"])
            cleaned["starts_at"] = timezone.make_aware(naive, timezone.get_default_timezone())
        if cleaned.get("third_party") and not cleaned.get("third_party_authority"):
            cleaned["third_party_authority"] = IntakeMeeting.Authority.COORDINATOR
        return cleaned

    def meeting_fields(self) -> dict:
        """What the services take: the start as one moment, the rest as chosen."""
        names = ["starts_at", "duration_minutes", "place", "employer_contact", "opening"]
        names += ["third_party", "third_party_name", "third_party_authority"]
        return {name: self.cleaned_data[name] for name in names}


def _an_id(value: str) -> int | None:
    """A row id from a query string, or None for anything else (isdigit alone takes "²")."""
    return int(value) if value.isascii() and value.isdigit() else None


def initial_for(meeting: IntakeMeeting) -> dict:
    local = timezone.localtime(meeting.starts_at)
    return {
        "date": local.date(),
        "time": local.time().replace(second=0, microsecond=0),
        "duration_minutes": meeting.duration_minutes,
        "place": meeting.place,
        "employer_contact": meeting.employer_contact_id,
        "opening": meeting.opening_id,
        "third_party": meeting.third_party_id,
        "third_party_name": meeting.third_party_name,
        "third_party_authority": meeting.third_party_authority,
    }


class IntakeCancelForm(BoundedInputMixin, forms.Form):
    cancel_reason = forms.CharField(
        label=_("Reason"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Everyone invited receives the cancellation; the reason stays on the platform."
        ),
    )

    def clean_cancel_reason(self) -> str:
        reason = self.cleaned_data["cancel_reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the intake is cancelled."))
        return reason


class IntakeAttendanceForm(UnchangedSinceShownMixin, forms.Form):
    """After the meeting: did it take place, and who was there. The employer may be a contact
    person without a portal account, or someone named here: a name and a role are enough."""

    HAPPENED = [
        (IntakeMeeting.Status.HELD, _("Yes, the meeting was held")),
        (IntakeMeeting.Status.NO_SHOW, _("No, someone did not come")),
    ]

    status = forms.ChoiceField(label=_("Did the meeting take place?"), choices=HAPPENED)
    absent = forms.ChoiceField(
        label=_("Who did not come?"),
        choices=[("", "---------"), *IntakeMeeting.Absent.choices],
        required=False,
    )
    youth_present = forms.BooleanField(label=_("The young person was there"), required=False)
    youth_worker_present = forms.BooleanField(
        label=_("The youth worker was there, as bridge"), required=False
    )
    employer_present = forms.BooleanField(label=_("The employer was there"), required=False)
    present_contact = ContactField(
        label=_("Who came for the employer"),
        queryset=Contact.objects.none(),
        required=False,
        help_text=_("A contact person of the employer, with or without a portal account."),
        error_messages={"invalid_choice": NOT_IN_CITY["present_contact"]},
    )
    present_employer_name = forms.CharField(
        label=_("Or their name"),
        max_length=150,
        required=False,
        help_text=_("Not a contact person yet? A name and a role are enough."),
    )
    present_employer_role = forms.CharField(label=_("Their role"), max_length=150, required=False)
    third_party_present = forms.BooleanField(
        label=_("The third party with authority was there"), required=False
    )
    third_party = ThirdPartyField(
        label=_("Third party with authority"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("A coordinator of the young person's city."),
        error_messages={"invalid_choice": NOT_IN_CITY["third_party"]},
    )
    third_party_name = forms.CharField(
        label=_("Or their name and role"),
        max_length=200,
        required=False,
        help_text=_("E.g. a job coach of the municipality, or the manager at the employer."),
    )
    third_party_authority = forms.ChoiceField(
        label=_("Kind of authority"),
        choices=[("", "---------"), *IntakeMeeting.Authority.choices],
        required=False,
    )

    guarded_fields = ("status", "absent", *PRESENCE_FIELDS, *THIRD_PARTY_FIELDS)

    def __init__(self, *args, user: User, meeting: IntakeMeeting, **kwargs):
        self.meeting = meeting
        kwargs.setdefault("initial", attendance_initial(meeting))
        super().__init__(*args, **kwargs)
        self.fields["present_contact"].queryset = intake_contacts(user, meeting.youth)
        self.fields["third_party"].queryset = third_parties_for(meeting.youth)

    def guarded_record(self) -> IntakeMeeting:
        return self.meeting

    def clean_present_employer_name(self) -> str:
        return self.cleaned_data["present_employer_name"].strip()

    def clean_present_employer_role(self) -> str:
        return self.cleaned_data["present_employer_role"].strip()

    def clean_third_party_name(self) -> str:
        return self.cleaned_data["third_party_name"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("status") == IntakeMeeting.Status.NO_SHOW:
            if not cleaned.get("absent"):
                self.add_error("absent", _("Say who did not come."))
            return cleaned
        if cleaned.get("employer_present") and not (
            cleaned.get("present_contact") or cleaned.get("present_employer_name")
        ):
            self.add_error(
                "present_employer_name",
                _("Choose the contact person who came, or give their name and role."),
            )
        if cleaned.get("present_employer_name") and not cleaned.get("present_employer_role"):
            self.add_error("present_employer_role", _("Give the role of the person who came."))
        if cleaned.get("third_party") and not cleaned.get("third_party_authority"):
            cleaned["third_party_authority"] = IntakeMeeting.Authority.COORDINATOR
        if cleaned.get("third_party_present"):
            if not (cleaned.get("third_party") or cleaned.get("third_party_name")):
                self.add_error(
                    "third_party_name", _("Choose the third party who came, or give their name.")
                )
            elif not cleaned.get("third_party_authority"):
                self.add_error(
                    "third_party_authority", _("Say what gives the third party their authority.")
                )
        return cleaned

    def attendance_fields(self) -> dict:
        names = ["status", "absent", "youth_present", "youth_worker_present", "employer_present"]
        names += ["present_contact", "present_employer_name", "present_employer_role"]
        names += ["third_party_present", "third_party", "third_party_name", "third_party_authority"]
        return {name: self.cleaned_data[name] for name in names}


def attendance_initial(meeting: IntakeMeeting) -> dict:
    """What was recorded before; else what was planned, with everyone ticked as present."""
    planned_contact = getattr(meeting.employer_contact, "employer_contact", None)
    if meeting.status in {IntakeMeeting.Status.HELD, IntakeMeeting.Status.NO_SHOW}:
        initial = {name: getattr(meeting, name) for name in ATTENDANCE_FIELDS}
        return initial | {"present_contact": meeting.present_contact_id}
    return {
        "status": IntakeMeeting.Status.HELD,
        "youth_present": True,
        "youth_worker_present": True,
        "employer_present": planned_contact is not None,
        "present_contact": planned_contact.pk if planned_contact else None,
        "third_party_present": bool(meeting.third_party_id or meeting.third_party_name),
        "third_party": meeting.third_party_id,
        "third_party_name": meeting.third_party_name,
        "third_party_authority": meeting.third_party_authority,
    }


ATTENDANCE_FIELDS = [
    "status",
    "absent",
    "youth_present",
    "youth_worker_present",
    "employer_present",
    "present_employer_name",
    "present_employer_role",
    "third_party_present",
    "third_party_id",
    "third_party_name",
    "third_party_authority",
]


TEXTAREA = forms.Textarea(attrs={"rows": 3})
# Radio buttons drawn as large buttons (Bootstrap's btn-check): easy to tap on a phone.
BUTTON_RADIOS = forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"})
RATINGS = [(rating, str(rating)) for rating in range(1, 6)]

# The record's fieldsets, one per working element of the intake, in the order of the meeting.
RECORD_SECTIONS = [
    (_("Motivation"), ["motivation_words", "motivation_rating", "motivation_drivers"]),
    (_("Barriers to motivation"), ["barriers", "no_barriers_found"]),
    (
        _("Network"),
        [
            "network_factors",
            "new_helping_factor",
            "new_hindering_factor",
            "network_helping",
            "network_hindering",
        ],
    ),
    (_("Expectations"), ["youth_expectations", "employer_expectations", "agreed_expectations"]),
    (_("Non-committal"), ["non_committal"]),
    (
        _("Is there a click?"),
        ["youth_click", "youth_impression", "employer_click", "employer_impression"],
    ),
    (_("Outcome"), ["outcome", "outcome_opening", "outcome_note", "next_step", "next_step_on"]),
]


SENSITIVE_RECORD_FIELDS = [
    "barriers",
    "no_barriers_found",
    "network_factors",
    "new_helping_factor",
    "new_hindering_factor",
]


class IntakeRecordForm(UnchangedSinceShownMixin, BoundedInputMixin, forms.ModelForm):
    """The structured record of the meeting. A draft may be incomplete; finishing asks for the
    outcome and the next step (the service holds that rule)."""

    motivation_rating = forms.TypedChoiceField(
        label=_("Motivation (1 = hardly, 5 = very motivated)"),
        choices=RATINGS,
        coerce=int,
        empty_value=None,
        required=False,
        widget=BUTTON_RADIOS,
    )
    barriers = BarrierField(
        label=_("Barriers that came up"),
        queryset=Barrier.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "The young person's unresolved barriers, as recorded on their profile. "
            "One is missing? Add it on the profile first."
        ),
    )
    no_barriers_found = forms.BooleanField(
        label=_("Asked, and no barriers to motivation found"), required=False
    )
    network_factors = NetworkFactorField(
        label=_("Helping and hindering factors that came up"),
        queryset=NetworkFactor.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The network factors recorded on the young person's profile."),
    )
    new_helping_factor = forms.CharField(
        label=_("A new helping factor"),
        max_length=300,
        required=False,
        help_text=_("Added to the profile's network and linked to this intake."),
    )
    new_hindering_factor = forms.CharField(
        label=_("A new hindering factor"),
        max_length=300,
        required=False,
        help_text=_("Added to the profile's network and linked to this intake."),
    )
    non_committal = forms.ChoiceField(
        label=_("The meeting was non-committal"),
        choices=[*YesNo.choices, ("", _("Not recorded"))],
        required=False,
        widget=BUTTON_RADIOS,
        help_text=_(
            "A first meeting commits no one: were both sides told so? Needed to finish the record."
        ),
    )
    youth_click = forms.ChoiceField(
        label=_("The young person's impression"),
        choices=IntakeRecord.Click.choices,
        required=False,
        widget=BUTTON_RADIOS,
    )
    employer_click = forms.ChoiceField(
        label=_("The employer's impression"),
        choices=IntakeRecord.Click.choices,
        required=False,
        widget=BUTTON_RADIOS,
    )
    outcome_opening = OpeningField(
        label=_("Opening for the placement"), queryset=Opening.objects.none(), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    class Meta:
        model = IntakeRecord
        fields = [
            field
            for _title, fields in RECORD_SECTIONS
            for field in fields
            if field not in {"new_helping_factor", "new_hindering_factor"}
        ]
        widgets = {
            "motivation_words": TEXTAREA,
            "motivation_drivers": TEXTAREA,
            "network_helping": TEXTAREA,
            "network_hindering": TEXTAREA,
            "youth_expectations": TEXTAREA,
            "employer_expectations": TEXTAREA,
            "agreed_expectations": TEXTAREA,
            "youth_impression": TEXTAREA,
            "employer_impression": TEXTAREA,
            "outcome_note": TEXTAREA,
            "next_step_on": DATE_INPUT,
        }

    def __init__(self, *args, user: User, meeting: IntakeMeeting, show_barriers: bool, **kwargs):
        super().__init__(*args, **kwargs)
        record = self.instance
        # A record not saved yet carries version 0: if someone saves one first, ours is refused.
        self.fields["version"].initial = record.version if record.pk else 0
        openings = intake_openings(user, meeting.youth)
        company = company_of(meeting.employer_contact) or getattr(meeting.opening, "employer", None)
        if company is not None:  # the placement is at the employer the young person met
            openings = openings.filter(employer=company)
        self.fields["outcome_opening"].queryset = open_openings(
            openings, keep=record.outcome_opening or meeting.opening
        )
        if show_barriers:
            linked = record.barriers.all() if record.pk else Barrier.objects.none()
            self.fields["barriers"].queryset = Barrier.objects.filter(
                Q(youth=meeting.youth_id, is_resolved=False) | Q(pk__in=linked.values("pk"))
            ).order_by("is_resolved", "-severity", "pk")
            self.fields["network_factors"].queryset = NetworkFactor.objects.filter(
                youth=meeting.youth_id
            ).order_by("effect", "pk")
        else:  # barriers and the network are for those who may see the sensitive parts
            for name in SENSITIVE_RECORD_FIELDS:
                del self.fields[name]

    def sections(self) -> list[dict]:
        sections = [
            {"title": title, "fields": [self[name] for name in names if name in self.fields]}
            for title, names in RECORD_SECTIONS
        ]
        return [section for section in sections if section["fields"]]

    def clean_new_helping_factor(self) -> str:
        return self.cleaned_data["new_helping_factor"].strip()

    def clean_new_hindering_factor(self) -> str:
        return self.cleaned_data["new_hindering_factor"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("no_barriers_found") and cleaned.get("barriers"):
            self.add_error(
                "no_barriers_found",
                _("Either choose the barriers that came up, or mark that none were found."),
            )
        return cleaned

    def record_fields(self) -> dict:
        """What the service saves as the record's own fields."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"version", *SENSITIVE_RECORD_FIELDS}
        }

    def network_fields(self) -> dict:
        """The barriers and the network, for the service; left out when not shown."""
        if "barriers" not in self.fields:
            return {}
        return {name: self.cleaned_data[name] for name in SENSITIVE_RECORD_FIELDS}


class IntakeFilterForm(BoundedInputMixin, forms.Form):
    """The intake list's search box and filters."""

    WHEN = [("", _("All")), ("upcoming", _("Upcoming")), ("past", _("Past"))]

    q = forms.CharField(
        label=_("Search"), required=False, help_text=_("Name of the young person, or place")
    )
    when = forms.ChoiceField(label=_("When"), choices=WHEN, required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[("", _("All statuses")), *IntakeMeeting.Status.choices],
        required=False,
    )
    awaiting_outcome = forms.BooleanField(label=_("Awaiting outcome"), required=False)
    city = forms.ModelChoiceField(
        label=_("City"), queryset=City.objects.none(), required=False, empty_label=_("All cities")
    )

    def __init__(self, *args, cities: QuerySet[City] | None, **kwargs):
        super().__init__(*args, **kwargs)
        if cities is None:  # a youth worker's caseload is in one place: no city to pick
            del self.fields["city"]
        else:
            self.fields["city"].queryset = cities

    def clean_q(self) -> str:
        return self.cleaned_data["q"].strip()
