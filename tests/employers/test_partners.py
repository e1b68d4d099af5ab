"""Network partners and their agreements: who may see them, one lead per city, dates that add up."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.db import IntegrityError, transaction
from django.urls import reverse

from employers import services
from employers.models import Agreement, NetworkPartner
from tests.edits import post_edit
from tests.employers.factories import AgreementFactory, PartnerFactory

pytestmark = pytest.mark.django_db

ALLOWED = ["admin", "coord_rotterdam"]
REFUSED = ["coord_dordrecht", "jw_rotterdam", "employer_contact1"]


@pytest.fixture
def partner(rotterdam):
    return PartnerFactory(
        name="Gemeente Rotterdam", city=rotterdam, contact_name="Fatima el Amrani"
    )


@pytest.fixture
def agreement(partner):
    return AgreementFactory(partner=partner, title="Loonkostensubsidie 2026")


def partner_urls(partner, agreement):
    return [
        reverse("employers:partner_detail", args=[partner.pk]),
        reverse("employers:partner_edit", args=[partner.pk]),
        reverse("employers:agreement_create", args=[partner.pk]),
        reverse("employers:agreement_edit", args=[agreement.pk]),
    ]


def partner_data(city, **overrides):
    data = {
        "name": "Jongerenwerk Maasstad",
        "kind": NetworkPartner.Kind.YOUTH_WORK,
        "city": city.pk,
        "role": "Brengt jongeren in beeld.",
        "contact_name": "Sanne de Vries",
        "contact_email": "sanne@example.org",
        "contact_phone": "010 123 45 67",
    }
    return {**data, **overrides}


def agreement_data(**overrides):
    data = {
        "title": "Convenant werkgeversperspectief",
        "kind": Agreement.Kind.COVENANT,
        "description": "Samenwerking 2026-2027",
        "starts_on": "2026-01-01",
        "ends_on": "2027-12-31",
    }
    return {**data, **overrides}


# Who may see what


@pytest.mark.parametrize("role", ALLOWED)
def test_admin_and_the_citys_coordinator_open_every_page_of_a_rotterdam_partner(
    request, client_for, partner, agreement, role
):
    client = client_for(request.getfixturevalue(role))
    for url in partner_urls(partner, agreement):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("role", REFUSED)
def test_others_get_404_on_every_page_of_a_rotterdam_partner(
    request, client_for, partner, agreement, role
):
    client = client_for(request.getfixturevalue(role))
    for url in partner_urls(partner, agreement):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("role", REFUSED)
def test_others_cannot_change_a_rotterdam_partner_or_its_agreements(
    request, client_for, partner, agreement, rotterdam, role
):
    client = client_for(request.getfixturevalue(role))
    edit = post_edit(
        client,
        reverse("employers:partner_edit", args=[partner.pk]),
        partner_data(rotterdam, name="Overgenomen"),
    )
    add = client.post(reverse("employers:agreement_create", args=[partner.pk]), agreement_data())
    change = post_edit(
        client,
        reverse("employers:agreement_edit", args=[agreement.pk]),
        agreement_data(title="Overgenomen"),
    )
    assert [edit.status_code, add.status_code, change.status_code] == [404, 404, 404]
    partner.refresh_from_db()
    agreement.refresh_from_db()
    assert partner.name == "Gemeente Rotterdam"
    assert agreement.title == "Loonkostensubsidie 2026"
    assert partner.agreements.count() == 1


@pytest.mark.parametrize("role", ["admin", "coord_rotterdam", "coord_dordrecht"])
def test_admins_and_coordinators_open_the_list_and_the_new_partner_page(request, client_for, role):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("employers:partner_list")).status_code == 200
    assert client.get(reverse("employers:partner_create")).status_code == 200


@pytest.mark.parametrize("role", ["jw_rotterdam", "employer_contact1"])
def test_youth_workers_and_employer_contacts_get_404_on_the_list_and_the_new_partner_page(
    request, client_for, rotterdam, role
):
    client = client_for(request.getfixturevalue(role))
    assert client.get(reverse("employers:partner_list")).status_code == 404
    assert client.get(reverse("employers:partner_create")).status_code == 404
    assert (
        client.post(reverse("employers:partner_create"), partner_data(rotterdam)).status_code == 404
    )
    assert not NetworkPartner.objects.exists()


def test_a_coordinator_sees_only_the_partners_of_their_own_city(
    client_for, coord_dordrecht, partner, dordrecht
):
    own = PartnerFactory(city=dordrecht)
    response = client_for(coord_dordrecht).get(reverse("employers:partner_list"))
    assert list(response.context["page"].object_list) == [own]
    assert [city for city, _lead in response.context["city_leads"]] == [dordrecht]


def test_a_coordinator_cannot_add_a_partner_in_another_city(client_for, coord_dordrecht, rotterdam):
    response = client_for(coord_dordrecht).post(
        reverse("employers:partner_create"), partner_data(rotterdam)
    )
    assert response.status_code == 200
    assert "city" in response.context["form"].errors
    assert not NetworkPartner.objects.exists()


# Partners


def test_a_coordinator_adds_a_partner_in_their_city(client_for, coord_rotterdam, rotterdam):
    response = client_for(coord_rotterdam).post(
        reverse("employers:partner_create"), partner_data(rotterdam)
    )
    partner = NetworkPartner.objects.get()
    assert response.status_code == 302
    assert response["Location"] == partner.get_absolute_url()
    assert (partner.name, partner.city, partner.is_lead) == (
        "Jongerenwerk Maasstad",
        rotterdam,
        False,
    )
    assert len(list(get_messages(response.wsgi_request))) == 1


def test_a_partner_is_edited(client_for, coord_rotterdam, partner, rotterdam):
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("employers:partner_edit", args=[partner.pk]),
        partner_data(rotterdam, name="Gemeente Rotterdam, cluster Werk en Inkomen"),
    )
    assert response.status_code == 302
    partner.refresh_from_db()
    assert partner.name == "Gemeente Rotterdam, cluster Werk en Inkomen"


def test_making_a_second_partner_lead_hands_the_lead_over(
    client_for, coord_rotterdam, rotterdam, dordrecht
):
    first = PartnerFactory(name="Gemeente Rotterdam", city=rotterdam, is_lead=True)
    second = PartnerFactory(name="Jongerenwerk Maasstad", city=rotterdam)
    dordrecht_lead = PartnerFactory(name="Gemeente Dordrecht", city=dordrecht, is_lead=True)

    response = post_edit(
        client_for(coord_rotterdam),
        reverse("employers:partner_edit", args=[second.pk]),
        partner_data(rotterdam, name="Jongerenwerk Maasstad", is_lead="on"),
    )

    assert response.status_code == 302
    assert list(NetworkPartner.objects.filter(city=rotterdam, is_lead=True)) == [second]
    first.refresh_from_db()
    dordrecht_lead.refresh_from_db()
    assert not first.is_lead
    assert dordrecht_lead.is_lead
    [message] = get_messages(response.wsgi_request)
    assert "Jongerenwerk Maasstad" in str(message)
    assert "Gemeente Rotterdam" in str(message)


def test_a_new_partner_made_lead_takes_the_lead_over(client_for, admin, rotterdam):
    first = PartnerFactory(city=rotterdam, is_lead=True)
    response = client_for(admin).post(
        reverse("employers:partner_create"), partner_data(rotterdam, is_lead="on")
    )
    assert response.status_code == 302
    new = NetworkPartner.objects.get(name="Jongerenwerk Maasstad")
    assert list(NetworkPartner.objects.filter(city=rotterdam, is_lead=True)) == [new]
    first.refresh_from_db()
    assert not first.is_lead


def test_saving_the_lead_again_keeps_it_the_lead(client_for, coord_rotterdam, rotterdam):
    lead = PartnerFactory(city=rotterdam, is_lead=True)
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("employers:partner_edit", args=[lead.pk]),
        partner_data(rotterdam, is_lead="on"),
    )
    assert response.status_code == 302
    assert list(NetworkPartner.objects.filter(is_lead=True)) == [lead]


def test_the_database_refuses_two_leads_in_one_city(rotterdam):
    PartnerFactory(city=rotterdam, is_lead=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        NetworkPartner.objects.create(
            name="Tweede trekker", kind=NetworkPartner.Kind.OTHER, city=rotterdam, is_lead=True
        )


def test_a_lead_taken_at_the_same_moment_answers_a_form_error_not_a_500(
    client_for, coord_rotterdam, rotterdam, monkeypatch
):
    save = services._saved

    def competing_lead_then_save(instance):
        # Another coordinator's lead lands between the hand-over and this save; only the
        # database constraint is left to notice.
        NetworkPartner.objects.bulk_create(
            [
                NetworkPartner(
                    name="Tegelijk", kind=NetworkPartner.Kind.OTHER, city=rotterdam, is_lead=True
                )
            ]
        )
        monkeypatch.setattr(NetworkPartner, "validate_constraints", lambda self, exclude=None: None)
        return save(instance)

    monkeypatch.setattr(services, "_saved", competing_lead_then_save)
    response = client_for(coord_rotterdam).post(
        reverse("employers:partner_create"), partner_data(rotterdam, is_lead="on")
    )
    assert response.status_code == 200
    assert "is_lead" in response.context["form"].errors
    assert not NetworkPartner.objects.filter(name="Jongerenwerk Maasstad").exists()


def test_a_partner_without_a_name_or_kind_gets_form_errors(client_for, coord_rotterdam, rotterdam):
    response = client_for(coord_rotterdam).post(
        reverse("employers:partner_create"), partner_data(rotterdam, name="", kind="")
    )
    assert response.status_code == 200
    assert {"name", "kind"} <= set(response.context["form"].errors)


def test_the_partner_page_shows_its_agreements(client_for, coord_rotterdam, partner, agreement):
    AgreementFactory(partner=partner, title="Convenant 2027", ends_on=None)
    response = client_for(coord_rotterdam).get(
        reverse("employers:partner_detail", args=[partner.pk])
    )
    html = response.content.decode()
    assert "Loonkostensubsidie 2026" in html
    assert "Convenant 2027" in html
    assert reverse("employers:agreement_create", args=[partner.pk]) in html
    assert reverse("employers:agreement_edit", args=[agreement.pk]) in html


# Agreements


def test_an_agreement_is_added_to_the_partner(client_for, coord_rotterdam, partner):
    response = client_for(coord_rotterdam).post(
        reverse("employers:agreement_create", args=[partner.pk]), agreement_data()
    )
    assert response.status_code == 302
    assert response["Location"] == partner.get_absolute_url()
    agreement = partner.agreements.get()
    assert (agreement.title, agreement.starts_on, agreement.ends_on) == (
        "Convenant werkgeversperspectief",
        dt.date(2026, 1, 1),
        dt.date(2027, 12, 31),
    )


def test_an_agreement_without_an_end_is_open_ended(client_for, coord_rotterdam, partner):
    client_for(coord_rotterdam).post(
        reverse("employers:agreement_create", args=[partner.pk]), agreement_data(ends_on="")
    )
    assert partner.agreements.get().ends_on is None


def test_an_agreement_is_edited(client_for, admin, partner, agreement):
    response = post_edit(
        client_for(admin),
        reverse("employers:agreement_edit", args=[agreement.pk]),
        agreement_data(title="Verlengd"),
    )
    assert response.status_code == 302
    agreement.refresh_from_db()
    assert agreement.title == "Verlengd"
    assert agreement.partner == partner


def test_an_agreement_that_ends_before_it_starts_is_refused_with_a_form_error(
    client_for, coord_rotterdam, partner, agreement
):
    client = client_for(coord_rotterdam)
    bad_dates = agreement_data(starts_on="2026-06-01", ends_on="2026-05-31")
    created = client.post(reverse("employers:agreement_create", args=[partner.pk]), bad_dates)
    edited = post_edit(client, reverse("employers:agreement_edit", args=[agreement.pk]), bad_dates)
    for response in (created, edited):
        assert response.status_code == 200
        assert "ends_on" in response.context["form"].errors
    assert list(partner.agreements.all()) == [agreement]
    agreement.refresh_from_db()
    assert agreement.ends_on == dt.date(2026, 12, 31)


# The list


@pytest.mark.parametrize("rows", [5, 60])
def test_the_partner_list_keeps_its_query_count(
    client_for, admin, rotterdam, dordrecht, django_assert_max_num_queries, rows
):
    for number in range(rows):
        partner = PartnerFactory(city=rotterdam if number % 2 else dordrecht, is_lead=number < 2)
        AgreementFactory(partner=partner)
    client = client_for(admin)
    # Besides the session, the user and the header: count, page, leads, cities (leads and filter).
    with django_assert_max_num_queries(11):
        response = client.get(reverse("employers:partner_list"))
    assert len(response.context["page"].object_list) == min(rows, 25)
    assert response.context["page"].object_list[0].agreement_count == 1


@pytest.fixture
def several(rotterdam, dordrecht):
    return {
        "municipality": PartnerFactory(
            name="Gemeente Rotterdam",
            kind=NetworkPartner.Kind.MUNICIPALITY,
            city=rotterdam,
            is_lead=True,
        ),
        "youth_work": PartnerFactory(
            name="Jongerenwerk Maasstad",
            kind=NetworkPartner.Kind.YOUTH_WORK,
            city=rotterdam,
            contact_name="Karim Bouzid",
        ),
        "school": PartnerFactory(
            name="Da Vinci College",
            kind=NetworkPartner.Kind.SCHOOL,
            city=dordrecht,
            contact_name="Eva Jansen",
        ),
    }


def listed(client, **params):
    response = client.get(reverse("employers:partner_list"), params)
    assert response.status_code == 200
    return {partner.name for partner in response.context["page"].object_list}


def test_search_finds_partners_by_name_or_contact(client_for, admin, several):
    client = client_for(admin)
    assert listed(client, q="maasstad") == {"Jongerenwerk Maasstad"}
    assert listed(client, q="Eva") == {"Da Vinci College"}
    assert listed(client, q="nobody") == set()


def test_filters_narrow_the_list_by_kind_city_and_lead(client_for, admin, several, dordrecht):
    client = client_for(admin)
    assert listed(client, kind=NetworkPartner.Kind.SCHOOL) == {"Da Vinci College"}
    assert listed(client, city=dordrecht.pk) == {"Da Vinci College"}
    assert listed(client, lead_only="on") == {"Gemeente Rotterdam"}
    assert listed(client) == {"Gemeente Rotterdam", "Jongerenwerk Maasstad", "Da Vinci College"}


def test_a_filter_that_makes_no_sense_is_ignored_not_a_500(client_for, admin, several):
    assert len(listed(client_for(admin), city="not-a-city", kind="spaceship")) == 3


def test_the_list_names_the_lead_of_each_city_and_flags_a_city_without_one(
    client_for, admin, several, rotterdam, dordrecht
):
    response = client_for(admin).get(reverse("employers:partner_list"))
    leads = dict(response.context["city_leads"])
    assert leads[rotterdam] == several["municipality"]
    assert leads[dordrecht] is None
    assert 'data-testid="city-without-lead"' in response.content.decode()


def test_the_list_is_paginated(client_for, coord_rotterdam, rotterdam):
    PartnerFactory.create_batch(30, city=rotterdam)
    client = client_for(coord_rotterdam)
    second = client.get(reverse("employers:partner_list"), {"page": 2})
    assert len(second.context["page"].object_list) == 5


def test_an_empty_list_says_so(client_for, coord_rotterdam):
    response = client_for(coord_rotterdam).get(reverse("employers:partner_list"))
    assert response.status_code == 200
    assert not response.context["page"].object_list
    assert not response.context["is_filtered"]


def test_the_partner_pages_have_no_inline_script_or_style(
    client_for, admin, partner, agreement, several
):
    client = client_for(admin)
    urls = [
        reverse("employers:partner_list"),
        reverse("employers:partner_create"),
        *partner_urls(partner, agreement),
    ]
    for url in urls:
        html = client.get(url).content.decode()
        assert "<script>" not in html
        assert " style=" not in html
        assert "<style" not in html
