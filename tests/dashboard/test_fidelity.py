"""The fidelity figures, counted from fixed records: every working element, its "not recorded"
case, and the edges of the period and the city."""

import datetime as dt

import pytest
from django.utils import timezone

from buddy.factories import PairFactory
from buddy.models import CheckIn, Pair
from employers.factories import DemandProfileFactory, EmployerFactory, PartnerFactory
from employers.models import Employer
from intake.factories import IntakeMeetingFactory, IntakeRecordFactory
from intake.models import IntakeMeeting
from prep_programme.factories import CohortFactory, ParticipantFactory, SessionFactory
from prep_programme.models import CoachingTalk, EmployerInvolvement, Session
from restart_platform.accounts.models import City
from restart_platform.dashboard.fidelity import Period, fidelity_table
from restart_platform.dashboard.fidelity_forms import FidelityFilterForm
from youth.factories import BarrierFactory, YoungPersonFactory

pytestmark = pytest.mark.django_db

START, END = dt.date(2026, 1, 1), dt.date(2026, 12, 31)
TODAY = dt.date(2026, 12, 1)
HELD = IntakeMeeting.Status.HELD


def table(*cities, start=START, end=END, today=TODAY) -> dict:
    period = Period(city_ids=tuple(city.pk for city in cities), start=start, end=end, today=today)
    return {element.key: element for element in fidelity_table(period)}


def figures(element) -> tuple[int, int, int | None]:
    return element.count, element.total, element.percentage


def at(day: dt.date, hour: int = 10, minute: int = 0) -> dt.datetime:
    zone = timezone.get_current_timezone()
    return dt.datetime.combine(day, dt.time(hour, minute), tzinfo=zone)


def held(youth, *, on=dt.date(2026, 3, 2), worker=True, third_party=None, **fields):
    return IntakeMeetingFactory(
        youth=youth,
        starts_at=at(on),
        status=HELD,
        youth_present=True,
        youth_worker_present=worker,
        third_party=third_party,
        third_party_present=third_party is not None,
        third_party_authority="coordinator" if third_party else "",
        **fields,
    )


# --- Intake -----------------------------------------------------------------------------------


@pytest.fixture
def intakes(jw_rotterdam, jw_dordrecht, coord_rotterdam):
    """In Rotterdam, in 2026:

    #  attendance          record: expectations      non-committal  motivation  barriers
    1  jw + third party    both sides                yes            words       one mapped
    2  jw                  agreed only               no             rating      none found
    3  young person only   the young person's only   -              -           -
    4  jw                  none                      yes            -           -
    5  none ticked         no record
    6  no-show, 7 scheduled
    and held intakes outside: a day before the period, a day after it, and in Dordrecht.
    """
    youth = YoungPersonFactory(youth_worker=jw_rotterdam)
    barrier = BarrierFactory(youth=youth)
    one = held(youth, on=START, third_party=coord_rotterdam)
    record = IntakeRecordFactory(
        meeting=one,
        youth_expectations="Vast werk",
        employer_expectations="Op tijd komen",
        non_committal="yes",
    )
    record.barriers.set([barrier])
    two = held(youth)
    IntakeRecordFactory(
        meeting=two,
        motivation_words="",
        motivation_rating=3,
        agreed_expectations="Eerst een meeloopdag",
        non_committal="no",
        no_barriers_found=True,
    )
    three = held(youth, worker=False)
    IntakeRecordFactory(
        meeting=three, motivation_words="", motivation_rating=None, youth_expectations="Leren"
    )
    four = held(youth)
    IntakeRecordFactory(
        meeting=four, motivation_words="", motivation_rating=None, non_committal="yes"
    )
    IntakeMeetingFactory(youth=youth, starts_at=at(END, 23, 30), status=HELD)  # 5
    IntakeMeetingFactory(
        youth=youth, starts_at=at(START), status=IntakeMeeting.Status.NO_SHOW, absent="youth"
    )
    IntakeMeetingFactory(youth=youth, starts_at=at(END))
    # Outside: before the period, after it, another city.
    held(youth, on=START - dt.timedelta(days=1))
    held(youth, on=END + dt.timedelta(days=1))
    held(YoungPersonFactory(youth_worker=jw_dordrecht))


