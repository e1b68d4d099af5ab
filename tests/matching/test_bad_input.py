"""Bad input on the placement pages is a clear Dutch message, never a 500."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from matching.models import Placement
from matching.services import placements as placement_services
from tests.employers.factories import EmployerFactory, OpeningFactory
from youth.factories import YoungPersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def opening(rotterdam, coord_rotterdam):
    employer = EmployerFactory(city=rotterdam, owner=coord_rotterdam, stage="committed")
    return OpeningFactory(employer=employer, places=2)


@pytest.fixture
def youth(jw_rotterdam, rotterdam):
    return YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)


@pytest.mark.parametrize("value", ["²", "\u0661", "1²", "-1", "9" * 30])
def test_an_id_in_the_query_string_that_is_not_ascii_digits_is_ignored(
    client_for, coord_rotterdam, value
):
    response = client_for(coord_rotterdam).get(
        reverse("matching:placement_create"), {"opening": value, "youth": value}
    )
    assert response.status_code == 200
    assert "opening" not in response.context["form"].initial


def test_a_placement_starting_in_the_year_9999_is_refused_with_a_message(
    client_for, coord_rotterdam, youth, opening
):
    response = client_for(coord_rotterdam).post(
        reverse("matching:placement_create"),
        {
            "youth": youth.pk,
            "opening": opening.pk,
            "start_date": "9999-12-31",
            "hours_per_week": 24,
            "agreement": Placement.Agreement.BBL,
        },
    )
    assert response.status_code == 200
    assert "Geef een datum tussen" in " ".join(response.context["form"].errors["start_date"])
    assert not Placement.objects.exists()


def test_the_service_refuses_a_placement_in_the_year_9999(coord_rotterdam, youth, opening):
    with pytest.raises(ValidationError) as refused:
        placement_services.placement_create(
            youth=youth,
            opening=opening,
            by=coord_rotterdam,
            start_date=dt.date(9999, 12, 31),
            hours_per_week=24,
            agreement=Placement.Agreement.BBL,
        )
    assert "start_date" in refused.value.message_dict
    assert not Placement.objects.exists()
