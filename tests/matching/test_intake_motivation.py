"""Matching shows the motivation and the "click" of the latest intake beside a score, on the
shortlist, on an opening's suggestions and above a profile's, without weighing them in it."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from intake.factories import IntakeMeetingFactory, IntakeRecordFactory
from intake.models import IntakeMeeting
from matching import services
from matching.selectors import suggestions_for_opening

from .conftest import fitting_youth, make_opening

HOME = reverse("matching:matching_home")

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(cities, sectors, jw_rotterdam):
    """A Rotterdam young person and the opening that fits them."""
    youth = fitting_youth(jw_rotterdam, cities["rotterdam"])
    best = make_opening(cities["rotterdam"], sectors["recycling"], required=["tools", "safety"])
    return {"youth": youth, "best": best}


def an_intake(youth, *, days_ago: int, rating: int, youth_click: str, employer_click: str, **kw):
    meeting = IntakeMeetingFactory(
        youth=youth, starts_at=timezone.now() - dt.timedelta(days=days_ago), **kw
    )
    return IntakeRecordFactory(
        meeting=meeting,
        motivation_rating=rating,
        youth_click=youth_click,
        employer_click=employer_click,
    )


def test_the_shortlist_shows_the_latest_intakes_motivation_and_click(
    world, client_for, coord_rotterdam
):
    services.shortlist_add(youth=world["youth"], opening=world["best"], by=coord_rotterdam)
    an_intake(world["youth"], days_ago=30, rating=2, youth_click="no", employer_click="no")
    an_intake(world["youth"], days_ago=5, rating=5, youth_click="yes", employer_click="unsure")
    an_intake(  # a cancelled meeting says nothing about motivation
        world["youth"],
        days_ago=1,
        rating=1,
        youth_click="no",
        employer_click="no",
        status=IntakeMeeting.Status.CANCELLED,
        cancel_reason="Ziek",
    )
    html = client_for(coord_rotterdam).get(HOME).content.decode()
    assert "motivatie 5 van 5" in html
    assert "klik, jongere: ja" in html
    assert "werkgever: nog niet zeker" in html


def test_an_openings_suggestions_show_motivation_and_the_score_stays_the_same(
    world, client_for, coord_rotterdam
):
    before = {s.match.pk: s.score for s in suggestions_for_opening(coord_rotterdam, world["best"])}
    an_intake(world["youth"], days_ago=5, rating=1, youth_click="no", employer_click="no")
    after = suggestions_for_opening(coord_rotterdam, world["best"])
    assert {s.match.pk: s.score for s in after} == before
    assert after[0].match.intake_motivation == 1
    # The suggestions are matching's panel on the opening page.
    page = client_for(coord_rotterdam).get(
        reverse("matching:opening_detail_panel", args=[world["best"].pk])
    )
    assert "motivatie 1 van 5" in page.content.decode()


def test_without_an_intake_the_shortlist_says_so(world, client_for, coord_rotterdam):
    services.shortlist_add(youth=world["youth"], opening=world["best"], by=coord_rotterdam)
    html = client_for(coord_rotterdam).get(HOME).content.decode()
    assert "Nog geen intake vastgelegd." in html


def test_the_profiles_suggestions_show_the_young_persons_latest_motivation_once(
    world, client_for, coord_rotterdam
):
    an_intake(world["youth"], days_ago=3, rating=4, youth_click="yes", employer_click="yes")
    response = client_for(coord_rotterdam).get(
        reverse("matching:youth_detail_panel", args=[world["youth"].pk])
    )
    html = response.content.decode()
    assert [s.match for s in response.context["suggestions"]] == [world["best"]]
    assert html.count("motivatie 4 van 5") == 1
    assert "klik, jongere: ja" in html
