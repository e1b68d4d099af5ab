"""An assignment proposal in the browser: a coordinator asks for one for Rotterdam, watches its
progress bar while the background job waits and runs, sees the table appear without reloading
by hand, reads why a row scores as it does, accepts one row and rejects another in place
(HTMX), and finds the accepted pair on the shortlist. Every page passes axe.

The worker is played by the test: it runs the task function once the page shows the progress
bar, as a Celery worker would on receiving the message. That the message is sent when the
request commits, and sent again when the broker lost it, is tested in
tests/matching/test_proposals.py.
"""

import pytest
from django.apps import apps
from playwright.sync_api import expect

from matching.models import Proposal, ProposalRow, Shortlist
from matching.tasks import run_proposal
from restart_platform.taxonomy.models import Sector
from tests.matching.conftest import city_coordinates, make_opening, make_youth, sector_interests
from youth.models import YoungPerson

from .helpers import url_path_is


@pytest.fixture
def pool(rotterdam, jw_rotterdam):
    """Three young people who fit the recycling openings of Rotterdam, which have three places."""
    city_coordinates.add_coordinates(apps, None)
    sector_interests.link_interest_areas(apps, None)
    rotterdam.refresh_from_db()
    recycling = Sector.objects.get(slug="recycling")
    youth = [
        make_youth(
            jw_rotterdam,
            rotterdam,
            first_name=name,
            interests=["technology"],
            skills=["tools", "safety"],
            journey=YoungPerson.Journey.PROGRAMME,
            available_hours=32,
            travel_range_km=20,
        )
        for name in ("Noor", "Bram", "Sami")
    ]
    openings = [
        make_opening(rotterdam, recycling, required=["tools"], title="Demontage", places=2),
        make_opening(rotterdam, recycling, required=["safety"], title="Sorteerhal", places=1),
    ]
    return youth, openings


def test_a_proposal_is_computed_in_the_background_and_its_rows_decided_in_place(
    live_server, pool, coord_rotterdam, page, login, axe_check
):
    login(page, live_server, "coord.rotterdam")
    page.goto(f"{live_server.url}/matching/proposals/")
    expect(page.get_by_test_id("empty")).to_be_visible()
    axe_check(page)
    page.get_by_test_id("proposal-request").locator("button[type=submit]").click()

    proposal = Proposal.objects.get(city__slug="rotterdam")
    expect(page).to_have_url(url_path_is(f"/matching/proposals/{proposal.pk}/"))
    progress = page.get_by_test_id("proposal-progress")
    expect(progress).to_be_visible()
    expect(progress.locator("progress")).to_have_attribute("value", "0")
    axe_check(page)

    run_proposal(proposal.pk)  # the worker takes it

    # The page polls, and shows the proposal once it is ready.
    rows = page.get_by_test_id("proposal-row")
    expect(rows).to_have_count(3)
    expect(page.get_by_test_id("proposal-summary")).to_contain_text("3")
    axe_check(page)

    first, second = (ProposalRow.objects.filter(proposal=proposal).order_by("-score", "pk"))[:2]
    row = page.locator(f"#row-{first.pk}")
    row.get_by_text("Waarom?").click()  # each row explains its score, as a suggestion does
    expect(row.get_by_test_id("row-why").locator("li")).to_have_count(7)
    axe_check(page)
    row.get_by_test_id("accept").click()
    expect(row.get_by_test_id("decision")).to_contain_text("Geaccepteerd")
    other = page.locator(f"#row-{second.pk}")
    other.get_by_test_id("reject").click()
    expect(other.get_by_test_id("decision")).to_contain_text("Afgewezen")
    axe_check(page)

    entry = Shortlist.objects.get(youth=first.youth, opening=first.opening)
    assert ProposalRow.objects.get(pk=first.pk).shortlist == entry
    assert not Shortlist.objects.filter(youth=second.youth, opening=second.opening).exists()
    page.goto(f"{live_server.url}/matching/")
    expect(page.get_by_test_id("shortlist-entry")).to_have_count(1)
    expect(page.get_by_test_id("shortlist-entry")).to_contain_text(first.opening.title)
    axe_check(page)
