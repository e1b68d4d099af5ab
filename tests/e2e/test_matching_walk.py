"""From a suggestion to a placement: a coordinator shortlists a young person's best suggestion
(after reading why) and shares the profile; the employer contact answers "interested" in the
portal; the youth worker opens the filled-in intake form from the notification and plans the
intake; the portal shows it; the coordinator records the placement and its follow-ups. Every
page passes axe."""

import datetime as dt

import pytest
from django.apps import apps
from django.utils import timezone
from playwright.sync_api import expect

from employers.factories import ContactFactory
from employers.models import Employer
from intake.models import IntakeMeeting
from matching.models import FollowUp, Placement, Share, Shortlist
from restart_platform.notifications.models import Notification
from restart_platform.notifications.services import reminders_dispatch_due
from restart_platform.taxonomy.models import Sector
from tests.matching.conftest import city_coordinates, make_opening, make_youth, sector_interests
from youth.factories import ConsentFactory
from youth.models import Consent, YoungPerson

from .helpers import LOGIN_PATH, url_path_is

INTAKE_PLACE = "Fietsenmakerij De Kaap, Katendrechtse Lagedijk 1"


@pytest.fixture
def walk_world(rotterdam, coord_rotterdam, jw_rotterdam, employer_contact1):
    """A young person who fits one open opening well, with consent to share their profile."""
    city_coordinates.add_coordinates(apps, None)
    sector_interests.link_interest_areas(apps, None)
    rotterdam.refresh_from_db()
    today = timezone.localdate()
    youth = make_youth(
        jw_rotterdam,
        rotterdam,
        first_name="Yara",
        last_name="Verzonnen",
        interests=["technology"],
        skills=["tools", "safety"],
        journey=YoungPerson.Journey.PROGRAMME,
        available_hours=32,
        available_days=["mon", "tue", "wed", "thu"],
        available_from=today,
        travel_range_km=25,
    )
    for purpose in (Consent.Purpose.REGISTRATION, Consent.Purpose.SHARE_WITH_EMPLOYERS):
        ConsentFactory(youth=youth, purpose=purpose)
    opening = make_opening(
        rotterdam,
        Sector.objects.get(slug="recycling"),
        required=["tools", "safety"],
        title="Fietsenmaker Katendrecht",
        hours_per_week=32,
        start_date=today + dt.timedelta(days=14),
    )
    Employer.objects.filter(pk=opening.employer_id).update(
        name="Fietsenmakerij De Kaap", owner=coord_rotterdam
    )
    ContactFactory(
        employer=opening.employer, user=employer_contact1, name=employer_contact1.get_full_name()
    )
    return {"youth": youth, "opening": opening}


def logout(page) -> None:
    page.locator("[data-testid=user-menu]").click()
    page.locator("[data-testid=logout]").click()
    expect(page).to_have_url(url_path_is(LOGIN_PATH))


