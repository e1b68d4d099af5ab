"""A coordinator starts the day on the start page and resolves an item from it: a placement due
its follow-up, answered on the placement's page, leaves the queue. At desktop and phone width,
every page passes axe; screenshots are kept for CI."""

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from buddy.factories import PlacementFactory
from employers.factories import EmployerFactory, OpeningFactory
from matching.models import FollowUp
from youth.factories import YoungPersonFactory

SCREENSHOTS = Path(settings.VAR_DIR) / "screenshots"  # CI keeps var/screenshots as artifacts


def test_a_coordinator_resolves_a_follow_up_from_the_start_page(
    live_server, coord_rotterdam, jw_rotterdam, rotterdam, page, login, axe_check
):
    today = timezone.localdate()
    employer = EmployerFactory(city=rotterdam, owner=coord_rotterdam, name="Fietsenmakerij Zuid")
    youth = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam, first_name="Ilias")
    placement = PlacementFactory(
        youth=youth,
        opening=OpeningFactory(employer=employer),
        start_date=today - dt.timedelta(days=40),
    )
    FollowUp.objects.create(placement=placement, month=1, due_on=today - dt.timedelta(days=5))
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    login(page, live_server, "coord.rotterdam")
    section = page.get_by_test_id("section-follow_ups")
    for width, height in [(390, 844), (1366, 768)]:
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/")
        expect(section).to_have_attribute("data-count", "1")
        expect(page.get_by_test_id("section-intakes").get_by_test_id("empty")).to_have_text(
            "Van elke gehouden intake is de uitkomst vastgelegd."
        )
        axe_check(page)
        page.screenshot(path=SCREENSHOTS / f"start-page-coordinator-{width}.png", full_page=True)

    section.get_by_role("link", name="Ilias bij Fietsenmakerij Zuid").click()
    expect(page).to_have_url(f"{live_server.url}/matching/placements/{placement.pk}/")
    axe_check(page)
    page.get_by_test_id("follow-up").locator("input[name$=still_there][value=yes]").check()
    page.get_by_role("button", name="Het antwoord opslaan").click()
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("section-follow_ups")).to_have_attribute("data-count", "0")
    expect(page.get_by_test_id("section-follow_ups").get_by_test_id("empty")).to_have_text(
        "Geen plaatsing is toe aan een nazorgcontact."
    )
    axe_check(page)
