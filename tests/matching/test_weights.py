"""The editable weights, and the data the score reads from the taxonomy and the cities."""

from decimal import Decimal

import pytest
from django.apps import apps
from django.db import IntegrityError, transaction

from matching.models import ScoreWeights
from restart_platform.taxonomy.models import Sector

from .conftest import city_coordinates, sector_interests

pytestmark = pytest.mark.django_db

DEFAULTS = {
    "interests": 20,
    "required_skills": 25,
    "nice_skills": 5,
    "distance": 15,
    "availability": 15,
    "readiness": 10,
    "circular": 10,
}


def test_the_weights_load_with_their_defaults_even_when_the_row_is_gone():
    ScoreWeights.objects.all().delete()
    weights = ScoreWeights.load()
    assert weights.pk == 1
    assert weights.as_dict() == DEFAULTS
    assert weights.minimum_score == 40
    assert weights.total == 100
    assert ScoreWeights.load().pk == 1
    assert ScoreWeights.objects.count() == 1


def test_weights_that_add_up_to_zero_are_refused():
    ScoreWeights.load()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreWeights.objects.filter(pk=1).update(**dict.fromkeys(DEFAULTS, 0))


def test_a_second_row_of_weights_is_refused():
    ScoreWeights.load()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreWeights.objects.create(pk=2)


def test_a_weight_above_100_is_refused():
    ScoreWeights.load()
    with pytest.raises(IntegrityError), transaction.atomic():
        ScoreWeights.objects.filter(pk=1).update(distance=101)


def test_an_admin_edits_the_weights_but_cannot_add_or_delete_them(client_for, admin):
    ScoreWeights.load()
    client = client_for(admin)
    assert client.get("/admin/matching/scoreweights/").status_code == 200
    assert client.get("/admin/matching/scoreweights/add/").status_code == 403
    assert client.get("/admin/matching/scoreweights/1/delete/").status_code == 403

    response = client.post(
        "/admin/matching/scoreweights/1/change/",
        {**DEFAULTS, "circular": 30, "minimum_score": 55},
    )

    assert response.status_code == 302
    weights = ScoreWeights.load()
    assert (weights.circular, weights.minimum_score) == (30, 55)


def test_the_admin_refuses_weights_that_add_up_to_zero(client_for, admin):
    ScoreWeights.load()
    response = client_for(admin).post(
        "/admin/matching/scoreweights/1/change/",
        {**dict.fromkeys(DEFAULTS, 0), "minimum_score": 40},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()  # the form says why
    assert ScoreWeights.load().total == 100


def test_an_admin_links_career_interests_to_a_sector(client_for, admin):
    sector = Sector.objects.get(slug="recycling")
    response = client_for(admin).get(f"/admin/taxonomy/sector/{sector.pk}/change/")
    assert response.status_code == 200
    assert 'name="interest_areas"' in response.content.decode()


def test_the_seeded_sectors_are_linked_to_fitting_career_interests():
    sector_interests.link_interest_areas(apps, None)
    fitting = {
        sector.slug: {area.slug for area in sector.interest_areas.all()}
        for sector in Sector.objects.filter(slug__in=sector_interests.SECTOR_INTERESTS)
    }
    assert fitting["recycling"] == {"recycling-reuse", "technology"}
    assert fitting["refurbishment"] == {"it", "repairing", "recycling-reuse"}
    assert all(fitting.values())

    sector_interests.unlink_interest_areas(apps, None)
    assert not Sector.objects.filter(slug="recycling", interest_areas__isnull=False).exists()


def test_the_two_cities_get_their_coordinates(rotterdam, dordrecht):
    city_coordinates.add_coordinates(apps, None)
    rotterdam.refresh_from_db()
    assert (rotterdam.latitude, rotterdam.longitude) == (Decimal("51.924400"), Decimal("4.477700"))

    city_coordinates.remove_coordinates(apps, None)
    dordrecht.refresh_from_db()
    assert dordrecht.latitude is None
