"""A coordinator's first visit: log in, switch to English, log out; every page passes axe."""

from playwright.sync_api import expect

from .helpers import LOGIN_PATH, url_path_is


def test_coordinator_logs_in_switches_to_english_and_logs_out(
    live_server, coord_rotterdam, page, login, axe_check
):
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    expect(page.locator("html")).to_have_attribute("lang", "nl")
    axe_check(page)

    login(page, live_server, "coord.rotterdam")
    expect(page).to_have_url(url_path_is("/"))
    expect(page.locator("[data-testid=user-menu]")).to_be_visible()
    axe_check(page)

    page.locator("[data-testid=language-switch]").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(url_path_is("/"))
    expect(page.locator("[data-testid=language-switch]")).to_have_text("Nederlands")
    axe_check(page)

    page.locator("[data-testid=user-menu]").click()
    logout = page.locator("[data-testid=logout]")
    expect(logout).to_be_visible()
    logout.click()
    expect(page).to_have_url(url_path_is(LOGIN_PATH))
    expect(page.locator("main form input[name=password]")).to_be_visible()
    expect(page.locator("[data-testid=user-menu]")).to_have_count(0)
    axe_check(page)
