"""The buddy pages: a coordinator proposes from explained suggestions and records the kick-off,
the mentor logs a check-in from the portal, and everyone else gets 404."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from buddy.factories import MentorFactory
from buddy.models import CheckIn, Concern, Pair
from restart_platform.taxonomy.models import PersonalInterest
from tests.names import give_unmistakable_name

from .conftest import log_checkin

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def test_a_coordinator_sees_explained_suggestions_and_proposes_a_buddy(
    placement, mentor, employer, coord_rotterdam, client_for
):
    mentor.personal_interests.set(PersonalInterest.objects.filter(slug="music"))
    client = client_for(coord_rotterdam)
    url = reverse("buddy:pair_propose", args=[placement.pk])
    page = client.get(url).content.decode()
    assert mentor.name in page
    assert "Leeftijdsverschil rond 15 jaar" in page  # each component, in Dutch
    assert "jaar ouder" in page
    response = client.post(url, {"mentor": mentor.pk})
    pair = Pair.objects.get()
    assert response.status_code == 302
    assert response["Location"] == pair.get_absolute_url()
    assert pair.mentor == mentor


def test_a_mentor_of_another_employer_posted_by_hand_is_refused(
    placement, coord_rotterdam, client_for, rotterdam
):
    from employers.factories import EmployerFactory

    elsewhere = MentorFactory(employer=EmployerFactory(city=rotterdam, owner=coord_rotterdam))
    response = client_for(coord_rotterdam).post(
        reverse("buddy:pair_propose", args=[placement.pk]), {"mentor": elsewhere.pk}
    )
    assert response.status_code == 200
    assert "Kies een buddy uit de lijst." in response.content.decode()
    assert not Pair.objects.exists()


def test_the_coordinator_records_the_kick_off_with_its_onboarding_plan(
    proposed, coord_rotterdam, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("buddy:pair_kickoff", args=[proposed.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "agreements": "Elke vier weken koffie.",
            "onboarding_organisation": "Rondleiding",
            "onboarding_culture": "Pauzes samen",
            "onboarding_practical": "Bankrekening",
            "checkin_every_weeks": 4,
        },
    )
    assert response.status_code == 302
    proposed.refresh_from_db()
    assert proposed.status == Pair.Status.KICKED_OFF
    assert proposed.onboarding_practical == "Bankrekening"


def test_the_mentor_logs_a_check_in_from_the_portal(kicked_off, mentor_account, client_for):
    client = client_for(mentor_account)
    home = client.get(reverse("buddy:mentor_home")).content.decode()
    assert kicked_off.youth.display_name in home
    response = client.post(
        reverse("buddy:checkin_create", args=[kicked_off.pk]),
        {
            "held_on": timezone.localdate().isoformat(),
            "work_note": "Kan nu zelf de heftruck besturen.",
            "work_rating": 4,
            "wellbeing_note": "Gaat beter.",
            "wellbeing_rating": 3,
            "trust_mentor": 4,
            "trust_youth": 5,
            "job_satisfaction": 4,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("buddy:mentor_home")
    checkin = CheckIn.objects.get()
    assert (checkin.logged_by, checkin.trust_youth) == (mentor_account, 5)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("held_on", "2099-01-01", "Een buddygesprek kan niet in de toekomst liggen."),
        ("held_on", "2000-01-01", "Een buddygesprek kan niet vóór de start van het koppel liggen."),
        ("wellbeing_rating", "6", "Geef een cijfer van 1 tot en met 5."),
        ("trust_youth", "0", "Geef een cijfer van 1 tot en met 5."),
    ],
)
def test_a_bad_check_in_is_refused_in_dutch_and_nothing_is_saved(
    kicked_off, mentor_account, client_for, field, value, message
):
    data = {"held_on": timezone.localdate().isoformat(), "work_note": "Goed", field: value}
    response = client_for(mentor_account).post(
        reverse("buddy:checkin_create", args=[kicked_off.pk]), data
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CheckIn.objects.exists()


def test_closing_without_a_reason_is_refused_in_dutch(kicked_off, coord_rotterdam, client_for):
    response = client_for(coord_rotterdam).post(
        reverse("buddy:pair_close", args=[kicked_off.pk]), {"conversation": "Klaar."}
    )
    assert "Kies waarom het koppel wordt afgesloten." in response.content.decode()
    kicked_off.refresh_from_db()
    assert kicked_off.is_open


def test_the_mentor_raises_a_concern(kicked_off, mentor_account, client_for):
    response = client_for(mentor_account).post(
        reverse("buddy:concern_create", args=[kicked_off.pk]),
        {"what": "Komt vaak te laat en lijkt somber.", "needs_help_today": "on"},
    )
    assert response.status_code == 302
    assert Concern.objects.get().needs_help_today


@pytest.mark.parametrize("role", ["coord_dordrecht", "jw_dordrecht", "employer1", "employer2"])
@pytest.mark.parametrize("name", ["pair_detail", "checkin_create", "concern_create"])
def test_others_get_404_on_a_pair(kicked_off, cast, client_for, role, name):
    response = client_for(cast[role]).get(reverse(f"buddy:{name}", args=[kicked_off.pk]))
    assert response.status_code == 404


def test_a_mentor_does_not_see_another_mentors_pair(kicked_off, employer, client_for):
    from restart_platform.accounts.factories import EmployerContactFactory

    give_unmistakable_name(kicked_off.youth)
    colleague = MentorFactory(employer=employer, user=EmployerContactFactory(username="collega"))
    client = client_for(colleague.user)
    assert client.get(reverse("buddy:pair_detail", args=[kicked_off.pk])).status_code == 404
    page = client.get(reverse("buddy:mentor_home")).content.decode()
    assert "Zwaantje-Quirina" not in page
    assert reverse("buddy:pair_detail", args=[kicked_off.pk]) not in page


def test_the_profile_panel_shows_the_pair_and_offers_a_proposal_when_none(
    placement, kicked_off, coord_rotterdam, jw_rotterdam, client_for
):
    url = reverse("buddy:youth_detail_panel", args=[placement.youth.pk])
    panel = client_for(jw_rotterdam).get(url, headers=HTMX).content.decode()
    assert kicked_off.mentor.name in panel
    assert reverse("buddy:pair_propose", args=[placement.pk]) not in panel


def test_the_profile_panel_offers_a_coordinator_to_propose_a_buddy(
    placement, coord_rotterdam, client_for
):
    url = reverse("buddy:youth_detail_panel", args=[placement.youth.pk])
    panel = client_for(coord_rotterdam).get(url, headers=HTMX).content.decode()
    assert reverse("buddy:pair_propose", args=[placement.pk]) in panel


def test_the_pair_page_shows_the_duration_against_twelve_months(
    kicked_off, coord_rotterdam, client_for
):
    Pair.objects.filter(pk=kicked_off.pk).update(
        kickoff_on=timezone.localdate() - dt.timedelta(days=200)
    )
    log_checkin(kicked_off, coord_rotterdam)
    page = client_for(coord_rotterdam).get(kicked_off.get_absolute_url()).content.decode()
    assert "6 van 12 maanden" in page


@pytest.mark.parametrize("n", [2, 12])
@pytest.mark.parametrize("role", ["admin", "coord_rotterdam"])
def test_the_pair_page_keeps_its_query_count(
    n, role, kicked_off, cast, client_for, django_assert_max_num_queries
):
    """n check-ins and n concerns, each logged or raised by someone else of the cast."""
    people = list(cast.values())
    today = timezone.localdate()
    CheckIn.objects.bulk_create(
        CheckIn(pair=kicked_off, held_on=today, logged_by=people[i % len(people)], trust_youth=4)
        for i in range(n)
    )
    Concern.objects.bulk_create(
        Concern(pair=kicked_off, what="Komt vaak te laat.", raised_by=people[i % len(people)])
        for i in range(n)
    )
    client = client_for(cast[role])
    # session, user, (a coordinator's cities), the pair with its people, its check-ins, its
    # concerns, the access log, the badge, the session's save (3 with savepoints)
    with django_assert_max_num_queries({"admin": 10, "coord_rotterdam": 11}[role]):
        response = client.get(kicked_off.get_absolute_url())
    page = response.content.decode()
    assert page.count('data-testid="checkin"') == n
    assert page.count("Komt vaak te laat.") == n
