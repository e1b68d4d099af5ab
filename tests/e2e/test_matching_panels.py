"""Matching's panels on the profile and the opening page: they load after the page, their
reason field and button are usable on a laptop (1366 px) and on a phone (390 px), and without
JavaScript a plain link opens the same panel as a page."""

import pytest
from django.apps import apps
from playwright.sync_api import expect

from matching.models import Shortlist
from tests.matching.conftest import city_coordinates, fitting_youth, make_opening, sector_interests

from .conftest import TIMEOUT_MS
from .helpers import url_path_is

WIDTHS = [(1366, 900), (390, 844)]


@pytest.fixture
def panel_world(rotterdam, jw_rotterdam, coord_rotterdam):
    """A young person with three openings that fit, so that rows below the first ask why."""
    from restart_platform.taxonomy.models import Sector

    city_coordinates.add_coordinates(apps, None)
    sector_interests.link_interest_areas(apps, None)
    rotterdam.refresh_from_db()
    youth = fitting_youth(jw_rotterdam, rotterdam)
    recycling = Sector.objects.get(slug="recycling")
    openings = [
        make_opening(rotterdam, recycling, required=["tools", "safety"], title=title)
        for title in ("Demontage Waalhaven", "Sorteren Feijenoord", "Fietsenmaker Katendrecht")
    ]
    return {"youth": youth, "openings": openings}


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_the_reason_field_and_the_button_are_usable_at_laptop_and_phone_width(
    width, height, live_server, panel_world, page, login, axe_check
):
    page.set_viewport_size({"width": width, "height": height})
    youth = panel_world["youth"]
    login(page, live_server, "coord.rotterdam")
    page.goto(f"{live_server.url}/youth/{youth.pk}/")
    second = page.get_by_test_id("suggestion").nth(1)
    reason, button = second.locator("textarea[name=reason]"), second.locator("button[type=submit]")
    expect(reason).to_be_visible()
    field, knob = reason.bounding_box(), button.bounding_box()
    # Room to write a sentence (in a table's last column it was a sliver), and the button
    # beside the field or below it, never on it, and on the screen.
    assert field["width"] >= 300
    beside = knob["x"] >= field["x"] + field["width"]
    below = knob["y"] >= field["y"] + field["height"]
    assert beside or below
    assert knob["x"] + knob["width"] <= width
    axe_check(page)

    reason.fill("Dichter bij huis")
    button.click()
    expect(page).to_have_url(url_path_is(f"/youth/{youth.pk}/"))
    entry = Shortlist.objects.get(youth=youth)
    assert (entry.rank, entry.reason) == (2, "Dichter bij huis")


def test_without_javascript_a_link_opens_the_panel_as_a_page(
    browser, live_server, panel_world, coord_rotterdam
):
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator("#id_username").fill("coord.rotterdam")
        page.locator("#id_password").fill("restart-demo")
        page.locator("main form button[type=submit]").click()
        opening = panel_world["openings"][0]
        page.goto(f"{live_server.url}/employers/openings/{opening.pk}/")
        expect(page.get_by_test_id("suggestions")).to_have_count(0)
        page.get_by_test_id("panel-slot").get_by_role("link").click()
        expect(page).to_have_url(url_path_is(f"/matching/openings/{opening.pk}/"))
        expect(page.get_by_test_id("suggestion")).to_have_count(1)
        page.get_by_role("link", name="Terug").click()
        expect(page).to_have_url(url_path_is(f"/employers/openings/{opening.pk}/"))
    finally:
        context.close()
