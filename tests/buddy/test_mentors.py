"""Mentors on the coordinator pages, and the young person's buddy profile."""

import pytest
from django.urls import reverse
from django.utils import timezone

from buddy.factories import MentorFactory
from buddy.models import BuddyProfile, Mentor
from employers.factories import ContactFactory, EmployerFactory
from restart_platform.accounts.factories import EmployerContactFactory
from restart_platform.taxonomy.models import PersonalInterest, Skill
from tests.edits import post_edit

pytestmark = pytest.mark.django_db


def mentor_data(employer, **fields) -> dict:
    return {
        "employer": employer.pk,
        "name": "Ahmed Buddy",
        "job_title": "Teamleider werkplaats",
        "years_experience": 14,
        "email": "ahmed@example.org",
        "birth_year": 1990,
        "skills": [Skill.objects.get(slug="tools").pk],
        "help_with": ["practical", "culture"],
        "personal_interests": [PersonalInterest.objects.get(slug="football").pk],
        "capacity": 1,
        "volunteered_on": timezone.localdate().isoformat(),
        "is_active": "on",
        **fields,
    }


def test_a_coordinator_adds_a_mentor_with_the_account_of_a_contact_person(
    employer, coord_rotterdam, client_for
):
    account = EmployerContactFactory(username="ahmed")
    ContactFactory(employer=employer, user=account)
    response = client_for(coord_rotterdam).post(
        reverse("buddy:mentor_create"), mentor_data(employer, user=account.pk)
    )
    mentor = Mentor.objects.get()
    assert response.status_code == 302
    assert (mentor.user, mentor.help_with) == (account, ["practical", "culture"])
    assert list(mentor.personal_interests.values_list("slug", flat=True)) == ["football"]


def test_an_account_of_another_employer_is_refused(
    employer, coord_rotterdam, client_for, rotterdam
):
    account = EmployerContactFactory(username="elders")
    other = EmployerFactory(city=rotterdam, owner=coord_rotterdam)
    ContactFactory(employer=other, user=account)
    response = client_for(coord_rotterdam).post(
        reverse("buddy:mentor_create"), mentor_data(employer, user=account.pk)
    )
    assert (
        "Dit account hoort niet bij een contactpersoon van de werkgever."
        in response.content.decode()
    )
    assert not Mentor.objects.exists()


def test_an_employer_of_another_city_is_refused(coord_dordrecht, employer, client_for):
    response = client_for(coord_dordrecht).post(
        reverse("buddy:mentor_create"), mentor_data(employer)
    )
    assert "Kies een werkgever uit de lijst." in response.content.decode()
    assert not Mentor.objects.exists()


def test_capacity_below_the_open_pairs_is_refused(proposed, mentor, coord_rotterdam, client_for):
    mentor.capacity = 2
    mentor.save()
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("buddy:mentor_edit", args=[mentor.pk]),
        mentor_data(mentor.employer, capacity=0, user=""),
    )
    assert response.status_code == 200
    mentor.refresh_from_db()
    assert mentor.capacity == 2


@pytest.mark.parametrize("name", ["mentor_detail", "mentor_edit"])
@pytest.mark.parametrize("role", ["coord_dordrecht", "jw_rotterdam", "employer1"])
def test_others_get_404_on_a_mentor(mentor, cast, client_for, name, role):
    response = client_for(cast[role]).get(reverse(f"buddy:{name}", args=[mentor.pk]))
    assert response.status_code == 404


def test_the_mentor_list_takes_the_same_queries_for_3_and_30_mentors(
    employer, coord_rotterdam, client_for, django_assert_max_num_queries
):
    client = client_for(coord_rotterdam)
    MentorFactory.create_batch(3, employer=employer)
    # The page's keys, the count and the rows are three queries (view_helpers.page_by_keys).
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("buddy:mentor_list"))
    MentorFactory.create_batch(27, employer=employer)
    with django_assert_max_num_queries(10) as large:
        assert client.get(reverse("buddy:mentor_list"), {"available": "on"}).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_the_youth_worker_records_the_buddy_profile(placement, jw_rotterdam, client_for):
    youth = placement.youth
    response = post_edit(
        client_for(jw_rotterdam),
        reverse("buddy:buddy_profile_edit", args=[youth.pk]),
        {
            "personal_interests": [PersonalInterest.objects.get(slug="gaming").pk],
            "skills_to_learn": [Skill.objects.get(slug="forklift").pk],
            "help_needed": ["money"],
        },
    )
    assert response.status_code == 302
    profile = BuddyProfile.objects.get(youth=youth)
    assert profile.help_needed == ["money"]
    assert list(profile.skills_to_learn.values_list("slug", flat=True)) == ["forklift"]


def test_a_help_kind_that_does_not_exist_is_refused(placement, jw_rotterdam, client_for):
    response = post_edit(
        client_for(jw_rotterdam),
        reverse("buddy:buddy_profile_edit", args=[placement.youth.pk]),
        {"help_needed": ["magic"]},
    )
    assert response.status_code == 200
    assert not BuddyProfile.objects.exists()


@pytest.mark.parametrize("role", ["jw_dordrecht", "coord_dordrecht", "employer1"])
def test_others_get_404_on_the_buddy_profile(placement, cast, client_for, role):
    url = reverse("buddy:buddy_profile_edit", args=[placement.youth.pk])
    assert client_for(cast[role]).get(url).status_code == 404
