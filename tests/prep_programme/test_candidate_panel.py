"""The shared profile an employer sees (matching's portal) shows the programme phase and the
coach's latest core ratings through prep's panel, only for a candidate shared with and readable
by that employer; never notes, other raters or attendance."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from employers.factories import ContactFactory, EmployerFactory, OpeningFactory
from matching import services as matching
from prep_programme import services
from prep_programme.factories import CohortFactory
from youth.factories import ConsentFactory
from youth.models import Consent
from youth.services import consent_withdraw


@pytest.fixture
def shared(programme, rotterdam, youth, coord_rotterdam, employer_contact1, employer_contact2):
    cohort = CohortFactory(programme=programme, city=rotterdam)
    participant = services.participant_enrol(cohort=cohort, youth=youth, by=coord_rotterdam)
    skills = list(programme.core_skills.all())
    services.skills_rate(
        participant=participant,
        ratings={skills[0]: (2, "Notitie A")},
        rater="coach",
        by=coord_rotterdam,
        on=timezone.localdate() - dt.timedelta(days=7),
    )
    services.skills_rate(
        participant=participant,
        ratings={skills[0]: (4, "Notitie B")},
        rater="coach",
        by=coord_rotterdam,
    )
    services.skills_rate(
        participant=participant,
        ratings={skills[1]: (5, "Zelfbeeld")},
        rater="self",
        by=coord_rotterdam,
    )
    employer = EmployerFactory(city=rotterdam)
    ContactFactory(employer=employer, user=employer_contact1)
    ContactFactory(
        employer=EmployerFactory(city=rotterdam, kvk_number="11112222"), user=employer_contact2
    )
    consent = ConsentFactory(youth=youth, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS)
    entry = matching.shortlist_add(
        youth=youth, opening=OpeningFactory(employer=employer), by=coord_rotterdam
    )
    share = matching.share_create(shortlist=entry, by=coord_rotterdam)
    return {"share": share, "skills": skills, "consent": consent, "participant": participant}


def panel(client, share):
    return client.get(
        reverse("prep_programme:candidate_detail_panel", args=[share.token]), HTTP_HX_REQUEST="true"
    )


def test_the_candidate_page_has_the_programme_slot(shared, employer_contact1, client_for):
    page = client_for(employer_contact1).get(
        reverse("candidates:candidate_detail", args=[shared["share"].token])
    )
    assert 'data-panel="prep_programme:candidate_detail_panel"' in page.content.decode()


def test_the_employer_sees_the_phase_and_the_coachs_latest_rating_only(
    shared, employer_contact1, client_for
):
    response = panel(client_for(employer_contact1), shared["share"])
    html = response.content.decode()
    assert response.status_code == 200
    assert "Fase 1 van 3" in html
    assert f"{shared['skills'][0].label}: 4 / 5" in html
    assert html.count('data-testid="candidate-rating"') == 1  # the self-assessment is not shown
    for secret in ("Notitie", "Zelfbeeld", shared["participant"].youth.last_name):
        assert secret not in html


def test_another_employer_and_every_staff_role_get_404(
    shared, employer_contact2, coord_rotterdam, jw_rotterdam, client_for
):
    for user in (employer_contact2, coord_rotterdam, jw_rotterdam):
        assert panel(client_for(user), shared["share"]).status_code == 404


def test_a_withdrawn_consent_closes_the_panel(shared, employer_contact1, jw_rotterdam, client_for):
    consent_withdraw(consent=shared["consent"], by=jw_rotterdam)
    assert panel(client_for(employer_contact1), shared["share"]).status_code == 404


def test_a_candidate_not_in_the_programme_says_so(
    shared, employer_contact1, coord_rotterdam, client_for
):
    services.participant_leave(
        participant=shared["participant"], reason="Verhuisd", by=coord_rotterdam
    )
    html = panel(client_for(employer_contact1), shared["share"]).content.decode()
    assert "Neemt nu niet deel" in html
    assert "Verhuisd" not in html
