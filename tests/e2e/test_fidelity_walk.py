"""A coordinator opens the fidelity table, narrows it to a period, reads "niet vastgelegd" where
nothing was recorded, and downloads the CSV; at desktop and phone width, every page passing axe."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from employers.factories import PartnerFactory
from intake.factories import IntakeMeetingFactory
from intake.models import IntakeMeeting
from youth.factories import YoungPersonFactory


def test_a_coordinator_reads_the_fidelity_table_and_downloads_it(
    live_server, coord_rotterdam, jw_rotterdam, rotterdam, page, login, axe_check
):
    IntakeMeetingFactory(
        youth=YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam),
        starts_at=timezone.now() - dt.timedelta(days=1),
        status=IntakeMeeting.Status.HELD,
        youth_present=True,
        youth_worker_present=True,
    )
    PartnerFactory(city=rotterdam, is_lead=True)
    login(page, live_server, "coord.rotterdam")

    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(f"{live_server.url}/dashboard/fidelity/")
    expect(page.get_by_role("heading", name="Toepassing van de werkzame elementen")).to_be_visible()
    bridge = page.get_by_test_id("fidelity-youth_worker_bridge")
    expect(bridge.get_by_test_id("count")).to_have_text("1 van 1")
    expect(bridge.get_by_test_id("percentage")).to_have_text("100\u00a0%")
    expect(page.get_by_test_id("fidelity-motivation").get_by_test_id("percentage")).to_have_text(
        "niet vastgelegd"
    )
    axe_check(page)

    # A period before the intake: nothing held, so nothing recorded.
    today = timezone.localdate()
    page.locator("#id_start").fill((today - dt.timedelta(days=60)).isoformat())
    page.locator("#id_end").fill((today - dt.timedelta(days=30)).isoformat())
    page.get_by_role("button", name="Filteren").click()
    expect(bridge.get_by_test_id("percentage")).to_have_text("niet vastgelegd")
    expect(page.get_by_test_id("fidelity-lead_partner").get_by_test_id("percentage")).to_have_text(
        "100\u00a0%"
    )
    with page.expect_download() as download:
        page.get_by_test_id("fidelity-csv").click()
    assert download.value.suggested_filename.startswith("fidelity-")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/dashboard/fidelity/")
    expect(page.get_by_test_id("fidelity-table")).to_be_visible()
    axe_check(page)
