"""`make load` end to end at a tiny size: `make run`'s stack on a private database, every kind of
user at work through the real forms, no server error, everything stopped and dropped after."""

import io
import re

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from restart_platform.accounts.models import User
from tests.perf.load import SECTIONS, Command

pytestmark = pytest.mark.django_db


def test_the_load_test_refuses_an_unbounded_run():
    with pytest.raises(CommandError, match="--duration"):
        call_command(Command(), duration=0, stdout=io.StringIO())


@pytest.mark.slow
def test_every_kind_of_user_works_without_a_server_error():
    configured = settings.DATABASES["default"]["NAME"]
    users = User.objects.count()
    out = io.StringIO()

    call_command(Command(), size=0.01, users=6, spawn_rate=6, duration=15, wait=[1, 2], stdout=out)

    report = out.getvalue()
    starts = [report.index(f"\n{title}\n{'-' * len(title)}\n") for title in SECTIONS]
    assert starts == sorted(starts)
    kinds = re.search(
        r"^  by kind +coordinators ([\d,]+), youth workers ([\d,]+), employers ([\d,]+) requests$",
        report,
        re.M,
    )
    assert kinds, report
    assert all(int(count.replace(",", "")) > 0 for count in kinds.groups()), report
    assert re.search(r"of which server errors \(5xx\) 0$", report, re.M), report
    assert re.search(r"^  GET /youth/<id>/ +\d+ +\d+ ms", report, re.M), report
    assert re.search(r"^  overall: (met|NOT met)$", report, re.M), report
    private = re.search(r"^Dropped the private database (.+)\.$", report, re.M)[1]
    assert private != configured
    assert settings.DATABASES["default"]["NAME"] == connection.settings_dict["NAME"] == configured
    assert User.objects.count() == users
