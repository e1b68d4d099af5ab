"""The buddy programme's "done when": a coordinator opens a placed young person, sees explained
buddy suggestions, proposes a pair and records the kick-off with its onboarding plan; then the
mentor logs a check-in from the portal on a phone. Every page passes axe."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from buddy.factories import MentorFactory, PlacementFactory, give_buddy_consent
from buddy.models import BuddyProfile, CheckIn, Pair
from employers.factories import EmployerFactory, OpeningFactory
from employers.models import Contact
from restart_platform.taxonomy.models import PersonalInterest
from youth.factories import YoungPersonFactory

from .helpers import url_path_is

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def buddy_world(rotterdam, coord_rotterdam, jw_rotterdam, employer_contact1):
    """Amira, placed at a warehouse, with the buddy consent; two mentors there, one of them with
    the portal account of the employer's contact person."""
    employer = EmployerFactory(city=rotterdam, owner=coord_rotterdam, name="Havenloods Waalhaven")
    youth = YoungPersonFactory(
        youth_worker=jw_rotterdam,
        city=rotterdam,
        first_name="Amira",
        last_name="Verzonnen",
        date_of_birth=timezone.localdate() - dt.timedelta(days=365 * 19 + 30),
    )
    give_buddy_consent(youth)
    placement = PlacementFactory(youth=youth, opening=OpeningFactory(employer=employer))
    music, cooking = (PersonalInterest.objects.get(slug=slug) for slug in ("music", "cooking"))
    profile = BuddyProfile.objects.create(youth=youth, help_needed=["practical"])
    profile.personal_interests.set([music, cooking])
    Contact.objects.create(
        employer=employer,
        name=employer_contact1.get_full_name(),
        job_title="Teamleider",
        email=employer_contact1.email,
        user=employer_contact1,
    )
    this_year = timezone.localdate().year
    mentor = MentorFactory(
        employer=employer,
        user=employer_contact1,
        name="Sanne Bakker",
        birth_year=this_year - 34,
        help_with=["practical", "network"],
    )
    mentor.personal_interests.set([music, cooking])
    other = MentorFactory(employer=employer, name="Kees de Wit", birth_year=this_year - 58)
    return {"youth": youth, "placement": placement, "mentor": mentor, "other": other}


def test_a_coordinator_pairs_a_buddy_and_the_mentor_logs_a_check_in_from_a_phone(
    live_server, buddy_world, page, login, axe_check
):
    youth, mentor = buddy_world["youth"], buddy_world["mentor"]
    login(page, live_server, "coord.rotterdam")

    # The profile's buddy panel loads after the page and offers a proposal.
    page.goto(f"{live_server.url}/youth/{youth.pk}/")
    panel = page.get_by_test_id("buddy-youth-panel")
    expect(panel).to_contain_text("Nog geen buddy.")
    axe_check(page)
    panel.get_by_role("link", name="Buddy voorstellen").click()

    # Explained suggestions: the mentor who shares her interests and is about 15 years older
    # comes first, each component with a Dutch sentence.
    suggestions = page.get_by_test_id("buddy-suggestion")
    expect(suggestions).to_have_count(2)
    first = suggestions.first
    expect(first).to_contain_text("Sanne Bakker")
    expect(first).to_contain_text("Leeftijdsverschil rond 15 jaar")
    expect(first).to_contain_text("Gedeelde persoonlijke interesses")
    axe_check(page)
    first.get_by_role("button", name="Sanne Bakker voorstellen").click()
    pair = Pair.objects.get()
    expect(page).to_have_url(url_path_is(f"/buddy/pairs/{pair.pk}/"))
    assert (pair.mentor, pair.status) == (mentor, Pair.Status.PROPOSED)
    axe_check(page)

    # The kick-off, with its onboarding plan.
    page.get_by_role("link", name="Startgesprek vastleggen").click()
    axe_check(page)
    form = page.get_by_test_id("kickoff-form")
    form.locator("#id_agreements").fill("Elke vier weken koffie in de kantine.")
    form.locator("#id_onboarding_organisation").fill("Rondleiding langs alle afdelingen")
    form.locator("#id_onboarding_culture").fill("Samen pauze houden")
    form.locator("#id_onboarding_practical").fill("Bankrekening openen")
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(url_path_is(f"/buddy/pairs/{pair.pk}/"))
    expect(page.get_by_test_id("pair-facts")).to_contain_text("Bankrekening openen")
    axe_check(page)
    pair.refresh_from_db()
    assert pair.status == Pair.Status.KICKED_OFF
    page.context.clear_cookies()

    # The mentor, on a phone: their pairs, then the check-in form without sideways scrolling
    # and with ratings large enough to tap.
    page.set_viewport_size(PHONE)
    login(page, live_server, "employer.demo1")
    page.goto(f"{live_server.url}/buddy/mine/")
    expect(page.get_by_test_id("pair")).to_have_count(1)
    assert_fits_the_phone(page)
    axe_check(page)
    page.get_by_role("link", name="Buddygesprek vastleggen").click()
    form = page.get_by_test_id("checkin-form")
    expect(form).to_be_visible()
    assert_fits_the_phone(page)
    axe_check(page)
    form.locator("#id_work_note").fill("Rijdt nu zelf op de heftruck.")
    tap_rating(form, "work_rating", 4)
    form.locator("#id_wellbeing_note").fill("Slaapt beter sinds de schulden geregeld zijn.")
    tap_rating(form, "wellbeing_rating", 3)
    tap_rating(form, "trust_mentor", 4)
    tap_rating(form, "trust_youth", 5)
    tap_rating(form, "job_satisfaction", 4)
    form.get_by_role("button", name="Buddygesprek opslaan").click()
    expect(page).to_have_url(url_path_is("/buddy/mine/"))
    expect(page.get_by_role("alert").or_(page.locator(".alert-success")).first).to_be_visible()
    assert_fits_the_phone(page)
    axe_check(page)
    checkin = CheckIn.objects.get()
    assert (checkin.work_rating, checkin.wellbeing_rating, checkin.trust_youth) == (4, 3, 5)
    assert checkin.covers_skills_and_wellbeing
    pair.refresh_from_db()
    assert pair.status == Pair.Status.ACTIVE


def assert_fits_the_phone(page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} scrolls sideways: {width} px wide"


def tap_rating(form, name: str, value: int) -> None:
    """Tap the rating like a thumb would: the target is at least 44 by 44 CSS pixels (WCAG 2.5.5)."""
    target = form.locator(f"label[for=id_{name}_{value}]")
    box = target.bounding_box()
    assert box["width"] >= 44, f"{name} {value} is {box['width']} px wide"
    assert box["height"] >= 44, f"{name} {value} is {box['height']} px high"
    target.click()
    expect(form.locator(f"input[name={name}][value='{value}']")).to_be_checked()
