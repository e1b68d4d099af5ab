"""The employer portal: an employer contact sees and keeps up only their own employer."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from employers.models import DemandProfile, Employer, Opening
from restart_platform.taxonomy.models import Skill
from tests.edits import post_edit
from tests.employers.factories import (
    ContactFactory,
    DemandProfileFactory,
    EmployerFactory,
    InteractionFactory,
    OpeningFactory,
)

pytestmark = pytest.mark.django_db

PORTAL_PAGES = ["portal_home", "portal_opening_create", "portal_demand_edit"]
STAFF_AND_YOUTH_WORKERS = [
    "admin",
    "coord_rotterdam",
    "coord_dordrecht",
    "jw_rotterdam",
    "jw_dordrecht",
]


@pytest.fixture
def employer(coord_rotterdam, rotterdam, employer_contact1):
    employer = EmployerFactory(
        name="Kringloop Maasstad",
        city=rotterdam,
        owner=coord_rotterdam,
        stage=Employer.Stage.MEETING_PLANNED,
        next_action="Offerte loonkostensubsidie nabellen",
        next_action_due=timezone.localdate() + dt.timedelta(days=3),
    )
    ContactFactory(
        employer=employer,
        user=employer_contact1,
        name="Fatima el Amrani",
        email="fatima@example.org",
    )
    ContactFactory(
        employer=employer, name="Henk de Vries", job_title="Werkplaatschef", phone="010 765 43 21"
    )
    InteractionFactory(employer=employer, summary="Interne notitie: twijfelt over de begeleiding")
    return employer


@pytest.fixture
def other_employer(coord_dordrecht, dordrecht, employer_contact2):
    other = EmployerFactory(
        name="Concurrent Metaal Drechtsteden", city=dordrecht, owner=coord_dordrecht
    )
    ContactFactory(employer=other, user=employer_contact2, name="Piet Concurrent")
    OpeningFactory(employer=other, title="Geheime lasser vacature")
    return other


@pytest.fixture
def opening(employer):
    return OpeningFactory(employer=employer, title="Medewerker demontage")


def in_days(days: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=days)).isoformat()


def opening_data(**overrides) -> dict:
    skills = list(Skill.objects.active().values_list("pk", flat=True)[:2])
    data = {
        "kind": Opening.Kind.PAID_INTERNSHIP,
        "title": "Stagiair werkplaats",
        "description": "",
        "required_skills": skills,
        "hours_per_week": 24,
        "start_date": in_days(21),
        "location": "",
        "places": 1,
        "status": Opening.Status.OPEN,
        "crebo_code": "",
        "mbo_level": "",
    }
    return {**data, **overrides}


def demand_data(**overrides) -> dict:
    skills = list(Skill.objects.active().values_list("pk", flat=True)[:3])
    data = {
        "roles": "Demontagemedewerker, chauffeur",
        "skills": skills,
        "openings_12_months": 2,
        "openings_24_months": 4,
        "expected_retirements": 3,
        "offers_jobs": "on",
        "offers_learning_work_places": "on",
        "diploma_track": "Entree-opleiding, assistent logistiek",
        "programme_role": "",
        "notes": "",
    }
    return {**data, **overrides}


# Who may use the portal


def test_the_employer_contact_sees_their_own_employer(
    employer, opening, employer_contact1, client_for
):
    response = client_for(employer_contact1).get(reverse("portal:portal_home"))
    assert response.status_code == 200
    assert response.context["employer"] == employer
    assert list(response.context["openings"]) == [opening]


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_the_linked_employer_contact_opens_every_portal_page(
    name, employer, employer_contact1, client_for
):
    assert client_for(employer_contact1).get(reverse(f"portal:{name}")).status_code == 200


@pytest.mark.parametrize("role", STAFF_AND_YOUTH_WORKERS)
@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_staff_and_youth_workers_get_404_on_the_portal(name, role, cast, employer, client_for):
    assert client_for(cast[role]).get(reverse(f"portal:{name}")).status_code == 404


@pytest.mark.parametrize("role", STAFF_AND_YOUTH_WORKERS)
def test_staff_and_youth_workers_get_404_on_a_portal_opening(role, cast, opening, client_for):
    url = reverse("portal:portal_opening_edit", args=[opening.pk])
    assert client_for(cast[role]).get(url).status_code == 404


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_an_unlinked_employer_contact_gets_404_on_the_portal(
    name, employer, employer_contact2, client_for
):
    assert client_for(employer_contact2).get(reverse(f"portal:{name}")).status_code == 404


def test_another_employers_contact_gets_404_on_this_employers_opening(
    opening, other_employer, employer_contact2, client_for
):
    client = client_for(employer_contact2)
    url = reverse("portal:portal_opening_edit", args=[opening.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, opening_data(title="Overgenomen")).status_code == 404
    opening.refresh_from_db()
    assert opening.title == "Medewerker demontage"


def test_anonymous_visitors_are_sent_to_the_login_page(client):
    response = client.get(reverse("portal:portal_home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# What the portal shows, and what it never shows


def test_the_portal_shows_openings_of_every_status_and_the_contact_persons(
    employer, employer_contact1, client_for
):
    for status in Opening.Status.values:
        OpeningFactory(employer=employer, title=f"Vacature {status}", status=status)
    response = client_for(employer_contact1).get(reverse("portal:portal_home"))
    html = response.content.decode()
    assert len(response.context["openings"]) == 3
    for status in Opening.Status.values:
        assert f"Vacature {status}" in html
    assert "Henk de Vries" in html
    assert "Werkplaatschef" in html
    assert "010 765 43 21" in html
    assert "fatima@example.org" in html


def test_the_portal_never_shows_the_pipeline_or_the_alliances_notes(
    employer, opening, coord_rotterdam, employer_contact1, client_for
):
    html = client_for(employer_contact1).get(reverse("portal:portal_home")).content.decode()
    assert str(Employer.Stage.MEETING_PLANNED.label) not in html
    assert "meeting_planned" not in html
    assert "Interne notitie" not in html
    assert "Offerte loonkostensubsidie nabellen" not in html
    assert coord_rotterdam.get_full_name() not in html
    assert reverse("employers:employer_detail", args=[employer.pk]) not in html
    assert "/employers/" not in html


def test_a_declined_reason_never_reaches_the_portal(employer, employer_contact1, client_for):
    Employer.objects.filter(pk=employer.pk).update(
        stage=Employer.Stage.DECLINED, declined_reason="Vindt de jongeren te onbetrouwbaar"
    )
    html = client_for(employer_contact1).get(reverse("portal:portal_home")).content.decode()
    assert "te onbetrouwbaar" not in html


def test_the_portal_never_shows_another_employer(
    employer, opening, other_employer, employer_contact1, client_for
):
    response = client_for(employer_contact1).get(reverse("portal:portal_home"))
    html = response.content.decode()
    assert "Concurrent Metaal Drechtsteden" not in html
    assert "Geheime lasser vacature" not in html
    assert "Piet Concurrent" not in html
    assert all(shown.employer == employer for shown in response.context["openings"])


def test_each_employer_contact_sees_only_their_own_employer(
    employer, opening, other_employer, employer_contact2, client_for
):
    html = client_for(employer_contact2).get(reverse("portal:portal_home")).content.decode()
    assert "Concurrent Metaal Drechtsteden" in html
    assert "Geheime lasser vacature" in html
    assert "Kringloop Maasstad" not in html
    assert "Medewerker demontage" not in html


def test_the_demand_summary_groups_skills_by_category_and_lists_the_offers(
    employer, employer_contact1, client_for
):
    demand = DemandProfileFactory(employer=employer)
    skills = [
        Skill.objects.filter(category=category, is_active=True).first()
        for category in Skill.Category.values
    ]
    demand.skills.set([skill for skill in skills if skill])
    response = client_for(employer_contact1).get(reverse("portal:portal_home"))
    html = response.content.decode()
    assert response.context["demand"] == demand
    assert "Medewerker demontage, magazijnmedewerker" in html
    assert "Entree-opleiding, assistent logistiek" in html
    for skill in skills:
        if skill:
            assert f"{skill.get_category_display()}:" in html
            assert skill.label in html
    for offer in demand.offers:
        assert offer in html


def test_without_a_demand_profile_the_portal_invites_to_fill_it_in(
    employer, employer_contact1, client_for
):
    response = client_for(employer_contact1).get(reverse("portal:portal_home"))
    html = response.content.decode()
    assert response.context["demand"] is None
    assert 'data-testid="demand-empty"' in html
    assert reverse("portal:portal_demand_edit") in html


def test_the_portal_home_keeps_its_query_count(
    employer, employer_contact1, client_for, django_assert_max_num_queries
):
    client = client_for(employer_contact1)
    DemandProfileFactory(employer=employer).skills.set(Skill.objects.active()[:4])
    skills = list(Skill.objects.active()[:3])
    for rows in (2, 20):
        for number in range(rows):
            OpeningFactory(
                employer=employer, title=f"Vacature {rows}-{number}"
            ).required_skills.set(skills)
        with django_assert_max_num_queries(13):
            assert client.get(reverse("portal:portal_home")).status_code == 200


@pytest.mark.parametrize("name", PORTAL_PAGES)
def test_the_portal_pages_have_no_inline_script_or_style(
    name, employer, employer_contact1, client_for
):
    html = client_for(employer_contact1).get(reverse(f"portal:{name}")).content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html


# Openings


def test_the_employer_contact_adds_an_opening_for_their_own_employer(
    employer, employer_contact1, client_for
):
    response = client_for(employer_contact1).post(
        reverse("portal:portal_opening_create"), opening_data()
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:portal_home")
    opening = Opening.objects.get()
    assert opening.employer == employer
    assert opening.required_skills.count() == 2


def test_an_employer_cannot_add_an_opening_for_another_employer(
    employer, other_employer, employer_contact1, client_for
):
    client_for(employer_contact1).post(
        reverse("portal:portal_opening_create"),
        opening_data(employer=other_employer.pk, title="Ondergeschoven"),
    )
    assert Opening.objects.get(title="Ondergeschoven").employer == employer


def test_a_portal_opening_with_zero_places_or_a_past_start_is_refused(
    employer, employer_contact1, client_for
):
    client = client_for(employer_contact1)
    zero = client.post(reverse("portal:portal_opening_create"), opening_data(places=0))
    past = client.post(
        reverse("portal:portal_opening_create"), opening_data(start_date=in_days(-1))
    )
    assert "places" in zero.context["form"].errors
    assert "start_date" in past.context["form"].errors
    assert not Opening.objects.exists()


def test_a_portal_learning_work_place_needs_its_course(employer, employer_contact1, client_for):
    response = client_for(employer_contact1).post(
        reverse("portal:portal_opening_create"), opening_data(kind=Opening.Kind.LEARNING_WORK_PLACE)
    )
    assert {"crebo_code", "mbo_level"} <= set(response.context["form"].errors)
    assert not Opening.objects.exists()


def test_the_employer_contact_edits_their_own_opening(opening, employer_contact1, client_for):
    response = post_edit(
        client_for(employer_contact1),
        reverse("portal:portal_opening_edit", args=[opening.pk]),
        opening_data(title="Medewerker demontage (vervuld)", status=Opening.Status.FILLED),
    )
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == Opening.Status.FILLED
    assert opening.title == "Medewerker demontage (vervuld)"


def test_a_portal_edit_may_keep_a_start_date_that_has_passed(
    employer, employer_contact1, client_for
):
    started = timezone.localdate() - dt.timedelta(days=20)
    opening = OpeningFactory(employer=employer, start_date=started)
    response = post_edit(
        client_for(employer_contact1),
        reverse("portal:portal_opening_edit", args=[opening.pk]),
        opening_data(start_date=started.isoformat(), status=Opening.Status.CLOSED),
    )
    assert response.status_code == 302
    opening.refresh_from_db()
    assert opening.status == Opening.Status.CLOSED


# The demand profile


def test_the_employer_contact_fills_in_the_demand_profile(employer, employer_contact1, client_for):
    data = demand_data()
    response = post_edit(client_for(employer_contact1), reverse("portal:portal_demand_edit"), data)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:portal_home")
    demand = DemandProfile.objects.get(employer=employer)
    assert demand.openings_24_months == 4
    assert demand.offers_jobs
    assert not demand.offers_buddies
    assert sorted(demand.skills.values_list("pk", flat=True)) == sorted(data["skills"])


def test_the_employer_contact_updates_an_existing_demand_profile(
    employer, employer_contact1, client_for
):
    DemandProfileFactory(employer=employer)
    client = client_for(employer_contact1)
    assert client.get(reverse("portal:portal_demand_edit")).context["form"].initial["roles"]
    post_edit(
        client, reverse("portal:portal_demand_edit"), demand_data(roles="Chauffeur", skills=[])
    )
    demand = DemandProfile.objects.get(employer=employer)
    assert demand.roles == "Chauffeur"
    assert not demand.skills.exists()


def test_fewer_openings_in_24_months_than_in_12_is_refused(employer, employer_contact1, client_for):
    response = post_edit(
        client_for(employer_contact1),
        reverse("portal:portal_demand_edit"),
        demand_data(openings_12_months=5, openings_24_months=2),
    )
    assert response.status_code == 200
    assert "openings_24_months" in response.context["form"].errors
    assert not DemandProfile.objects.exists()


def test_an_unlinked_employer_contact_cannot_post_a_demand_profile(
    employer, employer_contact2, client_for
):
    response = post_edit(
        client_for(employer_contact2), reverse("portal:portal_demand_edit"), demand_data()
    )
    assert response.status_code == 404
    assert not DemandProfile.objects.exists()
