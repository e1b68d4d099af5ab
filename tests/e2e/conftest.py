"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Every test here is marked `slow` and `browser` and runs with `pytest -m slow` (serially, one
browser for the whole session, one fresh context and page per test). A page that breaks the
Content Security Policy, or throws an uncaught script error, fails its test.
"""

import os
from pathlib import Path

import pytest

from tests.conftest import needs_service

from . import helpers

E2E_DIR = Path(__file__).resolve().parent
CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


def _in_e2e(item: pytest.Item) -> bool:
    return Path(str(item.path)).resolve().is_relative_to(E2E_DIR)


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the marks must be there before `-m slow` selects.
    for item in items:
        if _in_e2e(item):
            item.add_marker(pytest.mark.slow)
            item.add_marker(pytest.mark.browser)


# --- Browser --------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM_PATH).is_file() or not os.access(CHROMIUM_PATH, os.X_OK):
        needs_service(
            f"chromium is not at {CHROMIUM_PATH} (apt-get install chromium, or set CHROMIUM_PATH)"
        )
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls
    # from test code and fixtures otherwise. Set only while the browser lives, so a session
    # without browser tests keeps Django's check. The live server answers from its own thread.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM_PATH, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    """A fresh context (Dutch browser, no cookies) and page; CSP violations fail the test."""
    # Reduced motion: no colour transitions half-way when axe measures contrast after a click.
    context = browser.new_context(locale="nl-NL", reduced_motion="reduce")
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    console_errors: list[str] = []
    page_errors: list[str] = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda error: page_errors.append(str(error)))
    page.console_errors = console_errors
    yield page
    context.close()
    csp_violations = [text for text in console_errors if "Content Security Policy" in text]
    problems = [f"CSP violation: {text}" for text in csp_violations]
    problems += [f"uncaught script error: {text}" for text in page_errors]
    if problems:
        pytest.fail(
            "The browser reported:\n" + "\n".join(f"- {p}" for p in problems), pytrace=False
        )


@pytest.fixture
def axe_check():
    """axe_check(page): fail on serious/critical WCAG 2.1 A/AA violations of the current page."""
    return helpers.axe_check


@pytest.fixture
def login():
    """login(page, live_server, username, password="restart-demo") through the real login form."""
    return helpers.login
