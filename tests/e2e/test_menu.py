"""The grouped menu, for each demo account: one line at 1366 px in Dutch and in English, the
figures group included; a group opens by keyboard; axe-core finds no serious violation; at
phone width the toggler shows the menu."""

import pytest
from playwright.sync_api import expect

from restart_platform.accounts.demo import seed

DEMO_ROLES = ["admin", "coord.rotterdam", "jw.rotterdam1", "employer.demo1"]
LAPTOP = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}

# The vertical middle of every top-level part of the bar: the brand, each menu entry, and
# each control on the right. On one line they all share it.
MIDDLES = """() => {
  const parts = [document.querySelector('.navbar-brand'),
    ...document.querySelectorAll('[data-testid=main-menu] > li'),
    ...document.querySelectorAll('#main-nav > div > *')];
  return parts.map(el => { const r = el.getBoundingClientRect(); return r.top + r.height / 2; });
}"""


@pytest.fixture
def demo_accounts(db):
    return {user.username: user for user in seed()}


# Nothing runs past the bar's right edge, and no two parts overlap.
INSIDE = """() => {
  const bar = document.querySelector('.navbar > .container').getBoundingClientRect();
  const parts = [document.querySelector('.navbar-brand'),
    ...document.querySelectorAll('[data-testid=main-menu] > li'),
    ...document.querySelectorAll('#main-nav > div > *')].map(el => el.getBoundingClientRect());
  return parts.every((r, i) => r.right <= bar.right && (i === 0 || r.left >= parts[i - 1].right - 1));
}"""


def one_line(page) -> bool:
    middles = page.evaluate(MIDDLES)
    return max(middles) - min(middles) < 8 and page.evaluate(INSIDE)


def switch_to_english(page):
    page.get_by_test_id("language-switch").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize("username", DEMO_ROLES)
def test_the_menu_fits_one_line_opens_by_keyboard_and_folds_on_a_phone(
    live_server, page, login, axe_check, demo_accounts, username
):
    page.set_viewport_size(LAPTOP)
    login(page, live_server, username)
    page.goto(f"{live_server.url}/")
    expect(page.get_by_test_id("main-menu")).to_be_visible()
    axe_check(page)

    # The whole bar, the figures group included, in Dutch and then in English.
    assert one_line(page), f"the menu of {username} wraps ({page.evaluate(MIDDLES)})"
    switch_to_english(page)
    assert one_line(page), f"the English menu of {username} wraps ({page.evaluate(MIDDLES)})"

    # A group (or, for an employer contact, whose menu has none, the account menu) opens from
    # the keyboard, and the arrow keys walk its items.
    groups = page.locator("[data-testid=main-menu] .dropdown-toggle")
    toggle = groups.first if groups.count() else page.get_by_test_id("user-menu")
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    menu = toggle.locator("xpath=following-sibling::ul")
    expect(menu).to_be_visible()
    page.keyboard.press("ArrowDown")
    assert page.evaluate("() => document.activeElement.classList.contains('dropdown-item')")
    axe_check(page)
    page.keyboard.press("Escape")
    expect(menu).to_be_hidden()

    # On a phone the menu folds behind the toggler, and the toggler shows it.
    page.set_viewport_size(PHONE)
    menu_bar = page.get_by_test_id("main-menu")
    expect(menu_bar).to_be_hidden()
    page.locator(".navbar-toggler").click()
    expect(menu_bar).to_be_visible()
    expect(menu_bar.locator("> li").first).to_be_visible()
    axe_check(page)


def test_the_active_page_and_its_group_are_marked(live_server, page, login, demo_accounts):
    page.set_viewport_size(LAPTOP)
    login(page, live_server, "coord.rotterdam")
    page.goto(f"{live_server.url}/employers/pipeline/")
    group = page.get_by_test_id("menu-group-employers").locator(".dropdown-toggle")
    expect(group).to_have_attribute("aria-current", "true")
    group.click()
    current = page.locator("[data-testid=main-menu] [aria-current=page]")
    expect(current).to_have_count(1)
    expect(current).to_have_attribute("href", "/employers/pipeline/")
