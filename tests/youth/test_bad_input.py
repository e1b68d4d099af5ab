"""Dates on a young person's records lie in a plausible range (a consent not before birth, a
contact not before 2000), and free text has a limit: each a Dutch message, in the form and in
the service."""

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from tests.edits import post_edit
from youth import services
from youth.models import Consent, ContactMoment

pytestmark = pytest.mark.django_db


def shown(response) -> str:
    """The messages the profile shows (the contact form posts from it and goes back)."""
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def test_a_contact_dated_in_the_year_1_is_refused(client_for, jw_rotterdam, youth):
    response = client_for(jw_rotterdam).post(
        reverse("youth:contact_create", args=[youth.pk]),
        {"kind": "phone", "date": "0001-01-01", "summary": "Gebeld."},
    )
    assert "Geef een datum tussen" in shown(response)
    assert not ContactMoment.objects.exists()


def test_the_service_refuses_a_contact_before_2000(jw_rotterdam, youth):
    with pytest.raises(ValidationError) as refused:
        services.contact_log(
            youth=youth, by=jw_rotterdam, kind="phone", date=dt.date(1999, 12, 31), summary="x"
        )
    assert "date" in refused.value.message_dict


def test_a_summary_of_100000_characters_is_refused_with_a_message(client_for, jw_rotterdam, youth):
    response = client_for(jw_rotterdam).post(
        reverse("youth:contact_create", args=[youth.pk]),
        {"kind": "phone", "date": timezone.localdate().isoformat(), "summary": "x" * 100_000},
    )
    assert "niet meer dan 5000 tekens" in shown(response)
    assert not ContactMoment.objects.exists()


def test_a_consent_given_before_birth_is_refused_in_the_form(client_for, jw_rotterdam, youth):
    before_birth = youth.date_of_birth - dt.timedelta(days=1)
    response = client_for(jw_rotterdam).post(
        reverse("youth:consent_create", args=[youth.pk]),
        {"purpose": Consent.Purpose.REGISTRATION, "given_on": before_birth.isoformat()},
    )
    assert response.status_code == 200
    assert "geboren" in " ".join(response.context["form"].errors["given_on"])
    assert not Consent.objects.filter(youth=youth, given_on=before_birth).exists()


def test_the_service_refuses_a_consent_given_before_birth(jw_rotterdam, youth):
    with pytest.raises(ValidationError) as refused:
        services.consent_give(
            youth=youth,
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
            given_on=youth.date_of_birth - dt.timedelta(days=1),
            by=jw_rotterdam,
        )
    assert "given_on" in refused.value.message_dict


def test_a_birth_date_in_the_year_1_is_refused_on_the_profile(client_for, jw_rotterdam, youth):
    from tests.youth.test_profiles import edit_data

    response = post_edit(
        client_for(jw_rotterdam),
        reverse("youth:youth_edit", args=[youth.pk]),
        edit_data(youth, date_of_birth="0001-01-01"),
    )
    assert response.status_code == 200
    assert response.context["form"].errors["date_of_birth"]
    youth.refresh_from_db()
    assert youth.date_of_birth.year > 1900
