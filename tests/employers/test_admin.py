"""The Django admin for the employers app: every model has working pages, history stays read-only."""

import pytest
from django.apps import apps
from django.urls import reverse

from employers.models import NetworkPartner, OwnerChange, StageChange
from tests.employers.factories import (
    AgreementFactory,
    ContactFactory,
    DemandProfileFactory,
    EmployerFactory,
    InteractionFactory,
    OpeningFactory,
    PartnerFactory,
)

pytestmark = pytest.mark.django_db

MODELS = sorted(model._meta.model_name for model in apps.get_app_config("employers").get_models())
HISTORY = {"stagechange", "ownerchange"}


@pytest.fixture
def employer(admin, rotterdam):
    """An employer with something in every inline of its admin page."""
    employer = EmployerFactory(name="Kringloop Zuid", city=rotterdam)
    ContactFactory.create_batch(2, employer=employer)
    InteractionFactory.create_batch(2, employer=employer)
    OpeningFactory.create_batch(2, employer=employer)
    DemandProfileFactory(employer=employer)
    StageChange.objects.create(employer=employer, from_stage="", to_stage="lead", changed_by=admin)
    OwnerChange.objects.create(employer=employer, owner=employer.owner, changed_by=admin)
    AgreementFactory(partner=PartnerFactory(city=rotterdam, is_lead=True))
    return employer


def test_every_employers_model_has_an_admin():
    from django.contrib import admin as django_admin

    registered = {
        model._meta.model_name
        for model in django_admin.site._registry
        if model._meta.app_label == "employers"
    }
    assert registered == set(MODELS)


@pytest.mark.parametrize("model_name", MODELS)
def test_an_admin_opens_the_list_of_every_employers_model(client_for, admin, employer, model_name):
    response = client_for(admin).get(reverse(f"admin:employers_{model_name}_changelist"))
    assert response.status_code == 200
    assert response.context["cl"].result_count >= 1


@pytest.mark.parametrize("model_name", sorted(set(MODELS) - HISTORY))
def test_an_admin_opens_the_add_page_of_every_employers_model(client_for, admin, model_name):
    assert client_for(admin).get(reverse(f"admin:employers_{model_name}_add")).status_code == 200


@pytest.mark.parametrize("model_name", sorted(HISTORY))
def test_the_history_of_stages_and_owners_cannot_be_added_or_changed_in_the_admin(
    client_for, admin, employer, model_name
):
    client = client_for(admin)
    row = apps.get_model("employers", model_name).objects.get()
    assert client.get(reverse(f"admin:employers_{model_name}_add")).status_code == 403
    change_page = client.get(reverse(f"admin:employers_{model_name}_change", args=[row.pk]))
    assert change_page.status_code == 200
    assert not change_page.context["has_change_permission"]


@pytest.mark.parametrize("model_name", MODELS)
def test_an_admin_opens_a_row_of_every_employers_model(client_for, admin, employer, model_name):
    row = apps.get_model("employers", model_name).objects.first()
    response = client_for(admin).get(reverse(f"admin:employers_{model_name}_change", args=[row.pk]))
    assert response.status_code == 200


def test_an_admin_opens_an_employer_with_contacts_interactions_and_openings(
    client_for, admin, employer
):
    response = client_for(admin).get(reverse("admin:employers_employer_change", args=[employer.pk]))
    assert response.status_code == 200
    inlines = {
        formset.formset.prefix: formset for formset in response.context["inline_admin_formsets"]
    }
    assert {"contacts", "interactions", "openings", "stage_changes", "owner_changes"} <= set(
        inlines
    )
    for prefix in ("contacts", "interactions", "openings"):
        assert len(inlines[prefix].formset.forms) == 2


def test_the_admin_refuses_a_second_lead_in_a_city_with_a_form_error(client_for, admin, rotterdam):
    PartnerFactory(city=rotterdam, is_lead=True)
    data = {
        "name": "Tweede trekker",
        "kind": NetworkPartner.Kind.OTHER,
        "city": rotterdam.pk,
        "is_lead": "on",
        "agreements-TOTAL_FORMS": "0",
        "agreements-INITIAL_FORMS": "0",
        "agreements-MIN_NUM_FORMS": "0",
        "agreements-MAX_NUM_FORMS": "1000",
    }
    response = client_for(admin).post(reverse("admin:employers_networkpartner_add"), data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert NetworkPartner.objects.filter(city=rotterdam, is_lead=True).count() == 1


@pytest.mark.parametrize("role", ["coord_rotterdam", "jw_rotterdam", "employer_contact1"])
def test_only_admins_get_into_the_employers_admin(request, client_for, role):
    response = client_for(request.getfixturevalue(role)).get(
        reverse("admin:employers_employer_changelist")
    )
    assert response.status_code == 404  # the admin does not exist for them
