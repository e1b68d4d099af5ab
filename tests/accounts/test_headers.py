"""Pages and exports for a logged-in user are never cached; no page may use camera or location."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url_name", ["dashboard:home", "employers:employer_list", "employers:employer_export"]
)
def test_an_authenticated_page_or_export_is_never_stored(client_for, coord_rotterdam, url_name):
    response = client_for(coord_rotterdam).get(reverse(url_name))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


def test_a_redirect_to_the_second_factor_is_not_stored_either(
    settings, client_for, coord_rotterdam
):
    settings.REQUIRE_2FA = True
    response = client_for(coord_rotterdam).get(reverse("dashboard:home"))
    assert response.status_code == 302
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize("authenticated", [True, False])
def test_every_page_switches_off_camera_microphone_and_location(
    client, client_for, coord_rotterdam, authenticated
):
    browser = client_for(coord_rotterdam) if authenticated else client
    response = browser.get(reverse("login"))
    policy = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in policy
