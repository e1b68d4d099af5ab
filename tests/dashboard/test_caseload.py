"""The caseload page: a youth worker's young people, those who need attention first."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.factories import IntakeMeetingFactory, IntakeRecordFactory
from intake.models import IntakeRecord
from tests.youth.conftest import many_young_people
from youth.factories import ConsentFactory, ContactMomentFactory, YoungPersonFactory
from youth.models import YoungPerson

pytestmark = pytest.mark.django_db


def cared_for(youth):
    """Recent contact and registration consent: nothing needs attention."""
    ContactMomentFactory(youth=youth, date=timezone.localdate() - dt.timedelta(days=3))
    ConsentFactory(youth=youth)
    return youth


@pytest.fixture
def caseload(jw_rotterdam):
    long_ago = timezone.localdate() - dt.timedelta(days=90)
    fine = cared_for(YoungPersonFactory(first_name="Anna", youth_worker=jw_rotterdam))
    no_consent = YoungPersonFactory(first_name="Bram", youth_worker=jw_rotterdam)
    ContactMomentFactory(youth=no_consent)
    waiting = cared_for(YoungPersonFactory(first_name="Cas", youth_worker=jw_rotterdam))
    IntakeMeetingFactory(youth=waiting, starts_at=timezone.now() - dt.timedelta(days=2))
    quiet = YoungPersonFactory(first_name="Dewi", youth_worker=jw_rotterdam, registered_on=long_ago)
    ConsentFactory(youth=quiet, given_on=long_ago)
    ContactMomentFactory(youth=quiet, date=timezone.localdate() - dt.timedelta(days=31))
    return {"fine": fine, "no_consent": no_consent, "waiting": waiting, "quiet": quiet}


def rows(client, **params):
    return list(client.get(reverse("dashboard:caseload"), params).context["page"])


def test_the_caseload_puts_who_needs_attention_first(client_for, jw_rotterdam, caseload):
    page = rows(client_for(jw_rotterdam))
    assert [youth.first_name for youth in page] == ["Dewi", "Cas", "Bram", "Anna"]
    reasons = {
        youth.first_name: (
            youth.needs_contact,
            youth.awaits_outcome,
            not youth.has_registration_consent,
        )
        for youth in page
    }
    assert reasons == {
        "Dewi": (True, False, False),
        "Cas": (False, True, False),
        "Bram": (False, False, True),
        "Anna": (False, False, False),
    }


def test_the_page_shows_the_reasons_as_badges(client_for, jw_rotterdam, caseload):
    page = client_for(jw_rotterdam).get(reverse("dashboard:caseload")).content.decode()
    assert page.count('data-testid="caseload-row"') == 4
    for reason in ["no-contact", "awaiting-outcome", "consent-missing"]:
        assert page.count(f'data-testid="reason-{reason}"') == 1


def test_an_intake_with_a_finished_record_no_longer_needs_attention(
    client_for, jw_rotterdam, caseload
):
    meeting = caseload["waiting"].intakes.get()
    IntakeRecordFactory(
        meeting=meeting,
        status=IntakeRecord.Status.FINISHED,
        outcome=IntakeRecord.Outcome.PROGRAMME,
        next_step="Start voorschakelprogramma",
        next_step_on=timezone.localdate() + dt.timedelta(days=7),
        finished_at=timezone.now(),
    )
    page = rows(client_for(jw_rotterdam))
    assert [youth.first_name for youth in page][:2] == ["Dewi", "Bram"]


def test_a_young_person_who_left_is_not_in_the_caseload(client_for, jw_rotterdam, caseload):
    YoungPerson.objects.filter(pk=caseload["quiet"].pk).update(
        journey="left", left_reason="Verhuisd"
    )
    assert "Dewi" not in [youth.first_name for youth in rows(client_for(jw_rotterdam))]


def test_a_youth_worker_sees_only_their_own_caseload(client_for, jw_rotterdam, caseload):
    from restart_platform.accounts.factories import YouthWorkerFactory

    colleague = YouthWorkerFactory(username="jw.rotterdam2", organisation=jw_rotterdam.organisation)
    YoungPersonFactory(first_name="Eva", youth_worker=colleague)
    assert "Eva" not in [youth.first_name for youth in rows(client_for(jw_rotterdam))]
    assert [youth.first_name for youth in rows(client_for(colleague))] == ["Eva"]
    assert client_for(jw_rotterdam).get(reverse("dashboard:caseload")).context["form"] is None


def test_a_coordinator_sees_the_city_and_filters_by_youth_worker(
    client_for, coord_rotterdam, jw_rotterdam, jw_dordrecht, caseload
):
    from restart_platform.accounts.factories import YouthWorkerFactory

    colleague = YouthWorkerFactory(username="jw.rotterdam2", organisation=jw_rotterdam.organisation)
    YoungPersonFactory(first_name="Eva", youth_worker=colleague)
    YoungPersonFactory(first_name="Finn", youth_worker=jw_dordrecht)
    client = client_for(coord_rotterdam)
    names = [youth.first_name for youth in rows(client)]
    assert sorted(names) == ["Anna", "Bram", "Cas", "Dewi", "Eva"]
    assert [youth.first_name for youth in rows(client, youth_worker=colleague.pk)] == ["Eva"]
    # A youth worker of another city is no choice: the filter is ignored, not a 500.
    assert len(rows(client, youth_worker=jw_dordrecht.pk)) == 5


def test_the_order_holds_across_pages(client_for, jw_rotterdam, rotterdam):
    many_young_people(60, jw_rotterdam, rotterdam)  # 20 of them have a contact and consent
    client = client_for(jw_rotterdam)
    first, second = rows(client), rows(client, page=3)
    assert (len(first), len(second)) == (25, 10)
    assert all(not youth.has_registration_consent for youth in first)
    assert all(youth.has_registration_consent for youth in second)


@pytest.mark.parametrize("count", [10, 1000])
def test_the_caseload_keeps_its_query_count(
    client_for, jw_rotterdam, rotterdam, django_assert_max_num_queries, count
):
    many_young_people(count, jw_rotterdam, rotterdam)
    client = client_for(jw_rotterdam)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("dashboard:caseload"))
    assert response.context["page"].paginator.count == count
