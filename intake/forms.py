"""Forms of the intake pages: plan a meeting, cancel it, and its structured record."""

import datetime as dt
from collections.abc import Mapping

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from employers.models import Opening
from employers.selectors import openings_visible_to
from restart_platform.accounts.models import City, User
from restart_platform.forms import DATE_INPUT, BoundedInputMixin
from youth.models import Barrier, YoungPerson

from .models import IntakeMeeting, IntakeRecord

TIME_INPUT = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


def employer_contacts() -> QuerySet[User]:
    """Accounts of employer contacts that are linked to a company: the employer side of an intake."""
    return (
        User.objects.filter(
            role=User.Role.EMPLOYER_CONTACT, is_active=True, employer_contact__isnull=False
        )
        .select_related("employer_contact__employer")
        .order_by("employer_contact__employer__name", "first_name", "last_name")
    )


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


def open_openings_for(user: User, *, employer_ids=(), keep: Opening | None = None):
    """Open openings the user may see, and those of the given companies (the employer side of
    the meeting: a youth worker sees no employer records, yet plans intakes with them)."""
    scope = Q(pk__in=openings_visible_to(user).values("pk")) | Q(employer_id__in=employer_ids)
    openings = Opening.objects.filter(scope, status=Opening.Status.OPEN)
    if keep is not None:  # an opening chosen before and filled since stays selectable
        openings = Opening.objects.filter(Q(pk__in=openings.values("pk")) | Q(pk=keep.pk))
    return openings.select_related("employer").order_by("employer__name", "title", "pk")


def third_parties_for(youth: YoungPerson) -> QuerySet[User]:
    """Someone with authority: a coordinator of the young person's city, or another youth worker."""
    return (
        User.objects.filter(is_active=True)
        .filter(
            Q(role=User.Role.COORDINATOR, cities=youth.city_id) | Q(role=User.Role.YOUTH_WORKER)
        )
        .exclude(pk=youth.youth_worker_id)
        .distinct()
        .order_by("role", "first_name", "last_name", "pk")
    )


class YouthChoiceForm(BoundedInputMixin, forms.Form):
    """First step of a new intake when no young person was given: whose intake is it?"""

    youth = forms.ModelChoiceField(label=_("Young person"), queryset=YoungPerson.objects.none())

    def __init__(self, *args, youth: QuerySet[YoungPerson], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["youth"].queryset = youth
        self.fields["youth"].label_from_instance = lambda person: (
            f"{person.case_reference} — {person.display_name} {person.last_name}"
        )


class IntakeForm(BoundedInputMixin, forms.Form):
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
    )
    opening = OpeningField(
        label=_("Opening"),
        queryset=Opening.objects.none(),
        required=False,
        help_text=_(
            "Optional: the opening the meeting is about, at the employer contact's company."
        ),
    )
    third_party = ThirdPartyField(
        label=_("Third party with authority"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Optional: a coordinator of the young person's city, or another youth worker."),
    )
    third_party_name = forms.CharField(
        label=_("Third party without an account"),
        max_length=200,
        required=False,
        help_text=_("Optional: name and role, e.g. a job coach of the municipality."),
    )

    # Who may be proposed through a link (an employer's "interested" proposes an intake).
    PROPOSABLE = ("employer_contact", "opening", "third_party")

    def __init__(
        self,
        *args,
        user: User,
        youth: YoungPerson,
        meeting=None,
        proposed: Mapping[str, str] | None = None,
        **kwargs,
    ):
        if meeting is not None:
            kwargs.setdefault("initial", initial_for(meeting))
        super().__init__(*args, **kwargs)
        contacts = employer_contacts()
        self.fields["employer_contact"].queryset = contacts
        self.fields["opening"].queryset = open_openings_for(
            user,
            employer_ids=contacts.values("employer_contact__employer_id"),
            keep=meeting.opening if meeting is not None else None,
        )
        self.fields["third_party"].queryset = third_parties_for(youth)
        self.proposed = self.valid_proposals(proposed) if proposed and not self.is_bound else {}
        self.initial |= self.proposed

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
        return cleaned

    def meeting_fields(self) -> dict:
        """What the services take: the start as one moment, the rest as chosen."""
        names = ["starts_at", "duration_minutes", "place", "employer_contact", "opening"]
        names += ["third_party", "third_party_name"]
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


TEXTAREA = forms.Textarea(attrs={"rows": 3})
# Radio buttons drawn as large buttons (Bootstrap's btn-check): easy to tap on a phone.
BUTTON_RADIOS = forms.RadioSelect(attrs={"class": "btn-check", "autocomplete": "off"})
RATINGS = [(rating, str(rating)) for rating in range(1, 6)]

# The record's fieldsets, one per working element of the intake, in the order of the meeting.
RECORD_SECTIONS = [
    (_("Motivation"), ["motivation_words", "motivation_rating", "motivation_drivers"]),
    (_("Barriers to motivation"), ["barriers"]),
    (_("Network"), ["network_helping", "network_hindering"]),
    (_("Expectations"), ["youth_expectations", "employer_expectations", "agreed_expectations"]),
    (_("Non-committal"), ["was_non_committal"]),
    (
        _("Is there a click?"),
        ["youth_click", "youth_impression", "employer_click", "employer_impression"],
    ),
    (_("Outcome"), ["outcome", "outcome_opening", "outcome_note", "next_step", "next_step_on"]),
]


class IntakeRecordForm(BoundedInputMixin, forms.ModelForm):
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
        fields = [field for _title, fields in RECORD_SECTIONS for field in fields]
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
        company = company_of(meeting.employer_contact)
        self.fields["outcome_opening"].queryset = open_openings_for(
            user,
            employer_ids=[company.pk] if company else [],
            keep=record.outcome_opening or meeting.opening,
        )
        if show_barriers:
            linked = record.barriers.all() if record.pk else Barrier.objects.none()
            self.fields["barriers"].queryset = Barrier.objects.filter(
                Q(youth=meeting.youth_id, is_resolved=False) | Q(pk__in=linked.values("pk"))
            ).order_by("is_resolved", "-severity", "pk")
        else:
            del self.fields["barriers"]

    def sections(self) -> list[dict]:
        sections = [
            {"title": title, "fields": [self[name] for name in names if name in self.fields]}
            for title, names in RECORD_SECTIONS
        ]
        return [section for section in sections if section["fields"]]

    def record_fields(self) -> dict:
        """What the service saves: the sections' fields, less the version and the barriers."""
        return {
            name: value
            for name, value in self.cleaned_data.items()
            if name not in {"version", "barriers"}
        }


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