def test_from_a_suggestion_through_the_portal_and_an_intake_to_a_placement_with_follow_ups(
    live_server,
    walk_world,
    coord_rotterdam,
    jw_rotterdam,
    employer_contact1,
    page,
    login,
    axe_check,
):
    youth, opening = walk_world["youth"], walk_world["opening"]

    # The coordinator reads why the top suggestion fits, shortlists it and shares the profile.
    login(page, live_server, "coord.rotterdam")
    page.goto(f"{live_server.url}/youth/{youth.pk}/")
    # Matching's panel loads from matching's own URL into the profile's slot.
    expect(page.get_by_test_id("matching-youth-panel")).to_be_visible()
    expect(page.get_by_test_id("panel-slot")).to_have_count(0)
    top = page.get_by_test_id("suggestion").first
    expect(top).to_contain_text("Fietsenmaker Katendrecht")
    top.get_by_text("Waarom?").click()
    expect(top.get_by_test_id("suggestion-why").locator("li").first).to_be_visible()
    axe_check(page)
    top.get_by_test_id("shortlist-form").locator("button[type=submit]").click()
    expect(page).to_have_url(url_path_is(f"/youth/{youth.pk}/"))
    entry = Shortlist.objects.get(youth=youth)
    assert (entry.opening, entry.rank) == (opening, 1)

    page.goto(f"{live_server.url}/matching/")
    axe_check(page)
    page.locator(f"a[href='/matching/shortlist/{entry.pk}/share/']").click()
    expect(page.get_by_test_id("candidate-profile")).to_be_visible()
    axe_check(page)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_path_is("/matching/"))
    share = Share.objects.get(youth=youth, opening=opening, status=Share.Status.ACTIVE)
    logout(page)

    # The employer contact finds the candidate under Kandidaten and would like to meet.
    login(page, live_server, "employer.demo1")
    page.get_by_role("link", name="Kandidaten").first.click()
    expect(page).to_have_url(url_path_is("/portal/candidates/"))
    expect(page.get_by_test_id("candidate-status")).to_have_attribute("data-status", "waiting")
    axe_check(page)
    page.get_by_role("link", name="Yara V.").click()
    expect(page).to_have_url(url_path_is(f"/portal/candidates/{share.token}/"))
    axe_check(page)
    page.locator("input[name=answer][value=interested]").check()
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_path_is("/portal/candidates/"))
    expect(page.get_by_test_id("candidate-status")).to_have_attribute("data-status", "interested")
    axe_check(page)
    logout(page)

    # The youth worker sees the employer on the profile, with the button to plan the intake...
    reminders_dispatch_due(now=timezone.now() + dt.timedelta(seconds=1))
    notification = Notification.objects.get(
        user=jw_rotterdam, reminder__kind="matching.intake_proposed"
    )
    login(page, live_server, "jw.rotterdam1")
    page.goto(f"{live_server.url}/youth/{youth.pk}/")
    interested = page.get_by_test_id("employer-interested")
    expect(interested).to_contain_text("Fietsenmakerij De Kaap")
    expect(interested.get_by_test_id("plan-intake")).to_have_attribute(
        "href", Share.objects.get(pk=share.pk).intake_proposal_url
    )
    expect(page.get_by_test_id("suggestions")).to_have_count(0)  # no openings for youth workers
    axe_check(page)
    # ... and opens the notification: the intake form, filled in but for when and where.
    page.goto(f"{live_server.url}/notifications/")
    axe_check(page)
    page.locator(f"form[action='/notifications/{notification.pk}/'] button").click()
    expect(page).to_have_url(url_path_is("/intake/new/"))
    expect(page.get_by_test_id("intake-proposed")).to_be_visible()
    expect(page.locator("#id_employer_contact")).to_have_value(str(employer_contact1.pk))
    expect(page.locator("#id_opening")).to_have_value(str(opening.pk))
    expect(page.locator("#id_third_party")).to_have_value(str(coord_rotterdam.pk))
    axe_check(page)
    starts = timezone.localdate() + dt.timedelta(days=6)
    page.locator("#id_date").fill(starts.isoformat())
    page.locator("#id_time").fill("10:30")
    page.locator("#id_place").fill(INTAKE_PLACE)
    page.locator("main form button[type=submit]").click()
    meeting = IntakeMeeting.objects.get(youth=youth, opening=opening)
    expect(page).to_have_url(url_path_is(f"/intake/{meeting.pk}/"))
    assert (meeting.employer_contact, meeting.third_party) == (employer_contact1, coord_rotterdam)
    assert Share.objects.get(pk=share.pk).intake == meeting
    logout(page)

    # The portal tells the employer when and where.
    login(page, live_server, "employer.demo1")
    page.goto(f"{live_server.url}/portal/candidates/{share.token}/")
    status = page.get_by_test_id("candidate-status")
    expect(status).to_have_attribute("data-status", "intake_planned")
    expect(status).to_contain_text(INTAKE_PLACE)
    expect(status).to_contain_text("10:30")
    axe_check(page)
    logout(page)

    # The meeting clicked: the coordinator records the placement; its follow-ups are planned.
    login(page, live_server, "coord.rotterdam")
    page.goto(f"{live_server.url}/matching/placements/new/?youth={youth.pk}&opening={opening.pk}")
    expect(page.locator("#id_youth")).to_have_value(str(youth.pk))
    expect(page.locator("#id_opening")).to_have_value(str(opening.pk))
    axe_check(page)
    page.locator("#id_agreement").select_option("employment")
    page.locator("main form button[type=submit]").click()
    placement = Placement.objects.get(youth=youth)
    expect(page).to_have_url(url_path_is(f"/matching/placements/{placement.pk}/"))
    follow_ups = page.get_by_test_id("follow-up")
    expect(follow_ups).to_have_count(4)
    for row, months in enumerate(["Na 1 maand", "Na 3 maanden", "Na 6 maanden", "Na 12 maanden"]):
        expect(follow_ups.nth(row)).to_contain_text(months)
    axe_check(page)
    assert list(placement.follow_ups.values_list("month", flat=True)) == list(FollowUp.MONTHS)
    assert YoungPerson.objects.get(pk=youth.pk).journey == YoungPerson.Journey.PLACED
    logout(page)

    # And the employer sees the young person placed with them.
    login(page, live_server, "employer.demo1")
    page.goto(f"{live_server.url}/portal/candidates/")
    expect(page.get_by_test_id("candidate-status")).to_have_attribute("data-status", "placed")
    axe_check(page)
