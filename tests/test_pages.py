"""Every page: the security headers, the language, and the error pages in the site's style."""

import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    "/accounts/login/",
    "/",
    "/notifications/",
    "/notifications/failed/",
    "/accounts/password_change/",
    "/does-not-exist/",
]


@pytest.mark.parametrize("path", PAGES)
def test_every_page_carries_a_strict_content_security_policy_and_security_headers(
    client_for, coord_rotterdam, path
):
    response = client_for(coord_rotterdam).get(path)
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert "object-src 'none'" in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.parametrize("path", PAGES)
def test_no_page_has_an_inline_script_or_style(client_for, coord_rotterdam, path):
    html = client_for(coord_rotterdam).get(path).content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html


def test_pages_speak_dutch_by_default(client):
    response = client.get("/accounts/login/")
    assert response["Content-Language"] == "nl"
    assert '<html lang="nl">' in response.content.decode()
    assert "Inloggen" in response.content.decode()


def test_the_language_switch_turns_the_interface_to_english_and_remembers_it(
    client_for, coord_rotterdam
):
    client = client_for(coord_rotterdam)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    page = client.get("/")
    assert '<html lang="en">' in page.content.decode()
    coord_rotterdam.refresh_from_db()
    assert coord_rotterdam.language == "en"


def test_logging_in_brings_back_the_users_language(client, coord_rotterdam):
    coord_rotterdam.language = "en"
    coord_rotterdam.save()
    client.post("/accounts/login/", {"username": "coord.rotterdam", "password": "restart-demo"})
    assert '<html lang="en">' in client.get("/").content.decode()


def test_an_unknown_page_answers_a_404_page_in_the_site_style(client_for, coord_rotterdam):
    response = client_for(coord_rotterdam).get("/no/such/page/")
    assert response.status_code == 404
    assert "Pagina niet gevonden" in response.content.decode()
    assert 'href="/static/vendor/bootstrap/bootstrap.min.css"' in response.content.decode()


def test_a_csrf_failure_answers_a_clear_page_not_a_stack_trace(coord_rotterdam):
    client = Client(enforce_csrf_checks=True)
    client.force_login(coord_rotterdam)
    response = client.post(reverse("notifications:notification_read_all"))
    assert response.status_code == 403
    assert "Het formulier is verlopen" in response.content.decode()


def test_a_server_error_answers_the_500_page(rf):
    from restart_platform.views import server_error

    response = server_error(rf.get("/"))
    assert response.status_code == 500
    assert "Er ging iets mis" in response.content.decode()


def test_the_header_shows_the_unread_count(client_for, coord_rotterdam):
    from restart_platform.notifications.models import Notification

    Notification.objects.create(user=coord_rotterdam, title="Een")
    Notification.objects.create(user=coord_rotterdam, title="Twee")
    html = client_for(coord_rotterdam).get("/").content.decode()
    assert 'data-testid="unread-count">2<' in html


def test_navigation_differs_per_role(client_for, coord_rotterdam, jw_rotterdam):
    failed_link = reverse("notifications:reminder_failed_list")
    assert failed_link in client_for(coord_rotterdam).get("/").content.decode()
    assert failed_link not in client_for(jw_rotterdam).get("/").content.decode()


def test_the_menu_marks_the_section_of_the_page(client_for, coord_rotterdam):
    items = client_for(coord_rotterdam).get("/employers/pipeline/").context["nav_items"]
    assert [item["url"] for item in items if item["active"]] == ["/employers/pipeline/"]


def test_a_database_that_is_away_answers_a_dutch_maintenance_page(coord_rotterdam):
    """Reading the session is the first thing a signed-in request asks of the database: when it
    cannot, the page says the platform is briefly unavailable (503), not that it broke."""
    from unittest import mock

    from django.contrib.sessions.backends.db import SessionStore
    from django.db import OperationalError

    client = Client(raise_request_exception=False)
    client.force_login(coord_rotterdam)
    away = OperationalError('connection to server at "127.0.0.1", port 5432 failed')
    with mock.patch.object(SessionStore, "load", side_effect=away):
        response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert "Even niet bereikbaar" in html
    assert "5432" not in html
    assert "Traceback" not in html
