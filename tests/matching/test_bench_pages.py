"""The page benchmark: its world holds every kind of record the pages list, and the command
reports every page from a database of its own, leaving the configured one as it was."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from buddy.models import CheckIn, Pair
from matching.models import FollowUp, Placement, Share
from prep_programme.models import Attendance, Participant
from restart_platform.accounts.models import User
from tests.perf.bench_pages import PAGES, SECTIONS, Command
from tests.perf.matching_world import build_world
from tests.perf.pages_world import extend_world

pytestmark = pytest.mark.django_db


def test_the_world_holds_what_every_page_lists(cities, sectors):
    base = build_world(youth=80, openings=30, places=36, seed=3)
    world = extend_world(
        base, seed=3, intakes=150, shares=40, placements=30, pairs=12, participants=20
    )

    assert Placement.objects.count() == world.counts["placements"] == 30
    assert Share.objects.count() == world.counts["shares"] > 0
    assert FollowUp.objects.filter(still_there=False).exclude(reason="").exists()
    assert Pair.objects.count() == 12
    # One open pair per young person, each at the employer of its placement.
    for pair in Pair.objects.select_related("mentor", "placement__opening"):
        assert pair.mentor.employer_id == pair.placement.opening.employer_id
    assert CheckIn.objects.exists()
    assert Participant.objects.count() == 20
    assert Attendance.objects.count() == world.counts["attendance rows"]


def test_the_benchmark_refuses_too_few_runs():
    with pytest.raises(CommandError, match="--runs"):
        call_command(Command(), runs=2, stdout=io.StringIO())


@pytest.mark.slow
def test_the_benchmark_reports_every_page_from_a_database_of_its_own(admin):
    configured = settings.DATABASES["default"]["NAME"]
    users = User.objects.count()
    out = io.StringIO()

    call_command(
        Command(),
        youth=60,
        openings=20,
        intakes=120,
        shares=20,
        placements=20,
        pairs=8,
        participants=12,
        runs=5,
        stdout=out,
    )

    report = out.getvalue()
    starts = [report.index(f"\n{title}\n{'-' * len(title)}\n") for title in SECTIONS]
    assert starts == sorted(starts)
    for page in PAGES:
        # Every page is measured for both roles, or said to be missing from this version.
        row = re.compile(rf"^  {re.escape(page.label)} +(admin|coordinator) +\d+ ms", re.M)
        missing = f"  {page.label} " in report and "not in this version" in report
        assert len(row.findall(report)) == 2 or missing, page.label
    assert re.search(r"^  (met    |NOT met)  young people \(admin\): [\d.]+x faster", report, re.M)
    assert re.search(r"^\s+\d+ met, \d+ not met$", report, re.M)
    private = re.search(r"^Dropped the private database (.+)\.$", report, re.MULTILINE)[1]
    assert private != configured
    assert settings.DATABASES["default"]["NAME"] == connection.settings_dict["NAME"] == configured
    assert User.objects.count() == users
