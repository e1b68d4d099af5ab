"""The nightly retention task anonymises exactly the young people who left more than
RETENTION_MONTHS months ago: someone who left on the limit day itself is kept one more day."""

import datetime as dt
import logging
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.test import override_settings

from restart_platform.notifications.models import Reminder
from youth.factories import YoungPersonFactory
from youth.models import YoungPerson
from youth.services import RETENTION_KIND, youth_apply_retention
from youth.tasks import apply_retention

pytestmark = pytest.mark.django_db

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
TODAY = dt.date(2026, 3, 15)


def left_on(day: dt.date, **fields) -> YoungPerson:
    return YoungPersonFactory(
        journey=YoungPerson.Journey.LEFT,
        left_reason="werk gevonden",
        journey_changed_at=dt.datetime.combine(day, dt.time(23, 30), tzinfo=AMSTERDAM),
        registered_on=dt.date(2023, 1, 1),
        **fields,
    )


@pytest.fixture
def cohort(rotterdam, jw_rotterdam):
    common = {"city": rotterdam, "youth_worker": jw_rotterdam}
    return {
        # 24 months before 15 March 2026 is 15 March 2024.
        "long_gone": left_on(dt.date(2023, 6, 1), **common),
        "day_before_limit": left_on(dt.date(2024, 3, 14), **common),
        "on_the_limit": left_on(dt.date(2024, 3, 15), **common),
        "recently_left": left_on(dt.date(2025, 12, 1), **common),
        "still_here": YoungPersonFactory(
            journey=YoungPerson.Journey.PLACED,
            journey_changed_at=dt.datetime(2023, 1, 1, tzinfo=AMSTERDAM),
            registered_on=dt.date(2023, 1, 1),
            **common,
        ),
    }


def erased(cohort) -> set[str]:
    return {
        name
        for name, youth in cohort.items()
        if YoungPerson.objects.get(pk=youth.pk).erased_at is not None
    }


@time_machine.travel(dt.datetime(2026, 3, 15, 4, 0, tzinfo=AMSTERDAM), tick=False)
def test_exactly_the_young_people_past_the_limit_are_anonymised(cohort, admin, caplog):
    with caplog.at_level(logging.INFO, logger="youth.services"):
        references = youth_apply_retention(today=TODAY)
    assert erased(cohort) == {"long_gone", "day_before_limit"}
    assert sorted(references) == sorted(
        cohort[name].case_reference for name in ("long_gone", "day_before_limit")
    )
    assert "2 young people anonymised" in caplog.text
    # The admins hear of it, once per day.
    assert Reminder.objects.filter(kind=RETENTION_KIND, recipient=admin).count() == 1
    youth_apply_retention(today=TODAY)
    assert Reminder.objects.filter(kind=RETENTION_KIND).count() == 1


@time_machine.travel(dt.datetime(2026, 3, 16, 4, 0, tzinfo=AMSTERDAM), tick=False)
def test_the_limit_day_goes_the_day_after(cohort):
    youth_apply_retention(today=dt.date(2026, 3, 16))
    assert erased(cohort) == {"long_gone", "day_before_limit", "on_the_limit"}


@override_settings(RETENTION_MONTHS=3)
@time_machine.travel(dt.datetime(2026, 3, 15, 4, 0, tzinfo=AMSTERDAM), tick=False)
def test_the_number_of_months_is_a_setting(cohort):
    youth_apply_retention(today=TODAY)
    assert erased(cohort) == {"long_gone", "day_before_limit", "on_the_limit", "recently_left"}


@time_machine.travel(dt.datetime(2026, 3, 15, 4, 0, tzinfo=AMSTERDAM), tick=False)
def test_a_dry_run_changes_nothing_and_says_who(cohort):
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    assert erased(cohort) == set()
    assert "2 young people would be anonymised" in out.getvalue()
    assert cohort["long_gone"].case_reference in out.getvalue()
    assert not Reminder.objects.filter(kind=RETENTION_KIND).exists()


@time_machine.travel(dt.datetime(2026, 3, 15, 4, 0, tzinfo=AMSTERDAM), tick=False)
def test_the_command_and_the_nightly_task_anonymise(cohort):
    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "2 young people anonymised" in out.getvalue()
    assert apply_retention() == 0  # nothing left to do the same night
    assert erased(cohort) == {"long_gone", "day_before_limit"}


def test_the_nightly_task_is_scheduled():
    from django_celery_beat.models import PeriodicTask

    assert PeriodicTask.objects.filter(task="youth.tasks.apply_retention", enabled=True).exists()
