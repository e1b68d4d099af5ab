"""The world of the young-people tests: one young person in jw.rotterdam1's caseload, and the
roles around them that may and may not see that record."""

import pytest

from restart_platform.accounts.factories import YouthWorkerFactory
from youth.factories import (
    ConsentFactory,
    ContactMomentFactory,
    YoungPersonFactory,
    born_years_ago,
)
from youth.models import YoungPerson

ALLOWED = ["admin", "coord_rotterdam", "jw_rotterdam"]
REFUSED = ["jw_rotterdam2", "coord_dordrecht", "employer1"]


@pytest.fixture
def jw_rotterdam2(jw_rotterdam):
    """Another youth worker of the same organisation: a colleague, not this caseload."""
    return YouthWorkerFactory(username="jw.rotterdam2", organisation=jw_rotterdam.organisation)


@pytest.fixture
def people(cast, jw_rotterdam2):
    return {**cast, "jw_rotterdam2": jw_rotterdam2}


@pytest.fixture
def youth(jw_rotterdam, rotterdam):
    return YoungPersonFactory(
        first_name="Sem", last_name="de Boer", youth_worker=jw_rotterdam, city=rotterdam
    )


def many_young_people(count, worker, city):
    """Bulk-created young people for query budgets; the first 20 have a contact and consent."""
    YoungPerson.objects.bulk_create(
        YoungPerson(
            first_name=f"Jongere{i:04d}",
            last_name="Test",
            date_of_birth=born_years_ago(16 + i % 10),
            youth_worker=worker,
            city=city,
            referred_by="rmc",
        )
        for i in range(count)
    )
    for youth in YoungPerson.objects.all()[:20]:
        ContactMomentFactory(youth=youth)
        ConsentFactory(youth=youth)