def test_the_intake_elements_count_the_held_intakes_of_the_city_and_period(intakes, rotterdam):
    elements = table(rotterdam)
    assert figures(elements["youth_worker_bridge"]) == (3, 4, 75)
    assert figures(elements["third_party_present"]) == (1, 4, 25)
    assert figures(elements["mutual_expectations"]) == (2, 4, 50)
    assert figures(elements["non_committal"]) == (2, 3, 67)
    assert elements["non_committal"].note == "2 gehouden intakes zonder antwoord"
    assert figures(elements["motivation"]) == (2, 4, 50)
    assert figures(elements["barriers"]) == (2, 4, 50)


def test_the_period_edges_are_whole_days(intakes, rotterdam):
    before = START - dt.timedelta(days=1)
    assert table(rotterdam, start=before, end=before)["youth_worker_bridge"].total == 1
    # 31 December: only the held intake without attendance, so nothing recorded.
    last_day = table(rotterdam, start=END, end=END)
    assert last_day["youth_worker_bridge"].total == 0
    assert last_day["youth_worker_bridge"].percentage is None


def test_another_city_sees_only_its_own_intakes(intakes, dordrecht, rotterdam):
    assert figures(table(dordrecht)["youth_worker_bridge"]) == (1, 1, 100)
    assert table(dordrecht)["motivation"].recorded is False
    assert table(rotterdam, dordrecht)["youth_worker_bridge"].total == 5


def test_held_intakes_without_records_are_not_recorded_never_zero(jw_rotterdam, rotterdam):
    youth = YoungPersonFactory(youth_worker=jw_rotterdam)
    held(youth)
    IntakeRecordFactory(meeting=held(youth), motivation_words="", motivation_rating=None)
    elements = table(rotterdam)
    assert figures(elements["youth_worker_bridge"]) == (2, 2, 100)
    # A record exists, but none holds expectations, motivation, barriers or an answer.
    for key in ("mutual_expectations", "non_committal", "motivation", "barriers"):
        assert elements[key].recorded is False, key
        assert elements[key].percentage is None, key


def test_with_no_records_at_all_every_element_is_not_recorded(rotterdam):
    elements = table(rotterdam)
    assert len(elements) == 13
    assert {key for key, element in elements.items() if element.recorded} == set()


# --- Buddy programme ---------------------------------------------------------------------------


def a_pair(jw, *, kickoff=None, closed=None, components=None, proposed=None) -> Pair:
    youth = YoungPersonFactory(youth_worker=jw)
    fields = {"status": Pair.Status.PROPOSED}
    if kickoff:
        fields = {"status": Pair.Status.ACTIVE, "kickoff_on": kickoff}
    if closed:
        fields |= {"status": Pair.Status.CLOSED, "closed_on": closed, "close_reason": "other"}
    return PairFactory(
        placement__youth=youth,
        score_components=components or {},
        proposed_at=at(proposed or START),
        **fields,
    )


def check_in(pair, on, *, skills=True, wellbeing=True) -> CheckIn:
    return CheckIn.objects.create(
        pair=pair,
        held_on=on,
        logged_by=pair.proposed_by,
        work_note="Leert de demontagelijn kennen" if skills else "",
        wellbeing_rating=4 if wellbeing else None,
    )


def test_pairs_count_as_matched_on_the_components_above_the_middle(jw_rotterdam, rotterdam):
    two = {"needs": 0.75, "work_fields": 1.0, "interests": 0.5, "age_gap": 0.2}
    one = {"needs": 0.5, "work_fields": 0.5, "interests": 0.5, "age_gap": 0.9}
    a_pair(jw_rotterdam, components=two)
    a_pair(jw_rotterdam, components=one, proposed=END)
    a_pair(jw_rotterdam)  # no components kept: left out
    a_pair(jw_rotterdam, components=two, proposed=START - dt.timedelta(days=1))
    assert figures(table(rotterdam)["pair_components"]) == (1, 2, 50)


def test_a_pair_without_kept_components_is_not_recorded(jw_rotterdam, rotterdam):
    a_pair(jw_rotterdam)
    assert table(rotterdam)["pair_components"].recorded is False


