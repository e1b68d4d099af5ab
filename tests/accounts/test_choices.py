"""Every choice a form offers comes from the access rules for that user, and the service that
saves it asks the same rule: a value the form would not offer, posted by hand, changes nothing."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from employers import services as employer_services
from employers.models import Employer
from matching import services as matching_services
from matching.models import Placement
from restart_platform.accounts.access import (
    coordinators_for,
    registration_cities_for,
    youth_workers_for,
)
from restart_platform.taxonomy.models import Sector
from tests.edits import post_edit
from tests.employers.factories import EmployerFactory, OpeningFactory
from youth import services as youth_services
from youth.factories import YoungPersonFactory
from youth.models import YoungPerson

pytestmark = pytest.mark.django_db


def _employer_fields(city, owner) -> dict:
    return {
        "name": "Reparatiecentrum Zuid",
        "kvk_number": "87654321",
        "city": city,
        "sector": Sector.objects.get(slug="repair"),
        "circularity": "circular",
        "found_via": "network",
        "owner": owner,
    }


def _youth_fields(city, worker) -> dict:
    return {
        "first_name": "Noah",
        "last_name": "Bakker",
        "date_of_birth": timezone.localdate() - dt.timedelta(days=19 * 366),
        "city": city,
        "youth_worker": worker,
        "referred_by": "rmc",
    }


def test_the_choice_lists_hold_the_users_own_city_only(
    cast, rotterdam, dordrecht, coord_rotterdam2
):
    assert set(registration_cities_for(cast["coord_dordrecht"])) == {dordrecht}
    assert set(registration_cities_for(cast["jw_rotterdam"])) == {rotterdam}
    assert set(coordinators_for(cast["coord_dordrecht"])) == {cast["coord_dordrecht"]}
    assert set(coordinators_for(cast["coord_rotterdam"])) == {
        cast["coord_rotterdam"],
        coord_rotterdam2,
    }
    assert set(youth_workers_for(cast["jw_dordrecht"])) == {cast["jw_dordrecht"]}
    assert cast["jw_rotterdam"] not in youth_workers_for(cast["coord_dordrecht"])
    for employer_contact in (cast["employer1"], cast["employer2"]):
        assert not registration_cities_for(employer_contact).exists()
        assert not coordinators_for(employer_contact).exists()
        assert not youth_workers_for(employer_contact).exists()


def test_the_employer_service_refuses_another_citys_city_or_owner(
    coord_dordrecht, coord_rotterdam, rotterdam, dordrecht
):
    with pytest.raises(ValidationError) as refused:
        employer_services.employer_create(
            by=coord_dordrecht, **_employer_fields(rotterdam, coord_rotterdam)
        )
    assert "city" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        employer_services.employer_create(
            by=coord_dordrecht, **_employer_fields(dordrecht, coord_rotterdam)
        )
    assert "owner" in refused.value.message_dict
    assert not Employer.objects.exists()


def test_a_coordinator_posting_another_citys_owner_by_hand_changes_nothing(
    client_for, coord_dordrecht, coord_rotterdam, dordrecht
):
    employer = EmployerFactory(city=dordrecht, owner=coord_dordrecht)
    data = {
        **{k: getattr(v, "pk", v) for k, v in _employer_fields(dordrecht, coord_rotterdam).items()},
        "name": employer.name,
        "kvk_number": employer.kvk_number,
    }
    response = post_edit(
        client_for(coord_dordrecht), reverse("employers:employer_edit", args=[employer.pk]), data
    )
    assert response.status_code == 200
    assert "owner" in response.context["form"].errors
    employer.refresh_from_db()
    assert employer.owner == coord_dordrecht


def test_a_youth_worker_posting_another_caseload_by_hand_changes_nothing(
    client_for, jw_dordrecht, jw_rotterdam, rotterdam, dordrecht
):
    fields = _youth_fields(dordrecht, jw_rotterdam)
    data = {**{k: getattr(v, "pk", v) for k, v in fields.items()}, "date_of_birth": "2007-01-01"}
    response = client_for(jw_dordrecht).post(reverse("youth:youth_create"), data)
    assert response.status_code == 200
    assert "youth_worker" in response.context["form"].errors
    with pytest.raises(ValidationError) as refused:
        youth_services.youth_register(by=jw_dordrecht, **_youth_fields(rotterdam, jw_rotterdam))
    assert "city" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        youth_services.youth_register(by=jw_dordrecht, **_youth_fields(dordrecht, jw_rotterdam))
    assert "youth_worker" in refused.value.message_dict
    assert not YoungPerson.objects.exists()


def test_the_caseload_service_refuses_a_youth_worker_of_another_city(
    jw_rotterdam, jw_dordrecht, coord_rotterdam, rotterdam
):
    youth = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)
    with pytest.raises(ValidationError):
        youth_services.youth_move_caseload(youth=youth, to_worker=jw_dordrecht, by=coord_rotterdam)
    with pytest.raises(ValidationError):  # nor by their own youth worker
        youth_services.youth_move_caseload(youth=youth, to_worker=jw_dordrecht, by=jw_rotterdam)
    youth.refresh_from_db()
    assert youth.youth_worker == jw_rotterdam


def test_the_placement_service_refuses_an_opening_of_another_city(
    coord_rotterdam, jw_rotterdam, rotterdam, dordrecht
):
    youth = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)
    opening = OpeningFactory(employer=EmployerFactory(city=dordrecht))
    with pytest.raises(ValidationError) as refused:
        matching_services.placement_create(
            youth=youth,
            opening=opening,
            by=coord_rotterdam,
            start_date=timezone.localdate(),
            hours_per_week=24,
            agreement=Placement.Agreement.EMPLOYMENT,
        )
    assert "opening" in refused.value.message_dict
    assert not Placement.objects.exists()


def test_the_partner_service_refuses_another_citys_city(coord_dordrecht, rotterdam):
    from employers.models import NetworkPartner

    with pytest.raises(ValidationError) as refused:
        employer_services.partner_save(
            partner=NetworkPartner(name="UWV Rotterdam", kind="uwv", city=rotterdam),
            by=coord_dordrecht,
        )
    assert "city" in refused.value.message_dict
    assert not NetworkPartner.objects.exists()
