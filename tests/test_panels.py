"""Panel slots (restart_platform.panels): a page of a lower app shows the panels of higher apps
by their URL names alone, and shows nothing of an app that is not there."""

from django.template import Context, Template
from django.test import override_settings
from django.urls import include, path

from restart_platform.panels import panel_url_names

# A project without matching (nor the apps above it): every app below it, as
# restart_platform/urls.py mounts them.
urlpatterns = [
    path("employers/", include("employers.urls")),
    path("youth/", include("youth.urls")),
    path("intake/", include("intake.urls")),
]

SLOT = Template('{% load panels %}{% panel_slots "youth_detail" 7 %}')


def test_the_profile_slot_is_filled_by_the_panel_urls_of_the_apps_above_youth():
    # In the URLconf's order: the dashboard's privacy panel (the AVG) comes first.
    assert panel_url_names("youth_detail") == [
        "dashboard:youth_detail_panel",
        "matching:youth_detail_panel",
        "prep_programme:youth_detail_panel",
        "buddy:youth_detail_panel",
    ]
    assert panel_url_names("opening_detail") == ["matching:opening_detail_panel"]


def test_a_slot_renders_a_container_that_loads_the_panel_with_a_link_as_fallback():
    html = SLOT.render(Context())
    assert 'hx-get="/matching/youth/7/" hx-trigger="load"' in html
    assert '<a href="/matching/youth/7/">' in html
    assert 'data-panel="matching:youth_detail_panel"' in html


def test_a_slot_nobody_fills_renders_nothing():
    assert panel_url_names("employer_detail") == []
    html = Template('{% load panels %}{% panel_slots "employer_detail" 7 %}').render(Context())
    assert html.strip() == ""


@override_settings(ROOT_URLCONF=__name__)
def test_without_matching_the_slot_is_simply_empty():
    assert panel_url_names("youth_detail") == []
    assert 'data-testid="panel-slot"' not in SLOT.render(Context())
