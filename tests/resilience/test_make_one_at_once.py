"""Twenty people press the same "make one" button at the same moment: exactly one is made.

Each action that makes a record of which there may be only one (a share of a young person for
an opening, an active placement, an open buddy pair, an active enrolment, an unfinished
assignment proposal per city) is posted twenty times at once, on PostgreSQL; the database's
constraint keeps one, and the nineteen others get an answer, never a server error.
"""

import datetime as dt
from unittest import mock

import pytest
from django import forms
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from buddy.factories import MentorFactory, PlacementFactory, give_buddy_consent
from buddy.models import Pair
from employers.factories import EmployerFactory, OpeningFactory
from matching import tasks
from matching.models import Placement, Proposal, Share, Shortlist
from prep_programme.factories import CohortFactory, standard_programme
from prep_programme.models import Participant
from restart_platform.accounts.factories import EmployerContactFactory
from tests.concurrency import post_at_once
from youth.factories import ConsentFactory, YoungPersonFactory
from youth.models import Consent

TIMES = 20


def _youth(cast, rotterdam):
    return YoungPersonFactory(youth_worker=cast["jw_rotterdam"], city=rotterdam)


def _opening(cast, rotterdam):
    return OpeningFactory(employer=EmployerFactory(city=rotterdam, owner=cast["coord_rotterdam"]))


def share(cast, rotterdam):
    youth, opening = _youth(cast, rotterdam), _opening(cast, rotterdam)
    ConsentFactory(youth=youth, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS)
    entry = Shortlist.objects.create(
        youth=youth, opening=opening, score=50, created_by=cast["coord_rotterdam"]
    )
    url = reverse("matching:share_create", args=[entry.pk])
    return url, {}, Share.objects.filter(youth=youth, opening=opening)


def placement(cast, rotterdam):
    youth, opening = _youth(cast, rotterdam), _opening(cast, rotterdam)
    data = {
        "youth": youth.pk,
        "opening": opening.pk,
        "start_date": max(opening.start_date, timezone.localdate()).isoformat(),
        "hours_per_week": 24,
        "agreement": Placement.Agreement.EMPLOYMENT,
    }
    return reverse("matching:placement_create"), data, Placement.objects.filter(youth=youth)


def pair(cast, rotterdam):
    youth = _youth(cast, rotterdam)
    give_buddy_consent(youth)
    opening = _opening(cast, rotterdam)
    placed = PlacementFactory(youth=youth, opening=opening)
    mentor = MentorFactory(employer=opening.employer, user=EmployerContactFactory())
    url = reverse("buddy:pair_propose", args=[placed.pk])
    return url, {"mentor": mentor.pk}, Pair.objects.filter(youth=youth)


def enrolment(cast, rotterdam):
    youth = _youth(cast, rotterdam)
    today = timezone.localdate()
    cohort = CohortFactory(
        programme=standard_programme(),
        city=rotterdam,
        starts_on=today - dt.timedelta(days=7),
        ends_on=today + dt.timedelta(days=60),
    )
    url = reverse("prep_programme:participant_enrol", args=[youth.pk])
    data = {"cohort": cohort.pk, "school_arrangement": ""}
    return url, data, Participant.objects.filter(youth=youth)


def proposal(cast, rotterdam):
    data = {"city": rotterdam.pk}
    return reverse("matching:proposal_create"), data, Proposal.objects.filter(city=rotterdam)


def told(response) -> bool:
    """The person sees what happened: a message, the form with its errors, or the page's
    list of errors (the share page's)."""
    if list(get_messages(response.wsgi_request)):
        return True
    values = [
        (name, value)
        for context in response.context or []
        for name, value in context.flatten().items()
    ]
    return any(
        (isinstance(value, forms.BaseForm) and value.errors) or (name == "errors" and value)
        for name, value in values
    )


ACTIONS = {
    "share": share,
    "placement": placement,
    "pair": pair,
    "enrolment": enrolment,
    "proposal": proposal,
}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("action", sorted(ACTIONS))
def test_twenty_at_once_make_exactly_one(action, cast, rotterdam, figures):
    url, data, made = ACTIONS[action](cast, rotterdam)
    assert not made.exists()
    with mock.patch.object(tasks.run_proposal, "delay"):  # the proposal's worker: not here
        responses = post_at_once(cast["coord_rotterdam"], url, data, times=TIMES)
    statuses = sorted(response.status_code for response in responses)
    server_errors = sum(status >= 500 for status in statuses)
    untold = sum(not told(response) for response in responses)

    figures.add("requests", len(responses))
    figures.add("rows made", made.count())
    figures.add("5xx", server_errors)
    figures.add("answers without a message", untold)
    assert len(responses) == TIMES
    assert server_errors == 0, statuses
    assert made.count() == 1
    assert set(statuses) <= {200, 302}, statuses
    assert 302 in statuses  # someone's request made it
    assert untold == 0
