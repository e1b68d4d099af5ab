"""Who may take part in an intake (only people of the young person's city), and after the
meeting: held with who was there, or a no-show with who did not come."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from intake import services
from intake.models import IntakeMeeting, IntakeRecord
from restart_platform.accounts.factories import CoordinatorFactory, EmployerContactFactory
from restart_platform.accounts.models import AccessEvent
from restart_platform.notifications.models import Reminder
from tests.edits import post_edit
from tests.employers.factories import ContactFactory, EmployerFactory, OpeningFactory
from youth.factories import YoungPersonFactory

from .test_meetings import schedule_data

pytestmark = pytest.mark.django_db


# --- Every choice from the young person's city (issue 10) ------------------------------------


@pytest.fixture
def dordrecht_youth(jw_dordrecht):
    return YoungPersonFactory(youth_worker=jw_dordrecht)


@pytest.fixture
def rotterdam_side(rotterdam, coord_rotterdam, jw_rotterdam):
    """A Rotterdam employer with a portal account, an open opening, a contact person without an
    account, and a Rotterdam youth worker: none of them belongs at a Dordrecht intake."""
    employer = EmployerFactory(name="Kringloop Maasstad", city=rotterdam, owner=coord_rotterdam)
    account = EmployerContactFactory(username="werkgever.rotterdam")
    ContactFactory(employer=employer, user=account)
    return {
        "account": account,
        "opening": OpeningFactory(employer=employer),
        "contact": ContactFactory(employer=employer, name="Ria van Dam"),
        "coordinator": coord_rotterdam,
        "youth_worker": jw_rotterdam,
    }


@pytest.fixture
def dordrecht_side(dordrecht, coord_dordrecht):
    employer = EmployerFactory(name="Repair Drechtsteden", city=dordrecht, owner=coord_dordrecht)
    account = EmployerContactFactory(username="werkgever.dordrecht")
    ContactFactory(employer=employer, user=account)
    return {
        "account": account,
        "opening": OpeningFactory(employer=employer),
        "contact": ContactFactory(employer=employer, name="Henk de Bruin"),
        "coordinator": coord_dordrecht,
    }


def test_the_intake_form_offers_a_dordrecht_youth_worker_only_dordrecht_people(
    client_for, jw_dordrecht, dordrecht_youth, rotterdam_side, dordrecht_side
):
    url = reverse("intake:intake_create") + f"?youth={dordrecht_youth.pk}"
    form = client_for(jw_dordrecht).get(url).context["form"]
    assert list(form.fields["employer_contact"].queryset) == [dordrecht_side["account"]]
    assert list(form.fields["opening"].queryset) == [dordrecht_side["opening"]]
    assert list(form.fields["third_party"].queryset) == [dordrecht_side["coordinator"]]


@pytest.mark.parametrize(
    ("field", "key"),
    [
        ("employer_contact", "account"),
        ("opening", "opening"),
        ("third_party", "coordinator"),
        ("third_party", "youth_worker"),
    ],
)
def test_a_rotterdam_choice_posted_to_a_dordrecht_intake_is_refused_in_dutch_and_nobody_is_told(
    client_for, jw_dordrecht, dordrecht_youth, rotterdam_side, field, key
):
    url = reverse("intake:intake_create") + f"?youth={dordrecht_youth.pk}"
    response = client_for(jw_dordrecht).post(url, schedule_data(**{field: rotterdam_side[key]}))
    assert response.status_code == 200
    assert "stad van de jongere" in " ".join(response.context["form"].errors[field])
    assert not IntakeMeeting.objects.exists()
    assert not Reminder.objects.exists()


@pytest.mark.parametrize(
    ("field", "key"),
    [("employer_contact", "account"), ("opening", "opening"), ("third_party", "coordinator")],
)
def test_the_service_refuses_a_choice_from_another_city_even_without_the_form(
    jw_dordrecht, dordrecht_youth, rotterdam_side, field, key
):
    with pytest.raises(ValidationError) as refused:
        services.intake_schedule(
            youth=dordrecht_youth,
            by=jw_dordrecht,
            starts_at=timezone.now() + dt.timedelta(days=3),
            place="Het Bolwerk",
            **{field: rotterdam_side[key]},
        )
    assert field in refused.value.message_dict
    assert not IntakeMeeting.objects.exists()
    assert not Reminder.objects.exists()


def test_a_coordinator_of_both_cities_is_offered_only_the_young_persons_city(
    client_for, rotterdam, dordrecht, dordrecht_youth, rotterdam_side, dordrecht_side
):
    both = CoordinatorFactory(username="coord.beide", cities=[rotterdam, dordrecht])
    url = reverse("intake:intake_create") + f"?youth={dordrecht_youth.pk}"
    form = client_for(both).get(url).context["form"]
    assert list(form.fields["employer_contact"].queryset) == [dordrecht_side["account"]]
    assert set(form.fields["third_party"].queryset) == {dordrecht_side["coordinator"], both}


# --- After the meeting: held, or a no-show -----------------------------------------------------


@pytest.fixture
def past(meeting):
    """The planned intake (conftest) took place two hours ago."""
    IntakeMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    meeting.refresh_from_db()
    return meeting


def attendance_url(meeting) -> str:
    return reverse("intake:intake_attendance", args=[meeting.pk])


def held_data(**overrides) -> dict:
    data = {
        "status": "held",
        "absent": "",
        "youth_present": "on",
        "youth_worker_present": "on",
        "employer_present": "on",
        "present_contact": "",
        "present_employer_name": "",
        "present_employer_role": "",
        "third_party_present": "",
        "third_party": "",
        "third_party_name": "",
        "third_party_authority": "",
    }
    return {**data, **overrides}


def test_a_held_intake_records_an_employer_without_an_account_by_name_and_role(
    client_for, jw_rotterdam, past, coord_rotterdam
):
    data = held_data(
        present_employer_name="Sandra Visser",
        present_employer_role="Teamleider werkplaats",
        third_party_present="on",
        third_party=coord_rotterdam.pk,
    )
    response = post_edit(client_for(jw_rotterdam), attendance_url(past), data)
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.status == IntakeMeeting.Status.HELD
    assert (past.present_employer_name, past.present_employer_role) == (
        "Sandra Visser",
        "Teamleider werkplaats",
    )
    assert past.present_contact is None
    assert (past.third_party_present, past.third_party_authority) == (True, "coordinator")
    detail = client_for(jw_rotterdam).get(past.get_absolute_url()).content.decode()
    assert "Sandra Visser, Teamleider werkplaats" in detail


def test_a_contact_person_without_a_portal_account_can_be_the_employer_present(
    client_for, jw_rotterdam, past, employer
):
    colleague = ContactFactory(employer=employer, name="Karim Bouzid", user=None)
    response = post_edit(
        client_for(jw_rotterdam), attendance_url(past), held_data(present_contact=colleague.pk)
    )
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.present_contact == colleague


def test_a_third_party_named_with_the_kind_of_authority(client_for, jw_rotterdam, past):
    data = held_data(
        present_employer_name="Sandra Visser",
        present_employer_role="Eigenaar",
        third_party_present="on",
        third_party_name="Fatima Bakker, jobcoach",
        third_party_authority="job_coach",
    )
    assert post_edit(client_for(jw_rotterdam), attendance_url(past), data).status_code == 302
    past.refresh_from_db()
    assert (past.third_party_name, past.get_third_party_authority_display()) == (
        "Fatima Bakker, jobcoach",
        "Jobcoach",
    )


def test_a_no_show_says_who_did_not_come_and_calls_off_the_outcome_reminder(
    client_for, jw_rotterdam, past
):
    data = held_data(status="no_show", absent="youth")
    assert post_edit(client_for(jw_rotterdam), attendance_url(past), data).status_code == 302
    past.refresh_from_db()
    assert (past.status, past.absent, past.youth_present, past.employer_present) == (
        "no_show",
        "youth",
        False,
        False,
    )
    reminder = Reminder.objects.get(kind="intake.outcome_missing")
    assert reminder.status == Reminder.Status.CANCELLED


@pytest.mark.parametrize(
    ("overrides", "field", "dutch"),
    [
        ({}, "present_employer_name", "naam en rol"),
        ({"present_employer_name": "Sandra Visser"}, "present_employer_role", "rol"),
        ({"status": "no_show"}, "absent", "wie er niet"),
        (
            {"present_contact": "", "present_employer_name": "X", "third_party_present": "on"},
            "third_party_name",
            "derde partij",
        ),
        (
            {
                "present_employer_name": "X",
                "present_employer_role": "Y",
                "third_party_present": "on",
                "third_party_name": "Ahmed, wijkagent",
            },
            "third_party_authority",
            "gezag",
        ),
    ],
    ids=[
        "employer-neither-contact-nor-named",
        "named-without-role",
        "no-show-without-who",
        "third-party-present-unnamed",
        "third-party-without-authority",
    ],
)
def test_bad_attendance_is_refused_in_dutch_and_nothing_is_saved(
    client_for, jw_rotterdam, past, overrides, field, dutch
):
    response = post_edit(client_for(jw_rotterdam), attendance_url(past), held_data(**overrides))
    assert response.status_code == 200
    assert dutch in " ".join(response.context["form"].errors[field]).lower()
    past.refresh_from_db()
    assert past.status == IntakeMeeting.Status.SCHEDULED
    assert not past.employer_present


def test_a_contact_of_another_citys_employer_is_refused_as_the_employer_present(
    client_for, jw_rotterdam, past, dordrecht, coord_dordrecht
):
    elsewhere = ContactFactory(employer=EmployerFactory(city=dordrecht, owner=coord_dordrecht))
    response = post_edit(
        client_for(jw_rotterdam), attendance_url(past), held_data(present_contact=elsewhere.pk)
    )
    assert "stad van de jongere" in " ".join(response.context["form"].errors["present_contact"])
    with pytest.raises(ValidationError):
        services.intake_record_attendance(
            meeting=past,
            by=jw_rotterdam,
            status="held",
            employer_present=True,
            present_contact=elsewhere,
        )
    past.refresh_from_db()
    assert past.status == IntakeMeeting.Status.SCHEDULED


def test_who_was_there_is_recorded_after_the_meeting_not_before(client_for, jw_rotterdam, meeting):
    response = client_for(jw_rotterdam).get(attendance_url(meeting))
    assert response.status_code == 302
    with pytest.raises(ValidationError):
        services.intake_record_attendance(meeting=meeting, by=jw_rotterdam, status="held")


def test_finishing_needs_the_meeting_held_and_non_committal_answered(
    client_for, jw_rotterdam, past
):
    next_week = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    record = {
        "version": 0,
        "action": "finish",
        "motivation_words": "Ik wil werken.",
        "outcome": "programme",
        "next_step": "Startgesprek",
        "next_step_on": next_week,
        "non_committal": "",
    }
    client = client_for(jw_rotterdam)
    url = reverse("intake:intake_record", args=[past.pk])
    errors = client.post(url, record).context["form"].errors
    assert "wie er was" in " ".join(errors["outcome"]).lower()
    assert "vrijblijvend" in " ".join(errors["non_committal"]).lower()
    post_edit(
        client,
        attendance_url(past),
        held_data(present_employer_name="A", present_employer_role="B"),
    )
    errors = client.post(url, record).context["form"].errors
    assert "non_committal" in errors
    assert not IntakeRecord.objects.filter(status=IntakeRecord.Status.FINISHED).exists()
    assert client.post(url, {**record, "non_committal": "no"}).status_code == 302
    assert IntakeRecord.objects.get().non_committal == "no"


def test_no_barriers_found_and_barriers_chosen_together_are_refused(
    client_for, jw_rotterdam, past, youth
):
    from youth.factories import BarrierFactory

    barrier = BarrierFactory(youth=youth)
    response = post_edit(
        client_for(jw_rotterdam),
        reverse("intake:intake_record", args=[past.pk]),
        {"version": 0, "action": "draft", "barriers": [barrier.pk], "no_barriers_found": "on"},
    )
    assert "no_barriers_found" in response.context["form"].errors
    assert not IntakeRecord.objects.exists()


def test_network_factors_are_linked_and_new_ones_land_on_the_profile(
    client_for, jw_rotterdam, past, youth
):
    from youth.factories import NetworkFactorFactory

    aunt = NetworkFactorFactory(youth=youth, effect="helps", description="Tante met een bakkerij")
    response = post_edit(
        client_for(jw_rotterdam),
        reverse("intake:intake_record", args=[past.pk]),
        {
            "version": 0,
            "action": "draft",
            "network_factors": [aunt.pk],
            "new_hindering_factor": "Vrienden die 's nachts blijven gamen",
        },
    )
    assert response.status_code == 302
    record = IntakeRecord.objects.get()
    linked = {factor.description for factor in record.network_factors.all()}
    assert linked == {"Tante met een bakkerij", "Vrienden die 's nachts blijven gamen"}
    assert youth.network_factors.filter(effect="hinders").count() == 1


@pytest.mark.parametrize("role", ["jw_rotterdam2", "coord_dordrecht"])
def test_another_youth_worker_and_the_other_city_get_404_on_who_was_there(
    role, client_for, past, jw_rotterdam2, coord_dordrecht
):
    user = {"jw_rotterdam2": jw_rotterdam2, "coord_dordrecht": coord_dordrecht}[role]
    assert client_for(user).get(attendance_url(past)).status_code == 404
    assert post_edit(client_for(user), attendance_url(past), held_data()).status_code == 404
    past.refresh_from_db()
    assert past.status == IntakeMeeting.Status.SCHEDULED
    assert AccessEvent.objects.filter(actor=user, outcome=AccessEvent.Outcome.DENIED).exists()


@pytest.mark.parametrize("role", ["admin", "coord_rotterdam", "jw_rotterdam"])
def test_admin_city_coordinator_and_own_youth_worker_record_who_was_there(
    role, client_for, past, cast
):
    response = post_edit(
        client_for(cast[role]),
        attendance_url(past),
        held_data(present_employer_name="A", present_employer_role="B"),
    )
    assert response.status_code == 302
    past.refresh_from_db()
    assert past.status == IntakeMeeting.Status.HELD


def test_employer_contacts_get_404_on_who_was_there(client_for, past, employer_contact2):
    assert client_for(employer_contact2).get(attendance_url(past)).status_code == 404


def test_a_held_intake_is_neither_moved_nor_cancelled_and_the_list_shows_it(
    client_for, jw_rotterdam, past
):
    client = client_for(jw_rotterdam)
    post_edit(
        client,
        attendance_url(past),
        held_data(present_employer_name="A", present_employer_role="B"),
    )
    assert client.get(reverse("intake:intake_edit", args=[past.pk])).status_code == 302
    assert client.get(reverse("intake:intake_cancel", args=[past.pk])).status_code == 302
    with pytest.raises(ValidationError):
        services.intake_cancel(meeting=past, by=jw_rotterdam, reason="Toch niet")
    past.refresh_from_db()
    assert past.status == IntakeMeeting.Status.HELD
    listed = client.get(reverse("intake:intake_list")).content.decode()
    assert 'data-testid="meeting-status">Gehouden<' in listed
