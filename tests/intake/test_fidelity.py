"""The fidelity figures of a set of intakes, counted by the database: held with the third party
present, non-committal yes / no / not recorded, the employer present, barriers mapped or none
found. The dashboard's fidelity table shows exactly these."""

import datetime as dt

import pytest
from django.utils import timezone

from intake.factories import IntakeMeetingFactory, IntakeRecordFactory
from intake.models import IntakeMeeting
from intake.selectors import (
    FidelityCounts,
    fidelity_counts,
    fidelity_record_counts,
    intake_fidelity,
    intakes_visible_to,
)
from youth.factories import BarrierFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

HELD = IntakeMeeting.Status.HELD


def a_meeting(youth, **fields) -> IntakeMeeting:
    past = timezone.now() - dt.timedelta(days=3)
    return IntakeMeetingFactory(youth=youth, starts_at=past, **fields)


def a_held_meeting(youth, *, employer=False, third_party=None, **fields) -> IntakeMeeting:
    return a_meeting(
        youth,
        status=HELD,
        youth_present=True,
        youth_worker_present=True,
        employer_present=employer,
        present_employer_name="Sandra Visser" if employer else "",
        present_employer_role="Teamleider" if employer else "",
        third_party=third_party,
        third_party_present=third_party is not None,
        third_party_authority="coordinator" if third_party else "",
        **fields,
    )


@pytest.fixture
def intakes(jw_rotterdam, coord_rotterdam):
    """Nine intakes of one caseload, each a different mix:

    #  status     employer  third party  record: non-committal  barriers
    1  held       yes       present      yes                    one mapped
    2  held       yes       present      yes                    none found
    3  held       no        present      no                     two mapped
    4  held       yes       -            not recorded           not recorded
    5  held       no        -            no record at all       -
    6  held       yes       -            no                     none found
    7  no-show    -         -            -                      -
    8  cancelled  -         -            -                      -
    9  scheduled  -         -            -                      -
    """
    youth = YoungPersonFactory(youth_worker=jw_rotterdam)
    barriers = BarrierFactory.create_batch(2, youth=youth)
    one = a_held_meeting(youth, employer=True, third_party=coord_rotterdam)
    IntakeRecordFactory(meeting=one, non_committal="yes").barriers.set(barriers[:1])
    two = a_held_meeting(youth, employer=True, third_party=coord_rotterdam)
    IntakeRecordFactory(meeting=two, non_committal="yes", no_barriers_found=True)
    three = a_held_meeting(youth, third_party=coord_rotterdam)
    IntakeRecordFactory(meeting=three, non_committal="no").barriers.set(barriers)
    four = a_held_meeting(youth, employer=True)
    IntakeRecordFactory(meeting=four, non_committal="")
    a_held_meeting(youth)
    six = a_held_meeting(youth, employer=True)
    IntakeRecordFactory(meeting=six, non_committal="no", no_barriers_found=True)
    a_meeting(youth, status=IntakeMeeting.Status.NO_SHOW, absent="employer")
    a_meeting(youth, status=IntakeMeeting.Status.CANCELLED, cancel_reason="Ziek")
    a_meeting(youth)
    return IntakeMeeting.objects.all()


def test_the_fidelity_figures_of_a_set_of_intakes(intakes):
    assert fidelity_counts(intakes) == FidelityCounts(
        intakes=9,
        held=6,
        no_show=1,
        held_third_party_present=3,
        held_employer_present=4,
        non_committal_yes=2,
        non_committal_no=2,
        non_committal_not_recorded=2,
        barriers_mapped=2,
        no_barriers_found=2,
        barriers_not_recorded=2,
    )


def test_the_figures_are_one_query_and_follow_the_set_given(
    intakes, django_assert_num_queries, coord_dordrecht, coord_rotterdam
):
    with django_assert_num_queries(1):
        counts = fidelity_counts(intakes)
    assert counts.held == 6
    assert fidelity_counts(intakes_visible_to(coord_dordrecht)).intakes == 0
    assert fidelity_counts(intakes_visible_to(coord_rotterdam)).held_third_party_present == 3


def test_both_sets_of_figures_in_one_query_are_the_figures_of_each(
    intakes, django_assert_num_queries
):
    expected = (fidelity_counts(intakes), fidelity_record_counts(intakes))
    assert expected[1].with_record == 5
    with django_assert_num_queries(1):
        assert intake_fidelity(intakes) == expected


def test_an_empty_set_counts_zero_everywhere(db):
    counts = fidelity_counts(IntakeMeeting.objects.none())
    assert set(vars(counts).values()) == {0}