def test_check_ins_every_six_weeks_on_both_sides(jw_rotterdam, rotterdam):
    # Kicked off in the period, a covering check-in every six weeks or sooner: kept.
    kept = a_pair(jw_rotterdam, kickoff=dt.date(2026, 9, 1))
    check_in(kept, dt.date(2026, 10, 13))  # 42 days after the kick-off
    check_in(kept, dt.date(2026, 11, 24))  # 42 days after that
    # A check-in that covers only the work does not count: behind after 13 October.
    one_sided = a_pair(jw_rotterdam, kickoff=dt.date(2026, 9, 1))
    check_in(one_sided, dt.date(2026, 10, 13))
    check_in(one_sided, dt.date(2026, 11, 20), wellbeing=False)
    # Kicked off long before: a check-in shortly before the period keeps it in rhythm at the
    # start, then a gap of 43 days.
    long_gap = a_pair(jw_rotterdam, kickoff=dt.date(2025, 6, 1))
    for day in (dt.date(2025, 12, 20), dt.date(2026, 1, 31), dt.date(2026, 3, 15)):
        check_in(long_gap, day)
    # Closed within six weeks of the kick-off: never due.
    a_pair(jw_rotterdam, kickoff=dt.date(2026, 5, 1), closed=dt.date(2026, 6, 1))
    # Kicked off less than six weeks before today: not yet due.
    a_pair(jw_rotterdam, kickoff=dt.date(2026, 11, 1))
    # Closed before the period: not due in it.
    a_pair(jw_rotterdam, kickoff=dt.date(2025, 1, 1), closed=dt.date(2025, 12, 1))
    assert figures(table(rotterdam)["checkin_rhythm"]) == (1, 3, 33)


def test_a_pair_kept_in_rhythm_up_to_its_close(jw_rotterdam, rotterdam):
    pair = a_pair(jw_rotterdam, kickoff=dt.date(2026, 2, 1), closed=dt.date(2026, 4, 30))
    check_in(pair, dt.date(2026, 3, 10))
    check_in(pair, dt.date(2026, 4, 20))
    assert figures(table(rotterdam)["checkin_rhythm"]) == (1, 1, 100)
    # Up to a period that ends before the second check-in was due, it was in rhythm too.
    early = table(rotterdam, end=dt.date(2026, 3, 31))
    assert figures(early["checkin_rhythm"]) == (1, 1, 100)


def test_pairs_without_any_check_in_logged_are_not_recorded(jw_rotterdam, rotterdam):
    a_pair(jw_rotterdam, kickoff=dt.date(2026, 2, 1))
    element = table(rotterdam)["checkin_rhythm"]
    assert element.total == 1
    assert element.recorded is False
    assert element.percentage is None


def test_pairs_reaching_twelve_months(jw_rotterdam, rotterdam):
    a_pair(jw_rotterdam, kickoff=dt.date(2025, 1, 1))  # open: reached on 1 January
    a_pair(jw_rotterdam, kickoff=dt.date(2025, 3, 15), closed=dt.date(2026, 3, 15))  # reached
    a_pair(jw_rotterdam, kickoff=dt.date(2025, 3, 16), closed=dt.date(2026, 3, 15))  # a day short
    a_pair(jw_rotterdam, kickoff=dt.date(2025, 12, 2))  # its mark lies after today
    a_pair(jw_rotterdam, kickoff=dt.date(2024, 12, 31))  # its mark lies before the period
    assert figures(table(rotterdam)["pair_twelve_months"]) == (2, 3, 67)


# --- Pre-employment programme -------------------------------------------------------------------


def test_cohorts_with_employer_involvement(rotterdam, dordrecht):
    by_involvement = CohortFactory(starts_on=dt.date(2025, 10, 1), ends_on=START)
    EmployerInvolvement.objects.create(
        cohort=by_involvement, employer=EmployerFactory(), kind=EmployerInvolvement.Kind.VISIT
    )
    by_session = CohortFactory(starts_on=END, ends_on=dt.date(2027, 4, 1))
    SessionFactory(
        cohort=by_session, kind=Session.Kind.EMPLOYER_SESSION, employer=EmployerFactory()
    )
    CohortFactory(starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 7, 1))
    CohortFactory(starts_on=dt.date(2025, 3, 1), ends_on=dt.date(2025, 12, 31))  # before
    CohortFactory(city=dordrecht, starts_on=dt.date(2026, 3, 1), ends_on=dt.date(2026, 7, 1))
    assert figures(table(rotterdam)["cohort_employers"]) == (2, 3, 67)
    assert table(dordrecht)["cohort_employers"].recorded is False


def coaching(participant, on):
    return CoachingTalk.objects.create(
        participant=participant,
        coach=participant.youth.youth_worker,
        held_on=on,
        self_confidence=3,
        agreements="Elke dag om half negen aanwezig",
    )


