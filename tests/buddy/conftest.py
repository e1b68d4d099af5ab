"""A placed young person in Rotterdam with the buddy consent, and a mentor at the employer."""

import datetime as dt

import pytest
from django.utils import timezone

from buddy.factories import MentorFactory, PlacementFactory, give_buddy_consent
from buddy.services import checkin_log, pair_kickoff, pair_propose
from employers.factories import EmployerFactory, OpeningFactory
from restart_platform.accounts.factories import EmployerContactFactory
from youth.factories import YoungPersonFactory


@pytest.fixture
def employer(coord_rotterdam, rotterdam):
    return EmployerFactory(city=rotterdam, owner=coord_rotterdam)


@pytest.fixture
def placement(employer, jw_rotterdam):
    youth = YoungPersonFactory(youth_worker=jw_rotterdam)
    give_buddy_consent(youth)
    return PlacementFactory(youth=youth, opening=OpeningFactory(employer=employer))


@pytest.fixture
def mentor_account(db):
    return EmployerContactFactory(username="mentor.rotterdam")


@pytest.fixture
def mentor(employer, mentor_account):
    return MentorFactory(employer=employer, user=mentor_account)


@pytest.fixture
def proposed(placement, mentor, coord_rotterdam):
    return pair_propose(placement=placement, mentor=mentor, by=coord_rotterdam)


def kick_off(pair, by, *, held_on=None, **fields):
    return pair_kickoff(
        pair=pair,
        by=by,
        held_on=held_on or timezone.localdate() - dt.timedelta(days=7),
        agreements=fields.pop("agreements", "Elke maand een gesprek in de kantine."),
        onboarding_organisation="Rondleiding en wie is wie",
        onboarding_culture="Hoe we met elkaar omgaan",
        onboarding_practical="Bankrekening openen, reiskosten",
        **fields,
    )


@pytest.fixture
def kicked_off(proposed, coord_rotterdam):
    return kick_off(proposed, coord_rotterdam)


def log_checkin(pair, by, **fields):
    fields.setdefault("held_on", timezone.localdate())
    fields.setdefault("work_note", "Leert de heftruck kennen.")
    fields.setdefault("wellbeing_note", "Slaapt slecht door geldzorgen.")
    return checkin_log(pair=pair, by=by, **fields)
