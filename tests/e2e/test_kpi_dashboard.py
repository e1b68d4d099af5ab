"""A coordinator opens the figures, filters them by city and period, sees the charts drawn,
downloads the XLSX and opens the employer pitch (also as printed), at laptop and phone width.
Every page passes axe; screenshots go to var/screenshots/ for CI to keep."""

import datetime as dt
import io

import openpyxl
from django.conf import settings
from playwright.sync_api import expect

from restart_platform.dashboard import services
from tests.dashboard.kpi_world import World
from youth.factories import ConsentFactory
from youth.models import Consent

SCREENSHOTS = settings.VAR_DIR / "screenshots"
WIDTHS = {"desktop": (1366, 900), "phone": (390, 844)}


def shoot(page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"kpi-{name}.png"), full_page=True)


def test_a_coordinator_filters_the_figures_downloads_them_and_opens_the_pitch(
    live_server,
    coord_rotterdam,
    jw_rotterdam,
    rotterdam,
    dordrecht,
    jw_dordrecht,
    page,
    login,
    axe_check,
):
    world = World(
        coord=coord_rotterdam,
        jw=jw_rotterdam,
        city=rotterdam,
        other_city=dordrecht,
        jw_other=jw_dordrecht,
    )
    person = world.youth(dt.date(2025, 4, 1))
    ConsentFactory(youth=person, purpose=Consent.Purpose.ANONYMOUS_REPORTS)
    services.story_save(
        by=coord_rotterdam,
        youth=person,
        title="Van stage naar vast werk",
        text="Begon met twee dagen stage in de demontage en werkt nu vier dagen per week.",
        is_shareable=True,
    )
    login(page, live_server, "coord.rotterdam")

    for width_name, (width, height) in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": height})
        page.goto(f"{live_server.url}/dashboard/")
        expect(page.get_by_role("heading", name="Cijfers", exact=True)).to_be_visible()
        expect(page.locator("canvas[data-chart-drawn=true]")).to_have_count(8)
        axe_check(page)
        shoot(page, f"dashboard-{width_name}")

        # Filter: Rotterdam, the year 2025.
        page.locator("#id_city").select_option(label="Rotterdam")
        page.locator("#id_start").fill("2025-01-01")
        page.locator("#id_end").fill("2025-12-31")
        page.get_by_role("button", name="Filteren").click()
        page.wait_for_url("**start=2025-01-01**")
        expect(page.locator("canvas[data-chart-drawn=true]")).to_have_count(8)
        expect(page.get_by_text("1 januari 2025 \u2013 31 december 2025")).to_be_visible()
        # The table behind a chart, for screen readers and everyone else.
        page.locator("details summary").first.click()
        expect(page.get_by_test_id("figure-table").first).to_be_visible()
        if width_name == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls"
        axe_check(page)
        shoot(page, f"dashboard-filtered-{width_name}")

        with page.expect_download() as download:
            page.get_by_test_id("export-xlsx").click()
        book = openpyxl.load_workbook(io.BytesIO(download.value.path().read_bytes()))
        assert len(book.sheetnames) == 8
        assert download.value.suggested_filename == "cijfers-rotterdam-2025-01-01-2025-12-31.xlsx"

        page.get_by_role("link", name="Werkgeverspitch").first.click()
        expect(page.get_by_test_id("pitch-story")).to_have_count(1)
        expect(page.get_by_test_id("pitch")).to_contain_text("Van stage naar vast werk")
        if width_name == "phone":
            assert page.evaluate("document.documentElement.scrollWidth") <= width, "scrolls"
        axe_check(page)
        shoot(page, f"pitch-{width_name}")

    # Printed: no menu, no controls, only the pitch.
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.emulate_media(media="print")
    expect(page.locator("body > header")).to_be_hidden()
    expect(page.locator(".no-print")).to_be_hidden()
    expect(page.get_by_test_id("pitch")).to_be_visible()
    shoot(page, "pitch-print")
    page.pdf(path=str(SCREENSHOTS / "kpi-pitch.pdf"), format="A4")
