"""The demo world has a buddy programme in use: mentors at the demo employers, pairs at every
stage, check-ins on both sides with trust over time, a concern, and employer.demo1 as a mentor
who sees their own pairs in the portal."""

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from buddy import demo as buddy_demo
from buddy.models import TARGET_MONTHS, CheckIn, Concern, Mentor, Pair
from employers.models import Contact
from restart_platform.accounts.models import User
from youth.models import Consent

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_buddy_programme_in_use_and_a_second_seed_duplicates_nothing():
    # One seed for all the checks below: the whole demo takes a while to build.
    call_command("seed_demo")
    check_mentors()
    check_the_demo_mentor_account()
    check_pairs()
    check_checkins()
    check_concern()
    before = [model.objects.count() for model in (Mentor, Pair, CheckIn, Concern)]
    buddy_demo.seed()
    assert [model.objects.count() for model in (Mentor, Pair, CheckIn, Concern)] == before


def check_mentors():
    mentors = Mentor.objects.select_related("employer").prefetch_related(
        "skills", "work_fields", "personal_interests"
    )
    assert mentors.count() >= 10
    this_year = timezone.localdate().year
    for mentor in mentors:
        assert mentor.employer.name.endswith("(demo)"), mentor
        assert mentor.email.endswith("@example.org"), mentor
        assert mentor.personal_interests.all(), mentor
        assert mentor.skills.all(), mentor
        assert mentor.work_fields.all(), mentor
        assert 30 <= this_year - mentor.birth_year <= 55, mentor
        assert 1 <= mentor.capacity <= 5, mentor
        assert mentor.trained_on, mentor
        assert mentor.volunteered_on, mentor


def check_the_demo_mentor_account():
    account = User.objects.get(username="employer.demo1")
    mentor = Mentor.objects.get(user=account)
    assert Contact.objects.filter(user=account, employer=mentor.employer).exists()
    client = Client()
    client.force_login(account)
    response = client.get(reverse("buddy:mentor_home"))
    assert response.status_code == 200
    shown = {pair.pk for pair in response.context["pairs"]}
    assert shown == set(mentor.pairs.values_list("pk", flat=True))
    assert len(shown) >= 2
    # One of them waits for its first check-in, logged from the portal.
    assert mentor.pairs.filter(status=Pair.Status.KICKED_OFF).exists()


def check_pairs():
    pairs = list(Pair.objects.all())
    assert {pair.status for pair in pairs} == set(Pair.Status.values)
    today = timezone.localdate()
    past_a_year = [pair for pair in pairs if pair.months_running(today) >= TARGET_MONTHS]
    assert any(pair.is_open for pair in past_a_year)
    assert any(pair.close_reason == Pair.CloseReason.COMPLETED for pair in past_a_year)
    early = [
        pair
        for pair in pairs
        if pair.status == Pair.Status.CLOSED and pair.months_running() < TARGET_MONTHS
    ]
    assert len(early) >= 2
    assert all(pair.close_reason and pair.closing_conversation for pair in early)
    assert {pair.close_reason for pair in early} >= {
        Pair.CloseReason.MISMATCH,
        Pair.CloseReason.YOUTH_LEFT_JOB,
    }
    # Every pair rests on the young person's buddy consent and keeps its explained score.
    for pair in pairs:
        assert Consent.objects.filter(
            youth=pair.youth, purpose=Consent.Purpose.BUDDY_CONTACT
        ).exists(), pair
        assert set(pair.score_components) == {"needs", "work_fields", "interests", "age_gap"}


def check_checkins():
    checkins = CheckIn.objects.all()
    assert checkins.count() >= 20
    both = [checkin for checkin in checkins if checkin.covers_skills_and_wellbeing]
    assert 0 < len(both) < checkins.count()  # most do both; a few only the work
    longest = max(Pair.objects.all(), key=lambda pair: pair.checkins.count())
    trust = list(longest.checkins.order_by("held_on").values_list("trust_mentor", flat=True))
    assert trust[-1] > trust[0]
    assert all(checkin.held_on <= timezone.localdate() for checkin in checkins)
    for checkin in checkins.select_related("pair"):
        assert checkin.held_on >= checkin.pair.kickoff_on, checkin
        if checkin.pair.closed_on:
            assert checkin.held_on <= checkin.pair.closed_on, checkin


def check_concern():
    concern = Concern.objects.get()
    assert concern.pair.is_open
    assert concern.raised_by == concern.pair.mentor.user
