import datetime as dt

import pytest

from prep_programme.factories import CohortFactory, standard_programme
from youth.factories import YoungPersonFactory

# Fixed dates: the four-week window of every criterion test ends on MEASURED.
MEASURED = dt.date(2026, 3, 27)  # a Friday


@pytest.fixture
def programme(db):
    return standard_programme()


@pytest.fixture
def cohort(programme, rotterdam, coord_rotterdam):
    cohort = CohortFactory(
        programme=programme,
        city=rotterdam,
        name="Rotterdam voorjaar",
        starts_on=dt.date(2026, 1, 5),
        ends_on=dt.date(2026, 7, 3),
    )
    cohort.coaches.add(coord_rotterdam)
    return cohort


@pytest.fixture
def youth(jw_rotterdam, rotterdam):
    return YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)


def place(youth, *, by, agreement="internship", employer=None):
    """Place the young person through matching (its event reaches the programme)."""
    from django.utils import timezone

    from employers.factories import EmployerFactory, OpeningFactory
    from matching.services import placement_create

    employer = employer or EmployerFactory(city=youth.city)
    return placement_create(
        youth=youth,
        opening=OpeningFactory(employer=employer),
        by=by,
        start_date=timezone.localdate(),
        hours_per_week=24,
        agreement=agreement,
    )
