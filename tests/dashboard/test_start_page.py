"""The start page per role: the coordinator's work queue, the youth worker's caseload alerts and
week, the employer contact's open questions; every figure scoped like the list it links to, and
a fixed number of queries whatever the data size."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from buddy.factories import MentorFactory, PairFactory, PlacementFactory
from buddy.models import CheckIn, Concern, Pair
from employers.factories import ContactFactory, EmployerFactory, OpeningFactory
from intake.factories import IntakeMeetingFactory
from matching.models import FollowUp, Placement, Share
from prep_programme.factories import CohortFactory, ParticipantFactory, SessionFactory
from prep_programme.models import Attendance, CoachingTalk
from restart_platform.notifications.models import Reminder
from youth.factories import ConsentFactory, ContactMomentFactory, YoungPersonFactory
from youth.models import Consent

pytestmark = pytest.mark.django_db

# A Wednesday noon: "this week" runs from Monday 9 to Sunday 15 March.
NOW = dt.datetime(2026, 3, 11, 12, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 3, 11)

COORDINATOR_SECTIONS = [
    "next_actions",
    "intakes",
    "shares",
    "follow_ups",
    "pairs",
    "participants",
    "failed_reminders",
]
YOUTH_WORKER_SECTIONS = ["caseload", "week_intakes", "week_sessions"]
EMPLOYER_SECTIONS = ["questions", "candidates", "checkins"]


@pytest.fixture(autouse=True)
def _wednesday():
    with time_machine.travel(NOW, tick=False):
        yield


def build_city(city, *, coordinator, youth_worker, contact_user, n: int, prefix: str) -> dict:
    """`n` of every item the start pages count, all in `city`: each young person has no recent
    contact, an intake awaiting its outcome and one this week, a share awaiting the employer's
    answer, a placement due its first follow-up, a silent buddy pair and a programme participant
    without coaching; plus `n` employers with an overdue next action and `n` failed reminders."""
    employer = EmployerFactory(city=city, owner=coordinator, name=f"{prefix} Werkplaats")
    ContactFactory(employer=employer, user=contact_user)
    opening = OpeningFactory(employer=employer, places=n + 1)
    mentor = MentorFactory(employer=employer, user=contact_user, capacity=5)
    cohort = CohortFactory(city=city, name=f"{prefix} groep")
    SessionFactory(cohort=cohort, date=TODAY + dt.timedelta(days=1))
    SessionFactory(cohort=cohort, date=TODAY + dt.timedelta(days=7))  # next week: not counted
    for i in range(n):
        EmployerFactory(
            city=city,
            owner=coordinator,
            name=f"{prefix} bedrijf {i}",
            next_action="Terugbellen",
            next_action_due=TODAY - dt.timedelta(days=3),
        )
        youth = YoungPersonFactory(
            youth_worker=youth_worker,
            city=city,
            first_name=f"{prefix}{i}",
            registered_on=TODAY - dt.timedelta(days=60),
        )
        ConsentFactory(youth=youth, given_on=TODAY - dt.timedelta(days=60))
        ConsentFactory(
            youth=youth,
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
            given_on=TODAY - dt.timedelta(days=60),
        )
        IntakeMeetingFactory(youth=youth, starts_at=NOW - dt.timedelta(days=7))
        IntakeMeetingFactory(youth=youth, starts_at=NOW + dt.timedelta(days=1))
        Share.objects.create(youth=youth, opening=opening, shared_by=coordinator)
        placement = PlacementFactory(
            youth=youth, opening=opening, start_date=TODAY - dt.timedelta(weeks=10)
        )
        FollowUp.objects.create(placement=placement, month=1, due_on=TODAY - dt.timedelta(days=5))
        PairFactory(
            placement=placement,
            mentor=mentor,
            status=Pair.Status.ACTIVE,
            kickoff_on=TODAY - dt.timedelta(weeks=10),
        )
        ParticipantFactory(cohort=cohort, youth=youth)
    now = timezone.now()
    Reminder.objects.bulk_create(
        Reminder(
            key=f"failed-{prefix}-{i}",
            kind="general",
            due_at=now,
            next_attempt_at=now,
            recipient=coordinator,
            city=city,
            status=Reminder.Status.FAILED,
            attempts=6,
        )
        for i in range(n)
    )
    return {"employer": employer, "opening": opening, "mentor": mentor, "cohort": cohort}


def sections(client) -> dict:
    response = client.get(reverse("dashboard:home"))
    assert response.status_code == 200
    return {section.key: section for section in response.context["sections"]}


def counts(client) -> dict[str, int]:
    return {key: section.count for key, section in sections(client).items()}


@pytest.fixture
def two_cities(
    rotterdam, dordrecht, coord_rotterdam, coord_dordrecht, jw_rotterdam, jw_dordrecht, cast
):
    build_city(
        rotterdam,
        coordinator=coord_rotterdam,
        youth_worker=jw_rotterdam,
        contact_user=cast["employer1"],
        n=3,
        prefix="Rotterdammer",
    )
    build_city(
        dordrecht,
        coordinator=coord_dordrecht,
        youth_worker=jw_dordrecht,
        contact_user=cast["employer2"],
        n=2,
        prefix="Dordtenaar",
    )
    return cast


def test_each_coordinator_counts_only_the_items_of_their_own_cities(two_cities, client_for):
    assert counts(client_for(two_cities["coord_rotterdam"])) == dict.fromkeys(
        COORDINATOR_SECTIONS, 3
    )
    assert counts(client_for(two_cities["coord_dordrecht"])) == dict.fromkeys(
        COORDINATOR_SECTIONS, 2
    )
    assert counts(client_for(two_cities["admin"])) == dict.fromkeys(COORDINATOR_SECTIONS, 5)


def test_a_coordinator_never_sees_another_citys_young_people_or_employers(two_cities, client_for):
    html = client_for(two_cities["coord_dordrecht"]).get("/").content.decode()
    assert "Dordtenaar0" in html
    assert "Dordtenaar bedrijf 0" in html
    assert "Rotterdammer" not in html


def test_each_youth_worker_sees_their_own_caseload_and_week(two_cities, client_for):
    assert counts(client_for(two_cities["jw_rotterdam"])) == {
        "caseload": 3,
        "week_intakes": 3,
        "week_sessions": 1,
    }
    assert counts(client_for(two_cities["jw_dordrecht"])) == {
        "caseload": 2,
        "week_intakes": 2,
        "week_sessions": 1,
    }
    # A colleague in the same organisation has nobody in their caseload.
    assert counts(client_for(two_cities["jw_rotterdam2"])) == dict.fromkeys(
        YOUTH_WORKER_SECTIONS, 0
    )
    html = client_for(two_cities["jw_rotterdam"]).get("/").content.decode()
    assert "Rotterdammer0" in html
    assert "Dordtenaar" not in html


def test_each_employer_contact_sees_only_their_own_candidates_and_pairs(two_cities, client_for):
    assert counts(client_for(two_cities["employer1"])) == dict.fromkeys(EMPLOYER_SECTIONS, 3)
    assert counts(client_for(two_cities["employer2"])) == dict.fromkeys(EMPLOYER_SECTIONS, 2)


def test_an_employer_contact_sees_no_candidate_names_on_the_start_page(two_cities, client_for):
    html = client_for(two_cities["employer1"]).get("/").content.decode()
    # The profile is behind the candidate page, which logs each look. As their buddy, the
    # contact knows the young people of their own pairs: those appear under the check-ins only.
    candidates = html.split('data-testid="section-questions"')[1].split(
        'data-testid="section-checkins"'
    )[0]
    assert "Rotterdammer" not in candidates
    assert reverse("candidates:candidate_list") in candidates


def test_a_section_counts_what_the_list_it_links_to_shows(two_cities, client_for):
    for role, keys in [
        ("coord_rotterdam", ["intakes", "shares", "follow_ups", "failed_reminders"]),
        ("admin", ["intakes", "shares", "follow_ups", "failed_reminders"]),
        ("jw_dordrecht", ["caseload"]),
    ]:
        client = client_for(two_cities[role])
        for key in keys:
            section = sections(client)[key]
            listed = client.get(section.all_url).context["page"].paginator.count
            assert (role, key, listed) == (role, key, section.count)


def test_only_the_first_five_are_listed_with_a_link_to_all(
    rotterdam, coord_rotterdam, jw_rotterdam, employer_contact1, client_for
):
    build_city(
        rotterdam,
        coordinator=coord_rotterdam,
        youth_worker=jw_rotterdam,
        contact_user=employer_contact1,
        n=7,
        prefix="R",
    )
    response = client_for(coord_rotterdam).get("/")
    intakes = {s.key: s for s in response.context["sections"]}["intakes"]
    assert (intakes.count, len(intakes.items)) == (7, 5)
    assert f'href="{intakes.all_url}"' in response.content.decode().replace("&amp;", "&")


def test_each_line_links_to_where_it_is_resolved(two_cities, client_for):
    coordinator = sections(client_for(two_cities["coord_rotterdam"]))
    html = client_for(two_cities["coord_rotterdam"]).get("/").content.decode()
    for key, url_name in [
        ("intakes", "intake:intake_detail"),
        ("follow_ups", "matching:placement_detail"),
        ("pairs", "buddy:pair_detail"),
        ("participants", "prep_programme:participant_detail"),
        ("next_actions", "employers:employer_detail"),
    ]:
        for item in coordinator[key].items:
            assert reverse(url_name, args=[item.pk]) in html, key
    mentor = sections(client_for(two_cities["employer1"]))
    html = client_for(two_cities["employer1"]).get("/").content.decode()
    for pair in mentor["checkins"].items:
        assert reverse("buddy:checkin_create", args=[pair.pk]) in html
    for share in mentor["questions"].items:
        assert reverse("candidates:candidate_detail", args=[share.token]) in html


def test_resolved_items_leave_the_queue(two_cities, client_for):
    coordinator = two_cities["coord_rotterdam"]
    pair = Pair.objects.filter(youth__city__slug="rotterdam").first()
    CheckIn.objects.create(pair=pair, held_on=TODAY, logged_by=coordinator)
    share = Share.objects.filter(youth__city__slug="rotterdam").first()
    Share.objects.filter(pk=share.pk).update(
        answer=Share.Answer.INTERESTED, answered_at=timezone.now()
    )
    follow_up = FollowUp.objects.filter(placement__youth__city__slug="rotterdam").first()
    FollowUp.objects.filter(pk=follow_up.pk).update(still_there=True, answered_at=timezone.now())
    participant = pair.youth.prep_participations.get()
    CoachingTalk.objects.create(
        participant=participant, coach=coordinator, self_confidence=3, agreements="Doorgaan"
    )
    found = counts(client_for(coordinator))
    assert (found["pairs"], found["shares"], found["follow_ups"], found["participants"]) == (
        2,
        2,
        2,
        2,
    )
    mentor = counts(client_for(two_cities["employer1"]))
    assert (mentor["checkins"], mentor["questions"], mentor["candidates"]) == (2, 2, 3)


def test_a_pair_needs_attention_for_a_concern_or_an_ended_placement_with_the_reason_shown(
    rotterdam, coord_rotterdam, client_for
):
    fresh = {"status": Pair.Status.ACTIVE, "kickoff_on": TODAY - dt.timedelta(weeks=1)}
    worried = PairFactory(placement__youth__city=rotterdam, **fresh)
    Concern.objects.create(pair=worried, what="Komt vaak te laat", raised_by=coord_rotterdam)
    ended = PairFactory(placement__youth__city=rotterdam, **fresh)
    Placement.objects.filter(pk=ended.placement_id).update(
        status=Placement.Status.ENDED, ended_on=TODAY
    )
    PairFactory(placement__youth__city=rotterdam, **fresh)  # on track
    pairs = sections(client_for(coord_rotterdam))["pairs"]
    flags = {
        pair.pk: (pair.has_open_concern, pair.placement_ended, pair.silent) for pair in pairs.items
    }
    assert flags == {worried.pk: (True, False, False), ended.pk: (False, True, False)}


def test_a_participant_absent_twice_without_reason_or_attending_too_little_needs_attention(
    rotterdam, coord_rotterdam, jw_rotterdam, client_for
):
    cohort = CohortFactory(city=rotterdam)
    sessions = [SessionFactory(cohort=cohort, date=TODAY - dt.timedelta(days=d)) for d in (9, 6, 2)]

    def participant(*statuses):
        youth = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)
        p = ParticipantFactory(cohort=cohort, youth=youth)
        CoachingTalk.objects.create(
            participant=p, coach=coord_rotterdam, self_confidence=3, agreements="Doorgaan"
        )
        for session, status in zip(sessions, statuses, strict=True):
            Attendance.objects.create(
                session=session, participant=p, status=status, recorded_by=coord_rotterdam
            )
        return p

    present, unexcused, excused = "present", "unexcused", "excused"
    absent_twice = participant(present, unexcused, unexcused)
    seldom = participant(excused, present, excused)  # 1 of 3: below 80 %
    two_of_three = participant(unexcused, present, present)  # 67 %: below 80 % as well
    on_track = participant(present, present, present)
    found = sections(client_for(coord_rotterdam))["participants"]
    flags = {p.pk: (p.absent_twice, p.low_attendance, p.no_coaching) for p in found.items}
    assert flags == {
        absent_twice.pk: (True, True, False),
        seldom.pk: (False, True, False),
        two_of_three.pk: (False, True, False),
    }
    assert on_track.pk not in flags


def test_a_caseload_alert_says_why(rotterdam, jw_rotterdam, client_for):
    quiet = YoungPersonFactory(
        youth_worker=jw_rotterdam, city=rotterdam, registered_on=TODAY - dt.timedelta(days=60)
    )
    ConsentFactory(youth=quiet)
    fine = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)
    ConsentFactory(youth=fine)
    ContactMomentFactory(youth=fine, date=TODAY - dt.timedelta(days=2))
    found = sections(client_for(jw_rotterdam))["caseload"]
    assert [(y.pk, y.needs_contact) for y in found.items] == [(quiet.pk, True)]


@pytest.mark.parametrize(
    ("role", "keys", "dutch"),
    [
        (
            "coord_rotterdam",
            COORDINATOR_SECTIONS,
            "Van elke gehouden intake is de uitkomst vastgelegd.",
        ),
        ("jw_rotterdam", YOUTH_WORKER_SECTIONS, "Deze week staan er geen intakes gepland."),
        ("employer1", EMPLOYER_SECTIONS, "Er zijn nog geen kandidaten met je gedeeld."),
    ],
)
def test_an_empty_start_page_says_so_in_dutch(cast, client_for, role, keys, dutch):
    response = client_for(cast[role]).get("/")
    found = {section.key: section for section in response.context["sections"]}
    assert list(found) == keys
    assert all(section.count == 0 and not section.items for section in found.values())
    html = response.content.decode()
    assert html.count('data-testid="empty"') == len(keys)
    assert dutch in html


# Three queries per section at most (its first keys, their rows, and its count when there are
# more), the notifications, the session and the user: the same at any size. The programme's
# section first reads four grouped figures (participants, coaching, attendance, the latest two
# marks).
MAX_QUERIES = {
    "admin": 32,
    "coord_rotterdam": 33,
    "coord_dordrecht": 33,
    "jw_rotterdam": 15,
    "employer1": 17,
}


@pytest.mark.parametrize("n", [2, 12])
@pytest.mark.parametrize("role", list(MAX_QUERIES))
def test_the_start_page_keeps_its_query_count(
    rotterdam, cast, client_for, django_assert_max_num_queries, role, n
):
    build_city(
        rotterdam,
        coordinator=cast["coord_rotterdam"],
        youth_worker=cast["jw_rotterdam"],
        contact_user=cast["employer1"],
        n=n,
        prefix="R",
    )
    client = client_for(cast[role])
    with django_assert_max_num_queries(MAX_QUERIES[role]):
        response = client.get("/")
    assert response.status_code == 200