def test_coaching_at_least_every_two_weeks(jw_rotterdam, rotterdam):
    cohort = CohortFactory(starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 2, 1))
    kept = ParticipantFactory(cohort=cohort, youth=YoungPersonFactory(youth_worker=jw_rotterdam))
    for day in range(1, 29):  # a talk every 14 days from enrolment, up to today
        coaching(kept, dt.date(2026, 9, 1) + dt.timedelta(days=14 * day))
    slipped = ParticipantFactory(cohort=cohort, youth=YoungPersonFactory(youth_worker=jw_rotterdam))
    coaching(slipped, dt.date(2026, 9, 15))
    ParticipantFactory(  # enrolled a week ago: not yet due
        cohort=cohort,
        youth=YoungPersonFactory(youth_worker=jw_rotterdam),
        enrolled_on=TODAY - dt.timedelta(days=7),
    )
    assert figures(table(rotterdam)["coaching_rhythm"]) == (1, 2, 50)


def test_participants_without_coaching_talks_are_not_recorded(jw_rotterdam, rotterdam):
    cohort = CohortFactory(starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 2, 1))
    ParticipantFactory(cohort=cohort, youth=YoungPersonFactory(youth_worker=jw_rotterdam))
    element = table(rotterdam)["coaching_rhythm"]
    assert (element.total, element.recorded) == (1, False)


# --- Employers and the network ------------------------------------------------------------------


def test_employers_taking_part_with_a_demand_profile(rotterdam, dordrecht):
    active, committed = Employer.Stage.ACTIVE, Employer.Stage.COMMITTED
    DemandProfileFactory(employer=EmployerFactory(stage=active))
    DemandProfileFactory(  # a profile row that names nothing does not count
        employer=EmployerFactory(stage=committed),
        roles="",
        openings_12_months=None,
        openings_24_months=None,
        expected_retirements=None,
    )
    EmployerFactory(stage=active)
    DemandProfileFactory(employer=EmployerFactory(stage=Employer.Stage.LEAD))  # not taking part
    DemandProfileFactory(employer=EmployerFactory(stage=active, city=dordrecht))
    assert figures(table(rotterdam)["demand_profile"]) == (1, 3, 33)
    assert figures(table(dordrecht)["demand_profile"]) == (1, 1, 100)


def test_one_lead_partner_per_city(rotterdam, dordrecht):
    assert table(rotterdam, dordrecht)["lead_partner"].recorded is False
    PartnerFactory(city=rotterdam, is_lead=True)
    PartnerFactory(city=rotterdam)
    PartnerFactory(city=dordrecht)
    assert figures(table(rotterdam, dordrecht)["lead_partner"]) == (1, 2, 50)
    assert figures(table(dordrecht)["lead_partner"]) == (0, 1, 0)


# --- Every city ---------------------------------------------------------------------------------


def test_every_city_counts_what_naming_all_the_cities_counts(
    intakes, jw_rotterdam, jw_dordrecht, rotterdam, dordrecht
):
    """An admin who chose no city gets the figures without a city filter: the same figures as
    naming every city, for every element."""
    for jw, city in ((jw_rotterdam, rotterdam), (jw_dordrecht, dordrecht)):
        pair = a_pair(jw, kickoff=dt.date(2026, 2, 2), components={"skills": 0.9})
        check_in(pair, dt.date(2026, 3, 1))
        cohort = CohortFactory(
            city=city, starts_on=dt.date(2026, 9, 1), ends_on=dt.date(2027, 2, 1)
        )
        coaching(
            ParticipantFactory(cohort=cohort, youth=YoungPersonFactory(youth_worker=jw)), TODAY
        )
        DemandProfileFactory(employer=EmployerFactory(stage=Employer.Stage.ACTIVE, city=city))
        PartnerFactory(city=city, is_lead=city == rotterdam)

    def shown(period):
        return [(e.key, e.count, e.total, e.recorded) for e in fidelity_table(period)]

    named = Period(
        city_ids=tuple(City.objects.values_list("pk", flat=True)), start=START, end=END, today=TODAY
    )
    every = Period(city_ids=(), start=START, end=END, today=TODAY, every_city=True)
    assert shown(every) == shown(named)
    assert shown(every) != shown(
        Period(city_ids=(rotterdam.pk,), start=START, end=END, today=TODAY)
    )


def test_only_an_admin_without_a_chosen_city_asks_for_every_city(admin, coord_rotterdam, rotterdam):
    def every_city(user, data):
        form = FidelityFilterForm(data, user=user, today=TODAY)
        assert form.is_valid(), form.errors
        return form.every_city()

    assert every_city(admin, {}) is True
    assert every_city(admin, {"city": rotterdam.pk}) is False
    assert every_city(coord_rotterdam, {}) is False
