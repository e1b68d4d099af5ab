"""Bad input on the employer pages: a clear Dutch message for each, nothing saved."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from employers import services
from employers.models import Interaction, StageChange
from tests.employers.factories import EmployerFactory

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    """The messages the next page shows (these forms post from the detail page and go back)."""
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


@pytest.fixture
def employer(rotterdam, coord_rotterdam):
    return EmployerFactory(city=rotterdam, owner=coord_rotterdam)


def test_a_stage_reason_over_2000_characters_says_so(client_for, coord_rotterdam, employer):
    response = client_for(coord_rotterdam).post(
        reverse("employers:employer_move_stage", args=[employer.pk]),
        {"stage": "declined", "reason": "x" * 2001},
    )
    assert "niet meer dan 2000 tekens" in shown(response)
    assert "Kies een fase" not in shown(response)
    assert not StageChange.objects.filter(employer=employer, to_stage="declined").exists()


def test_an_interaction_dated_in_the_year_1_is_refused(client_for, coord_rotterdam, employer):
    response = client_for(coord_rotterdam).post(
        reverse("employers:interaction_create", args=[employer.pk]),
        {"kind": "call", "date": "0001-01-01", "summary": "Gebeld."},
    )
    assert "Geef een datum tussen" in shown(response)
    assert not Interaction.objects.exists()


def test_the_service_refuses_an_interaction_before_2000(coord_rotterdam, employer):
    with pytest.raises(ValidationError) as refused:
        services.interaction_log(
            employer=employer, by=coord_rotterdam, kind="call", date=dt.date(1, 1, 1), summary="x"
        )
    assert "date" in refused.value.message_dict


def test_an_interaction_summary_of_100000_characters_is_refused(
    client_for, coord_rotterdam, employer
):
    response = client_for(coord_rotterdam).post(
        reverse("employers:interaction_create", args=[employer.pk]),
        {"kind": "call", "date": timezone.localdate().isoformat(), "summary": "x" * 100_000},
    )
    assert "niet meer dan 5000 tekens" in shown(response)
    assert not Interaction.objects.exists()
