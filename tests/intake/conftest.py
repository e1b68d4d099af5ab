"""The world of an intake: a Rotterdam young person in jw.rotterdam1's caseload, an employer with
a portal account (employer.demo1) and an open opening, and the Rotterdam coordinator as the
third party with authority."""

import datetime as dt

import pytest
from django.utils import timezone

from intake import services
from restart_platform.accounts.factories import YouthWorkerFactory
from tests.employers.factories import ContactFactory, EmployerFactory, OpeningFactory
from youth.factories import YoungPersonFactory

# Names that cannot turn up by chance in a calendar file or an e-mail.
YOUTH_FIRST_NAME, YOUTH_LAST_NAME = "Zoraida", "Quackenbosch"


@pytest.fixture
def youth(jw_rotterdam):
    return YoungPersonFactory(
        first_name=YOUTH_FIRST_NAME, last_name=YOUTH_LAST_NAME, youth_worker=jw_rotterdam
    )


@pytest.fixture
def employer(rotterdam, coord_rotterdam):
    return EmployerFactory(name="Kringloop Maasstad", city=rotterdam, owner=coord_rotterdam)


@pytest.fixture
def employer_account(employer, employer_contact1):
    """employer.demo1, linked to the employer as its portal user."""
    ContactFactory(employer=employer, user=employer_contact1)
    return employer_contact1


@pytest.fixture
def opening(employer):
    return OpeningFactory(employer=employer, title="Medewerker demontage")


@pytest.fixture
def jw_rotterdam2(jw_rotterdam):
    return YouthWorkerFactory(username="jw.rotterdam2", organisation=jw_rotterdam.organisation)


def next_week(hour: int = 14) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def meeting(youth, jw_rotterdam, employer_account, opening, coord_rotterdam):
    """An intake next week; its invitations are planned, not yet sent."""
    return services.intake_schedule(
        youth=youth,
        by=jw_rotterdam,
        starts_at=next_week(),
        place="Jongerencentrum De Kiem, Kruiskade 10",
        employer_contact=employer_account,
        opening=opening,
        third_party=coord_rotterdam,
    )
