"""An intake that ends with "to the pre-employment programme" proposes enrolment; a person
enrols, leaves early or finishes through the pages."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intake import services as intake_services
from intake.factories import IntakeMeetingFactory
from intake.models import IntakeMeeting, IntakeRecord, YesNo
from prep_programme import services
from prep_programme.factories import CohortFactory
from prep_programme.models import Participant
from restart_platform.notifications.models import Reminder
from youth.factories import YoungPersonFactory, born_years_ago


@pytest.fixture
def running(programme, rotterdam, coord_rotterdam):
    cohort = CohortFactory(programme=programme, city=rotterdam, name="Maasstad najaar")
    cohort.coaches.add(coord_rotterdam)
    return cohort


def finish_intake(youth, by, outcome):
    # Held two hours ago with the young person and the youth worker, as a record to finish needs.
    meeting = IntakeMeetingFactory(
        youth=youth,
        starts_at=timezone.now() - dt.timedelta(hours=2),
        status=IntakeMeeting.Status.HELD,
        youth_present=True,
        youth_worker_present=True,
    )
    return intake_services.intake_record_save(
        meeting=meeting,
        by=by,
        version=None,
        finish=True,
        non_committal=YesNo.YES,
        motivation_words="Ik wil werken",
        motivation_rating=4,
        outcome=outcome,
        next_step="Inschrijven",
        next_step_on=timezone.localdate() + dt.timedelta(days=3),
    )


def test_an_intake_ending_in_the_programme_asks_the_youth_worker_once_to_enrol(
    running, youth, jw_rotterdam
):
    record = finish_intake(youth, jw_rotterdam, IntakeRecord.Outcome.PROGRAMME)
    intake_services.intake_record_save(
        meeting=record.meeting, by=jw_rotterdam, version=None, finish=True
    )
    [reminder] = Reminder.objects.filter(kind="prep.enrolment_proposed")
    assert reminder.link == reverse("prep_programme:participant_enrol", args=[youth.pk])
    assert reminder.recipient_role == "youth_worker"


def test_another_intake_outcome_proposes_nothing(running, youth, jw_rotterdam):
    finish_intake(youth, jw_rotterdam, IntakeRecord.Outcome.BUDDY)
    assert not Reminder.objects.filter(kind="prep.enrolment_proposed").exists()


def test_the_enrolment_form_proposes_the_running_cohort_and_enrolling_ends_the_request(
    running, youth, jw_rotterdam, client_for
):
    finish_intake(youth, jw_rotterdam, IntakeRecord.Outcome.PROGRAMME)
    url = reverse("prep_programme:participant_enrol", args=[youth.pk])
    client = client_for(jw_rotterdam)
    form = client.get(url).context["form"]
    assert list(form.fields["cohort"].queryset) == [running]
    assert form.fields["cohort"].initial == running.pk
    assert client.post(url, {"cohort": running.pk}).status_code == 302
    assert Participant.objects.get(youth=youth).cohort == running
    assert not Reminder.objects.open().filter(kind="prep.enrolment_proposed").exists()


def test_a_cohort_of_another_city_is_not_offered_and_a_posted_one_is_refused(
    running, youth, jw_rotterdam, client_for, programme, dordrecht
):
    elsewhere = CohortFactory(programme=programme, city=dordrecht)
    url = reverse("prep_programme:participant_enrol", args=[youth.pk])
    response = client_for(jw_rotterdam).post(url, {"cohort": elsewhere.pk})
    assert response.status_code == 200
    assert "cohort" in response.context["form"].errors
    assert not Participant.objects.exists()


def test_an_under_18_enrolment_without_the_school_arrangement_is_refused_on_the_form(
    running, jw_rotterdam, client_for
):
    minor = YoungPersonFactory(
        youth_worker=jw_rotterdam, city=running.city, date_of_birth=born_years_ago(16)
    )
    url = reverse("prep_programme:participant_enrol", args=[minor.pk])
    client = client_for(jw_rotterdam)
    response = client.post(url, {"cohort": running.pk, "school_arrangement": ""})
    assert response.status_code == 200
    assert "leerplichtambtenaar" in response.content.decode()
    assert not Participant.objects.exists()
    ok = client.post(url, {"cohort": running.pk, "school_arrangement": "Maandag school"})
    assert ok.status_code == 302


def test_leaving_early_and_finishing_through_the_pages(
    running, youth, coord_rotterdam, jw_rotterdam, client_for
):
    participant = services.participant_enrol(cohort=running, youth=youth, by=coord_rotterdam)
    client = client_for(coord_rotterdam)
    leave = reverse("prep_programme:participant_leave", args=[participant.pk])
    assert client.post(leave, {"reason": ""}).status_code == 200
    assert client.post(leave, {"reason": "Werk gevonden"}).status_code == 302
    participant.refresh_from_db()
    assert (participant.status, participant.left_reason) == ("left", "Werk gevonden")

    other = services.participant_enrol(
        cohort=running,
        youth=YoungPersonFactory(youth_worker=jw_rotterdam, city=running.city),
        by=coord_rotterdam,
    )
    finish = reverse("prep_programme:participant_finish", args=[other.pk])
    assert client.get(finish).context["form"].initial["certificate"] == "Praktijkverklaring"
    assert client.post(finish, {"certificate": "Entree"}).status_code == 302
    other.refresh_from_db()
    assert (other.status, other.certificate) == ("finished", "Entree")
