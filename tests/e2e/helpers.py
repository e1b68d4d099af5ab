"""What the browser tests do again and again: log in through the real form, and ask axe-core
whether the page in front of them meets WCAG 2.1 A/AA."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe

from restart_platform.accounts.factories import DEMO_PASSWORD

# axe-core ships inside axe-playwright-python (axe.min.js); nothing is fetched at run time.
_AXE = Axe()
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING_IMPACTS = {"serious", "critical"}
LOGIN_PATH = "/accounts/login/"


def axe_violations(page) -> list[dict]:
    """Every WCAG 2.1 A/AA violation axe-core finds on the current page."""
    return _AXE.run(page, options=AXE_OPTIONS).response["violations"]


def describe_violations(violations: list[dict], max_targets: int = 3) -> str:
    lines = []
    for violation in violations:
        nodes = violation["nodes"]
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        lines.append(f"    {violation['helpUrl']}")
        for node in nodes[:max_targets]:
            target = " ".join(map(str, node["target"]))
            # The first line axe explains the node with, e.g. the contrast ratio it measured.
            why = (node.get("failureSummary") or "").splitlines()[1:2]
            lines.append(f"    {target}" + (f": {why[0].strip()}" if why else ""))
        if len(nodes) > max_targets:
            lines.append(f"    (and {len(nodes) - max_targets} more)")
    return "\n".join(lines)


def axe_check(page) -> list[dict]:
    """Fail the test when the current page has a serious or critical WCAG 2.1 A/AA violation.

    Returns the lesser (minor, moderate) violations, for a test that wants to look at them.
    """
    page.mouse.move(0, 0)  # measure the page at rest, not a button under the pointer's hover
    violations = axe_violations(page)
    blocking = [v for v in violations if v["impact"] in BLOCKING_IMPACTS]
    if blocking:
        pytest.fail(
            f"axe-core found {len(blocking)} serious/critical WCAG 2.1 A/AA violation(s) "
            f"on {page.url}:\n{describe_violations(blocking)}",
            pytrace=False,
        )
    return violations


def login(page, live_server, username: str, password: str = DEMO_PASSWORD) -> None:
    """Log in through the login form, as a person would (django-axes needs the real request)."""
    page.goto(f"{live_server.url}{LOGIN_PATH}")
    form = page.locator("main form").filter(has=page.locator("input[name=password]"))
    form.locator("input[name=username]").fill(username)
    form.locator("input[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    if LOGIN_PATH in page.url:
        errors = form.locator(".alert, .invalid-feedback").all_inner_texts()
        pytest.fail(f"Logging in as {username!r} failed; the form says: {errors}", pytrace=False)


def url_path_is(path: str) -> re.Pattern:
    """A pattern for page.wait_for_url / expect(page).to_have_url that ignores host and query."""
    return re.compile(rf"^https?://[^/]+{re.escape(path)}(\?.*)?$")
