"""The buddy pages tried as a hostile user would: forms posted by hand from outside one's scope,
ids from elsewhere, dates in the year 9999, Unicode digits and 100,000-character inputs. Each is
refused with a 404 or a Dutch message, and nothing is saved."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from buddy.factories import MentorFactory, PlacementFactory, give_buddy_consent
from buddy.models import CheckIn, Concern, Mentor, Pair
from employers.factories import EmployerFactory, OpeningFactory
from tests.edits import post_edit
from tests.names import give_unmistakable_name
from youth.factories import YoungPersonFactory

from .conftest import log_checkin

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
HUGE = "x" * 100_000


def kickoff_data(**overrides):
    return {
        "held_on": TODAY.isoformat(),
        "agreements": "Elke vier weken koffie.",
        "checkin_every_weeks": "4",
        **overrides,
    }


@pytest.mark.parametrize("role", ["coord_dordrecht", "jw_rotterdam2", "jw_dordrecht", "employer2"])
@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("pair_kickoff", kickoff_data()),
        ("pair_close", {"reason": "mismatch", "conversation": "Klaar."}),
        ("checkin_create", {"held_on": TODAY.isoformat(), "work_note": "Goed"}),
        ("concern_create", {"what": "Zorgen"}),
    ],
)
def test_a_form_posted_by_hand_from_outside_ones_scope_gets_404_and_saves_nothing(
    proposed, cast, client_for, role, name, data
):
    response = client_for(cast[role]).post(reverse(f"buddy:{name}", args=[proposed.pk]), data)
    assert response.status_code == 404
    proposed.refresh_from_db()
    assert proposed.status == Pair.Status.PROPOSED
    assert not CheckIn.objects.exists()
    assert not Concern.objects.exists()


def test_a_placement_of_another_city_cannot_be_proposed_for_by_hand(
    placement, mentor, coord_dordrecht, client_for
):
    response = client_for(coord_dordrecht).post(
        reverse("buddy:pair_propose", args=[placement.pk]), {"mentor": mentor.pk}
    )
    assert response.status_code == 404
    assert not Pair.objects.exists()


def test_a_mentor_of_another_city_posted_for_ones_own_placement_is_refused(
    placement, coord_rotterdam, dordrecht, coord_dordrecht, client_for
):
    elsewhere = MentorFactory(employer=EmployerFactory(city=dordrecht, owner=coord_dordrecht))
    response = client_for(coord_rotterdam).post(
        reverse("buddy:pair_propose", args=[placement.pk]), {"mentor": elsewhere.pk}
    )
    assert "Kies een buddy uit de lijst." in response.content.decode()
    assert not Pair.objects.exists()


@pytest.mark.parametrize("mentor_id", ["99999999999999999999999", "1 OR 1=1", "-1", "٣"])
def test_a_mentor_id_that_is_no_mentor_is_refused(
    placement, coord_rotterdam, client_for, mentor_id
):
    response = client_for(coord_rotterdam).post(
        reverse("buddy:pair_propose", args=[placement.pk]), {"mentor": mentor_id}
    )
    assert response.status_code == 200
    assert "Kies een buddy uit de lijst." in response.content.decode()
    assert not Pair.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"held_on": "9999-12-31"}, "Een buddygesprek kan niet in de toekomst liggen."),
        ({"held_on": "1999-12-31"}, "Geef een datum tussen"),
        ({"work_rating": "٣"}, "Geef een cijfer van 1 tot en met 5."),
        ({"trust_mentor": "4.5"}, "Geef een cijfer van 1 tot en met 5."),
        ({"job_satisfaction": "-1"}, "Geef een cijfer van 1 tot en met 5."),
        ({"wellbeing_note": HUGE}, "niet meer dan 5000 tekens"),
    ],
)
def test_a_hostile_check_in_is_refused_in_dutch_and_nothing_is_saved(
    kicked_off, mentor_account, client_for, data, message
):
    response = client_for(mentor_account).post(
        reverse("buddy:checkin_create", args=[kicked_off.pk]),
        {"held_on": TODAY.isoformat(), "work_note": "Goed", **data},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CheckIn.objects.exists()


def test_a_rating_left_at_not_applicable_is_saved_empty(kicked_off, mentor_account, client_for):
    response = client_for(mentor_account).post(
        reverse("buddy:checkin_create", args=[kicked_off.pk]),
        {"held_on": TODAY.isoformat(), "work_note": "Goed", "work_rating": "", "trust_youth": "5"},
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert (checkin.work_rating, checkin.trust_youth) == (None, 5)


def test_the_check_in_form_offers_only_one_to_five_and_not_applicable(
    kicked_off, mentor_account, client_for
):
    response = client_for(mentor_account).get(reverse("buddy:checkin_create", args=[kicked_off.pk]))
    page = response.content.decode()
    for value in ["", "1", "2", "3", "4", "5"]:
        assert f'name="trust_youth" value="{value}"' in page
    assert 'name="trust_youth" value="6"' not in page
    assert f'value="{TODAY.isoformat()}"' in page  # the date field shows today, in ISO form


def test_a_kick_off_in_the_year_9999_or_with_a_huge_text_is_refused(
    proposed, coord_rotterdam, client_for
):
    client = client_for(coord_rotterdam)
    url = reverse("buddy:pair_kickoff", args=[proposed.pk])
    page = client.post(url, kickoff_data(held_on="9999-12-31")).content.decode()
    assert "Het startgesprek kan niet in de toekomst liggen." in page
    page = client.post(url, kickoff_data(agreements=HUGE)).content.decode()
    assert "niet meer dan 5000 tekens" in page
    page = client.post(url, kickoff_data(checkin_every_weeks="13")).content.decode()
    assert "hoogstens 12" in page
    proposed.refresh_from_db()
    assert proposed.status == Pair.Status.PROPOSED


def test_the_kick_off_form_shows_today_in_the_date_field(proposed, coord_rotterdam, client_for):
    page = (
        client_for(coord_rotterdam)
        .get(reverse("buddy:pair_kickoff", args=[proposed.pk]))
        .content.decode()
    )
    # A date input reads only ISO dates: a Dutch "1-12-2026" leaves it empty and required.
    assert f'value="{TODAY.isoformat()}"' in page


def test_a_concern_of_100000_characters_is_refused(kicked_off, mentor_account, client_for):
    response = client_for(mentor_account).post(
        reverse("buddy:concern_create", args=[kicked_off.pk]), {"what": HUGE}
    )
    assert "niet meer dan 5000 tekens" in response.content.decode()
    assert not Concern.objects.exists()


def mentor_data(employer, **overrides):
    return {
        "employer": employer.pk,
        "name": "Sanne Bakker",
        "job_title": "Teamleider",
        "years_experience": "10",
        "email": "sanne@example.org",
        "birth_year": str(TODAY.year - 35),
        "capacity": "1",
        "volunteered_on": (TODAY - dt.timedelta(days=10)).isoformat(),
        "is_active": "on",
        **overrides,
    }


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"trained_on": "9999-01-01"}, "Geef een datum tussen"),
        ({"volunteered_on": "0001-01-01"}, "Geef een datum tussen"),
        ({"birth_year": "99999"}, "hoogstens 2010"),
        ({"capacity": "٩"}, "hoogstens 5 is"),
        ({"name": HUGE}, "niet meer dan 150 tekens"),
    ],
)
def test_a_hostile_mentor_is_refused_in_dutch(
    employer, coord_rotterdam, client_for, overrides, message
):
    response = client_for(coord_rotterdam).post(
        reverse("buddy:mentor_create"), mentor_data(employer, **overrides)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Mentor.objects.exists()


def test_a_mentor_with_open_pairs_cannot_be_moved_to_another_employer(
    proposed, mentor, coord_rotterdam, rotterdam, client_for
):
    other = EmployerFactory(city=rotterdam, owner=coord_rotterdam)
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("buddy:mentor_edit", args=[mentor.pk]),
        mentor_data(other, user="", name=mentor.name),
    )
    assert "sluit die voordat" in response.content.decode()
    mentor.refresh_from_db()
    assert mentor.employer_id == proposed.placement.opening.employer_id


def test_a_mentor_without_open_pairs_may_move(mentor, coord_rotterdam, rotterdam, client_for):
    other = EmployerFactory(city=rotterdam, owner=coord_rotterdam)
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("buddy:mentor_edit", args=[mentor.pk]),
        mentor_data(other, user=""),
    )
    assert response.status_code == 302
    mentor.refresh_from_db()
    assert mentor.employer == other


def test_a_closed_pair_takes_no_check_in_posted_by_hand(kicked_off, coord_rotterdam, client_for):
    log_checkin(kicked_off, coord_rotterdam)
    client = client_for(coord_rotterdam)
    client.post(
        reverse("buddy:pair_close", args=[kicked_off.pk]),
        {"reason": "completed", "conversation": "Klaar."},
    )
    response = client.post(
        reverse("buddy:checkin_create", args=[kicked_off.pk]),
        {"held_on": TODAY.isoformat(), "work_note": "Nog eentje"},
    )
    assert "Dit buddykoppel is afgesloten; er is niets opgeslagen." in response.content.decode()
    assert CheckIn.objects.count() == 1


def test_an_employer_contact_who_is_no_mentor_sees_no_pairs(
    kicked_off, employer_contact2, client_for
):
    give_unmistakable_name(kicked_off.youth)
    page = client_for(employer_contact2).get(reverse("buddy:mentor_home")).content.decode()
    assert kicked_off.youth.display_name not in page
    assert "Je bent geen buddy op het platform." in page


def test_a_placement_of_another_employer_gets_no_mentor_from_here(
    coord_rotterdam, jw_rotterdam, rotterdam, mentor, client_for
):
    """The suggestions list only the mentors at the placement's own employer."""
    youth = YoungPersonFactory(youth_worker=jw_rotterdam)
    give_buddy_consent(youth)
    elsewhere = EmployerFactory(city=rotterdam, owner=coord_rotterdam)
    placement = PlacementFactory(youth=youth, opening=OpeningFactory(employer=elsewhere))
    client = client_for(coord_rotterdam)
    url = reverse("buddy:pair_propose", args=[placement.pk])
    assert mentor.name not in client.get(url).content.decode()
    client.post(url, {"mentor": mentor.pk})
    assert not Pair.objects.exists()
