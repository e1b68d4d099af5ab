"""Expected openings and retirements: "not known" is not 0, on the form, the page and in the
data migration that turned the old default zeros into unknown."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import reverse

from employers.models import DemandProfile
from tests.edits import post_edit
from tests.employers.factories import DemandProfileFactory, EmployerFactory

pytestmark = pytest.mark.django_db

migration = import_module("employers.migrations.0006_demand_untouched_zeros_to_unknown")


def test_a_profile_with_only_the_default_zeros_becomes_unknown_and_answered_zeros_stay(
    coord_rotterdam,
):
    untouched = DemandProfileFactory(
        employer=EmployerFactory(owner=coord_rotterdam),
        openings_12_months=0,
        openings_24_months=0,
        expected_retirements=0,
    )
    answered = DemandProfileFactory(
        employer=EmployerFactory(owner=coord_rotterdam),
        openings_12_months=0,
        openings_24_months=3,
        expected_retirements=0,
    )
    migration.forwards(apps, None)
    untouched.refresh_from_db()
    answered.refresh_from_db()
    assert (
        untouched.openings_12_months,
        untouched.openings_24_months,
        untouched.expected_retirements,
    ) == (None, None, None)
    assert (answered.openings_12_months, answered.expected_retirements) == (0, 0)
    migration.backwards(apps, None)
    untouched.refresh_from_db()
    assert untouched.openings_12_months == 0


def test_the_form_leaves_unknown_empty_and_the_page_says_not_known(client_for, coord_rotterdam):
    employer = EmployerFactory(owner=coord_rotterdam)
    data = {
        "roles": "Demontage",
        "openings_12_months": "",
        "openings_24_months": "4",
        "expected_retirements": "0",
        "expects_labour_shortage": "yes",
        "concerns": ["motivation", "supervision_time"],
        "concerns_in_their_words": "Wie begeleidt ze de eerste weken?",
    }
    client = client_for(coord_rotterdam)
    response = post_edit(client, reverse("employers:demand_edit", args=[employer.pk]), data)
    assert response.status_code == 302
    profile = DemandProfile.objects.get(employer=employer)
    assert (profile.openings_12_months, profile.openings_24_months) == (None, 4)
    assert profile.expected_retirements == 0
    assert profile.concerns == ["motivation", "supervision_time"]
    page = client.get(employer.get_absolute_url()).content.decode()
    assert "niet bekend" in page
    assert "Motivatie, Tijd voor begeleiding" in page
    assert "Wie begeleidt ze de eerste weken?" in page


def test_an_unknown_concern_posted_by_hand_is_refused(client_for, coord_rotterdam):
    employer = EmployerFactory(owner=coord_rotterdam)
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("employers:demand_edit", args=[employer.pk]),
        {"concerns": ["luiheid"]},
    )
    assert response.status_code == 200
    assert "concerns" in response.context["form"].errors
    assert not DemandProfile.objects.filter(employer=employer).exists()
