"""Assignment proposals: a city's pool, the optimal assignment computed in the background (asked
for once, sent after commit, resent when the broker was down, claimed once), the coordinator's
decision on each row, and the pages per role."""

import dataclasses
import datetime as dt
import random
from decimal import Decimal
from unittest import mock

import numpy as np
import pytest
import time_machine
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from kombu.exceptions import OperationalError

from employers.factories import EmployerFactory, OpeningFactory
from employers.models import Opening
from matching import pools, tasks
from matching.models import Placement, Proposal, ProposalRow, ScoreWeights, Shortlist
from matching.scoring import score_matrix
from matching.services import proposals
from restart_platform.view_helpers import PAGE_SIZE
from tests.concurrency import post_at_once
from youth.factories import YoungPersonFactory
from youth.models import YoungPerson, YouthSkill

from .conftest import fitting_youth, make_opening, make_youth
from .test_assignment import brute_force_total

pytestmark = pytest.mark.django_db

LIST = reverse("matching:proposal_list")
CREATE = reverse("matching:proposal_create")
STAFF = ["admin", "coord_rotterdam"]
NOT_STAFF = ["jw_rotterdam", "jw_dordrecht", "employer1", "employer2"]
MOMENT = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def detail_url(proposal) -> str:
    return reverse("matching:proposal_detail", args=[proposal.pk])


def decide_url(row) -> str:
    return reverse("matching:proposal_row_decide", args=[row.pk])


def set_minimum_score(minimum: int) -> ScoreWeights:
    weights = ScoreWeights.load()
    weights.minimum_score = minimum
    weights.save()
    return weights


@pytest.fixture
def pool_world(cities, sectors, jw_rotterdam, jw_dordrecht, coord_rotterdam):
    """Rotterdam: six young people who may be proposed, and four openings with five free places
    between them; around them, everyone and everything the pool must leave out."""
    rotterdam, dordrecht = cities["rotterdam"], cities["dordrecht"]
    youth = [
        fitting_youth(jw_rotterdam, rotterdam, skills=["tools", "safety", "forklift"]),
        fitting_youth(jw_rotterdam, rotterdam),
        fitting_youth(
            jw_rotterdam,
            rotterdam,
            interests=["recycling-reuse"],
            skills=["sorting", "dismantling"],
            journey=YoungPerson.Journey.INTAKE,
        ),
        make_youth(jw_rotterdam, rotterdam, interests=["care"], travel_range_km=5),
        fitting_youth(jw_rotterdam, rotterdam, interests=["logistics"], skills=["forklift"]),
        # A second one just like the last: they want the same single place, and one loses.
        fitting_youth(jw_rotterdam, rotterdam, interests=["logistics"], skills=["forklift"]),
    ]
    openings = [
        make_opening(rotterdam, sectors["recycling"], required=["tools", "safety"], places=2),
        make_opening(rotterdam, sectors["recycling"], required=["tools", "safety", "forklift"]),
        make_opening(
            rotterdam, sectors["logistics"], required=["forklift"], places=3, filled_places=2
        ),
        make_opening(rotterdam, sectors["refurbishment"], required=["testing-electronics"]),
    ]
    full = make_opening(rotterdam, sectors["recycling"], places=2, filled_places=2)
    left_out_openings = [
        full,
        make_opening(rotterdam, sectors["recycling"], status=Opening.Status.CLOSED),
        make_opening(rotterdam, sectors["recycling"], status=Opening.Status.FILLED),
        make_opening(dordrecht, sectors["recycling"], required=["tools", "safety"]),
    ]
    # An active placement keeps a young person out even before their journey says "placed".
    with_placement = fitting_youth(jw_rotterdam, rotterdam)
    Placement.objects.create(
        youth=with_placement,
        opening=full,
        start_date=timezone.localdate(),
        hours_per_week=32,
        agreement=Placement.Agreement.EMPLOYMENT,
        created_by=coord_rotterdam,
    )
    left_out_youth = [
        with_placement,
        fitting_youth(jw_rotterdam, rotterdam, journey=YoungPerson.Journey.PLACED),
        fitting_youth(
            jw_rotterdam, rotterdam, journey=YoungPerson.Journey.LEFT, left_reason="Verhuisd"
        ),
        fitting_youth(jw_rotterdam, rotterdam, merged_into=youth[1]),
        fitting_youth(jw_dordrecht, dordrecht),
    ]
    # A minimum that some pairs of this world miss (a coordinator may raise it in the admin).
    set_minimum_score(60)
    return {
        "youth": youth,
        "openings": openings,
        "left_out_youth": left_out_youth,
        "left_out_openings": left_out_openings,
    }


def best_total(scores, places, minimum) -> Decimal:
    """The brute-force optimum of test_assignment, as the proposal stores its total."""
    return Decimal(str(brute_force_total(scores, np.array(places), minimum)))


def run(city, by) -> Proposal:
    """Ask for a proposal and compute it, as the worker would."""
    proposal = proposals.proposal_request(city=city, by=by)
    return proposals.proposal_run(proposal.pk)


def done_proposal(city, by, jw, *, rows: int) -> Proposal:
    """A finished proposal of `rows` pairs, written directly (for the pages and their budgets)."""
    proposal = Proposal.objects.create(
        city=city,
        requested_by=by,
        status=Proposal.Status.DONE,
        stage=Proposal.Stage.FINISHED,
        progress=100,
        finished_at=timezone.now(),
        minimum_score=40,
        youth_count=rows,
        place_count=rows,
        total_score=Decimal(60) * rows,
        seconds=0.1,
    )
    opening = OpeningFactory(employer=EmployerFactory(city=city), places=rows or 1)
    ProposalRow.objects.bulk_create(
        ProposalRow(proposal=proposal, youth=person, opening=opening, score=Decimal(60))
        for person in YoungPersonFactory.create_batch(rows, youth_worker=jw, city=city)
    )
    return proposal


def a_proposal(city, by, pairs) -> Proposal:
    """A finished proposal of the given (young person, opening) pairs, with their real scores."""
    weights = ScoreWeights.load()
    proposal = Proposal.objects.create(
        city=city,
        requested_by=by,
        status=Proposal.Status.DONE,
        stage=Proposal.Stage.FINISHED,
        progress=100,
        finished_at=timezone.now(),
        minimum_score=weights.minimum_score,
    )
    for youth, opening in pairs:
        result = score_matrix([youth.pk], [opening.pk], weights)
        ProposalRow.objects.create(
            proposal=proposal,
            youth=youth,
            opening=opening,
            score=Decimal(str(result.total(youth.pk, opening.pk))),
        )
    return proposal


# --- The pool ----------------------------------------------------------------------------------


def test_the_pool_is_the_citys_active_unplaced_young_people_and_its_open_free_places(
    pool_world, cities
):
    pool = pools.city_pool(cities["rotterdam"])
    assert pool.youth_ids == sorted(youth.pk for youth in pool_world["youth"])
    openings = pool_world["openings"]
    assert dict(zip(pool.opening_ids, pool.free_places, strict=True)) == {
        openings[0].pk: 2,
        openings[1].pk: 1,
        openings[2].pk: 1,  # 3 places, 2 filled
        openings[3].pk: 1,
    }


def test_a_young_person_whose_placement_ended_is_back_in_the_pool(pool_world, cities):
    placed = pool_world["left_out_youth"][0]
    Placement.objects.filter(youth=placed).update(
        status=Placement.Status.ENDED, ended_on=timezone.localdate()
    )
    assert placed.pk in pools.city_pool(cities["rotterdam"]).youth_ids


def test_the_pool_of_a_city_without_anyone_is_empty_and_its_proposal_has_no_rows(
    cities, sectors, admin
):
    make_opening(cities["schiedam"], sectors["recycling"])
    proposal = run(cities["schiedam"], admin)
    assert (proposal.status, proposal.youth_count, proposal.place_count) == ("done", 0, 1)
    assert proposal.total_score == 0
    assert not proposal.rows.exists()


# --- Computing a proposal ----------------------------------------------------------------------


def test_a_proposal_places_each_young_person_once_within_the_free_places_at_the_optimum(
    pool_world, cities, coord_rotterdam
):
    pool = pools.city_pool(cities["rotterdam"])
    proposal = run(cities["rotterdam"], coord_rotterdam)

    weights = ScoreWeights.load()
    scores = score_matrix(pool.youth_ids, pool.opening_ids, weights, keep_components=False)
    rows = list(proposal.rows.all())
    youth = [row.youth_id for row in rows]
    # The world is worth checking: some pairs fall below the minimum, and someone who has a
    # pair above it still goes without, because others won the places they could have had.
    allowed = scores.youth_ids[(scores.totals >= weights.minimum_score).any(axis=1)]
    assert (scores.totals < weights.minimum_score).any()
    assert rows
    assert set(allowed.tolist()) - set(youth)
    assert len(youth) == len(set(youth))
    assert set(youth) <= set(pool.youth_ids)
    free = dict(zip(pool.opening_ids, pool.free_places, strict=True))
    for opening_id in {row.opening_id for row in rows}:
        assert sum(row.opening_id == opening_id for row in rows) <= free[opening_id]
    for row in rows:
        assert row.score >= weights.minimum_score
        assert row.score == Decimal(str(scores.total(row.youth_id, row.opening_id)))
    assert proposal.total_score == sum(row.score for row in rows)
    assert proposal.total_score == best_total(
        scores.totals, pool.free_places, weights.minimum_score
    )

    assert (proposal.status, proposal.stage, proposal.progress) == ("done", "finished", 100)
    assert (proposal.youth_count, proposal.place_count) == (6, 5)
    assert proposal.minimum_score == weights.minimum_score
    assert proposal.started_at <= proposal.finished_at
    assert proposal.seconds is not None
    assert proposal.error == ""


@pytest.mark.parametrize("seed", [3, 7, 11])
def test_a_proposal_on_a_random_world_reaches_the_brute_force_optimum(
    random_world, cities, admin, seed
):
    _youth_ids, opening_ids = random_world(14, 9, seed=seed)
    rng = random.Random(seed)
    for pk in opening_ids:
        Opening.objects.filter(pk=pk).update(places=rng.randint(1, 3))
    weights = set_minimum_score(30)
    checked = 0
    for place in (cities["rotterdam"], cities["dordrecht"]):
        pool = pools.city_pool(place)
        proposal = run(place, admin)
        scores = score_matrix(pool.youth_ids, pool.opening_ids, weights, keep_components=False)
        optimum = best_total(scores.totals, pool.free_places, weights.minimum_score)
        assert proposal.total_score == optimum
        assert proposal.total_score == sum(row.score for row in proposal.rows.all())
        checked += proposal.rows.count()
    assert checked  # the seeds give worlds with something to assign


def test_a_proposal_is_computed_once_however_often_it_is_sent(pool_world, cities, coord_rotterdam):
    proposal = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
    first = proposals.proposal_run(proposal.pk)
    rows = set(first.rows.values_list("pk", flat=True))
    assert rows

    assert proposals.proposal_run(proposal.pk) is None
    assert set(ProposalRow.objects.values_list("pk", flat=True)) == rows
    proposal.refresh_from_db()
    assert (proposal.status, proposal.finished_at) == ("done", first.finished_at)


def test_a_proposal_a_worker_holds_is_not_taken_by_a_second_one(
    pool_world, cities, coord_rotterdam
):
    proposal = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
    Proposal.objects.filter(pk=proposal.pk).update(
        status=Proposal.Status.RUNNING, started_at=timezone.now()
    )
    assert proposals.proposal_run(proposal.pk) is None
    proposal.refresh_from_db()
    assert proposal.status == "running"
    assert not proposal.rows.exists()


def test_an_error_while_computing_fails_the_proposal_with_the_error_and_no_rows(
    pool_world, cities, coord_rotterdam, monkeypatch
):
    def broken(*args, **kwargs):
        raise RuntimeError("scores unavailable")

    monkeypatch.setattr(pools, "score_matrix", broken)
    proposal = run(cities["rotterdam"], coord_rotterdam)

    assert (proposal.status, proposal.stage) == ("failed", "finished")
    assert proposal.error == "RuntimeError: scores unavailable"
    assert proposal.finished_at is not None
    assert not ProposalRow.objects.exists()
    again = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
    assert again != proposal  # a failed proposal does not hold the city


def test_a_failure_while_saving_leaves_no_rows_behind(
    pool_world, cities, coord_rotterdam, monkeypatch
):
    solve = proposals.solve
    solved = []

    def unsavable(*args, **kwargs):
        solution = solve(*args, **kwargs)
        solved.append(solution)
        # The rows are fine, but the database refuses the result: a negative minimum score.
        return dataclasses.replace(solution, minimum_score=-1)

    monkeypatch.setattr(proposals, "solve", unsavable)
    proposal = run(cities["rotterdam"], coord_rotterdam)

    assert len(solved[0].scores)  # there were rows to save
    assert proposal.status == "failed"
    assert "IntegrityError" in proposal.error
    assert not ProposalRow.objects.exists()


def test_a_result_that_comes_after_the_sweep_gave_up_is_dropped(
    pool_world, cities, coord_rotterdam, monkeypatch
):
    solve = proposals.solve
    solved = []

    def slow(*args, **kwargs):
        solution = solve(*args, **kwargs)
        solved.append(solution)
        # Computing took so long that beat's sweep gave the proposal up meanwhile.
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=31)):
            proposals.proposals_resume()
        return solution

    monkeypatch.setattr(proposals, "solve", slow)
    proposal = run(cities["rotterdam"], coord_rotterdam)

    assert len(solved[0].scores)  # there were rows to save
    assert (proposal.status, proposal.stage) == ("failed", "finished")
    assert proposal.total_score is None
    assert not ProposalRow.objects.exists()


# --- Asking for a proposal -------------------------------------------------------------------


def test_a_coordinator_asks_for_a_proposal_for_their_own_city_only(
    cities, coord_dordrecht, coord_rotterdam
):
    with pytest.raises(ValidationError) as refused:
        proposals.proposal_request(city=cities["rotterdam"], by=coord_dordrecht)
    assert "city" in refused.value.message_dict
    assert not Proposal.objects.exists()
    proposal = proposals.proposal_request(city=cities["dordrecht"], by=coord_dordrecht)
    assert (proposal.city, proposal.status, proposal.requested_by) == (
        cities["dordrecht"],
        "queued",
        coord_dordrecht,
    )


@pytest.mark.parametrize("role", NOT_STAFF)
def test_youth_workers_and_employer_contacts_cannot_ask_for_a_proposal(role, cast, cities):
    with pytest.raises(ValidationError):
        proposals.proposal_request(city=cities["rotterdam"], by=cast[role])
    assert not Proposal.objects.exists()


def test_asking_again_while_a_proposal_waits_or_runs_returns_that_one(
    cities, coord_rotterdam, admin
):
    first = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
    assert proposals.proposal_request(city=cities["rotterdam"], by=admin) == first
    Proposal.objects.filter(pk=first.pk).update(
        status=Proposal.Status.RUNNING, started_at=timezone.now()
    )
    assert proposals.proposal_request(city=cities["rotterdam"], by=admin) == first
    assert Proposal.objects.count() == 1

    other_city = proposals.proposal_request(city=cities["dordrecht"], by=admin)
    assert other_city != first


def test_the_database_refuses_two_unfinished_proposals_for_one_city(cities, coord_rotterdam):
    Proposal.objects.create(city=cities["rotterdam"], requested_by=coord_rotterdam)
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.create(
            city=cities["rotterdam"], requested_by=coord_rotterdam, status="running"
        )
    Proposal.objects.create(
        city=cities["rotterdam"],
        requested_by=coord_rotterdam,
        status=Proposal.Status.DONE,
        finished_at=timezone.now(),
    )  # a finished one next to it is fine
    assert Proposal.objects.count() == 2


def test_the_task_is_sent_once_the_request_commits(
    cities, coord_rotterdam, django_capture_on_commit_callbacks
):
    with (
        mock.patch.object(tasks.run_proposal, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        proposal = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
        assert not delay.called  # not before the commit
    delay.assert_called_once_with(proposal.pk)


def test_nothing_is_sent_when_the_request_is_rolled_back(
    cities, coord_rotterdam, django_capture_on_commit_callbacks
):
    def ask_then_fail():
        with transaction.atomic():
            proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
            raise RuntimeError("the request failed after asking")

    with (
        mock.patch.object(tasks.run_proposal, "delay") as delay,
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        ask_then_fail()
    assert callbacks == []
    assert not delay.called
    assert not Proposal.objects.exists()


def test_a_broker_that_is_down_leaves_the_proposal_queued_and_beat_sends_it_a_minute_later(
    pool_world, cities, coord_rotterdam, django_capture_on_commit_callbacks
):
    with (
        time_machine.travel(MOMENT, tick=False),
        mock.patch.object(tasks.run_proposal, "delay", side_effect=OperationalError("down")),
        django_capture_on_commit_callbacks(execute=True),
    ):
        proposal = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
    proposal.refresh_from_db()
    assert proposal.status == "queued"

    with mock.patch.object(tasks.run_proposal, "delay") as delay:
        with time_machine.travel(MOMENT + dt.timedelta(seconds=30), tick=False):
            assert proposals.proposals_resume() == {"resent": 0, "failed": 0}
        assert not delay.called
        with time_machine.travel(MOMENT + dt.timedelta(seconds=61), tick=False):
            assert proposals.proposals_resume() == {"resent": 1, "failed": 0}
        delay.assert_called_once_with(proposal.pk)

    assert proposals.proposal_run(proposal.pk).status == "done"  # the worker takes it
    with mock.patch.object(tasks.run_proposal, "delay") as delay:
        with time_machine.travel(MOMENT + dt.timedelta(minutes=5), tick=False):
            assert proposals.proposals_resume() == {"resent": 0, "failed": 0}
        assert not delay.called


def test_a_proposal_running_for_over_half_an_hour_is_failed_so_the_city_can_ask_again(
    cities, coord_rotterdam
):
    with time_machine.travel(MOMENT, tick=False):
        proposal = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
        Proposal.objects.filter(pk=proposal.pk).update(
            status=Proposal.Status.RUNNING, started_at=timezone.now()
        )
    with time_machine.travel(MOMENT + dt.timedelta(minutes=29), tick=False):
        assert proposals.proposals_resume() == {"resent": 0, "failed": 0}
    proposal.refresh_from_db()
    assert proposal.status == "running"

    with time_machine.travel(MOMENT + dt.timedelta(minutes=31), tick=False):
        assert proposals.proposals_resume() == {"resent": 0, "failed": 1}
    proposal.refresh_from_db()
    assert (proposal.status, proposal.stage) == ("failed", "finished")
    assert proposal.finished_at == MOMENT + dt.timedelta(minutes=31)
    assert proposal.error
    again = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
    assert (again != proposal, again.status) == (True, "queued")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_ten_coordinators_asking_at_once_make_one_proposal_and_all_land_on_it(
    require_postgres, cities, coord_rotterdam
):
    with mock.patch.object(tasks.run_proposal, "delay") as delay:
        responses = post_at_once(
            coord_rotterdam, CREATE, {"city": cities["rotterdam"].pk}, times=10
        )
    answers = [(response.status_code, response.get("Location")) for response in responses]

    proposal = Proposal.objects.get()
    assert answers == [(302, detail_url(proposal))] * 10
    delay.assert_called_once_with(proposal.pk)


# --- Deciding on a row -------------------------------------------------------------------------


@pytest.fixture
def rows(cities, sectors, jw_rotterdam, coord_rotterdam):
    """A finished Rotterdam proposal that gave a young person the opening their suggestions
    rank second (the best one went to someone else), and a second row to reject."""
    rotterdam = cities["rotterdam"]
    youth = fitting_youth(jw_rotterdam, rotterdam, first_name="Xandrijn", last_name="Qwaalberg")
    other = fitting_youth(jw_rotterdam, rotterdam, first_name="Yfke", last_name="Zwanenburg")
    best = make_opening(
        rotterdam, sectors["recycling"], required=["tools", "safety"], title="Demontage Waalhaven"
    )
    second = make_opening(
        rotterdam,
        sectors["recycling"],
        required=["tools", "safety", "forklift"],
        title="Magazijn Botlek",
    )
    proposal = a_proposal(rotterdam, coord_rotterdam, [(youth, second), (other, best)])
    return {
        "proposal": proposal,
        "second": proposal.rows.get(youth=youth),
        "best": proposal.rows.get(youth=other),
    }


def decide(row, by, accept=True) -> ProposalRow:
    return proposals.proposal_row_decide(row=row, by=by, accept=accept)


def test_accepting_a_row_shortlists_the_pair_with_the_proposal_as_reason_and_links_it(
    rows, coord_rotterdam
):
    row = decide(rows["second"], coord_rotterdam)

    entry = Shortlist.objects.get()
    assert (entry.youth_id, entry.opening_id, entry.created_by) == (
        row.youth_id,
        row.opening_id,
        coord_rotterdam,
    )
    assert entry.rank == 2  # the suggestions rank another opening first: the reason is kept
    when = date_format(timezone.localtime(rows["proposal"].requested_at), "SHORT_DATE_FORMAT")
    assert when in entry.reason
    row.refresh_from_db()
    assert (row.decision, row.decided_by, row.shortlist) == ("accepted", coord_rotterdam, entry)
    assert row.decided_at is not None


def test_rejecting_a_row_shortlists_nothing(rows, coord_rotterdam):
    row = decide(rows["best"], coord_rotterdam, accept=False)
    row.refresh_from_db()
    assert (row.decision, row.decided_by, row.shortlist) == ("rejected", coord_rotterdam, None)
    assert not Shortlist.objects.exists()


def test_a_decision_is_final_and_the_same_one_twice_changes_nothing(rows, coord_rotterdam, admin):
    first = decide(rows["second"], coord_rotterdam)
    again = decide(rows["second"], admin)
    assert (again.decided_by, again.decided_at) == (coord_rotterdam, first.decided_at)
    with pytest.raises(ValidationError):
        decide(rows["second"], admin, accept=False)
    rows["second"].refresh_from_db()
    assert rows["second"].decision == "accepted"
    assert Shortlist.objects.count() == 1

    decide(rows["best"], coord_rotterdam, accept=False)
    with pytest.raises(ValidationError):
        decide(rows["best"], coord_rotterdam, accept=True)
    assert Shortlist.objects.count() == 1


@pytest.mark.parametrize("role", ["coord_dordrecht", *NOT_STAFF])
def test_only_an_admin_or_the_citys_coordinator_decides_on_a_row(role, cast, rows):
    with pytest.raises(ValidationError):
        decide(rows["second"], cast[role])
    rows["second"].refresh_from_db()
    assert rows["second"].decision == "open"
    assert not Shortlist.objects.exists()


def test_each_decision_is_in_the_change_history(rows, coord_rotterdam):
    decide(rows["second"], coord_rotterdam)
    decide(rows["best"], coord_rotterdam, accept=False)
    logged = LogEntry.objects.get_for_object(rows["proposal"]).filter(actor=coord_rotterdam)
    assert sorted(entry.additional_data["action"] for entry in logged) == [
        "matching.proposal_row_accepted",
        "matching.proposal_row_rejected",
    ]


@pytest.mark.parametrize("status", [Opening.Status.CLOSED, Opening.Status.FILLED])
def test_a_row_whose_opening_closed_meanwhile_is_refused_and_stays_open(
    rows, coord_rotterdam, status
):
    Opening.objects.filter(pk=rows["second"].opening_id).update(status=status)
    with pytest.raises(ValidationError) as refused:
        decide(rows["second"], coord_rotterdam)
    assert "Magazijn Botlek" in " ".join(refused.value.messages)
    rows["second"].refresh_from_db()
    assert (rows["second"].decision, rows["second"].shortlist) == ("open", None)
    assert not Shortlist.objects.exists()
    # Rejecting it is still possible: the coordinator clears the row.
    assert decide(rows["second"], coord_rotterdam, accept=False).decision == "rejected"


# --- The pages ---------------------------------------------------------------------------------


@pytest.fixture
def done(pool_world, cities, coord_rotterdam):
    return run(cities["rotterdam"], coord_rotterdam)


def messages_of(response) -> list[str]:
    return [message.level_tag for message in response.context["messages"]]


@pytest.mark.parametrize("role", STAFF)
def test_admin_and_the_citys_coordinator_see_the_proposal_in_the_list(role, cast, done, client_for):
    response = client_for(cast[role]).get(LIST)
    assert response.status_code == 200
    assert list(response.context["page"].object_list) == [done]
    assert 'data-testid="proposal-request"' in response.content.decode()


def test_the_other_citys_coordinator_sees_neither_the_proposal_nor_the_city(
    done, coord_dordrecht, cities, client_for
):
    response = client_for(coord_dordrecht).get(LIST)
    assert response.status_code == 200
    assert not response.context["page"].object_list
    assert list(response.context["form"].fields["city"].queryset) == [cities["dordrecht"]]


@pytest.mark.parametrize("role", NOT_STAFF)
def test_youth_workers_and_employer_contacts_get_404_on_every_proposal_page(
    role, cast, done, cities, client_for
):
    client = client_for(cast[role])
    row = done.rows.first()
    assert client.get(LIST).status_code == 404
    assert client.post(CREATE, {"city": cities["rotterdam"].pk}).status_code == 404
    assert client.get(detail_url(done)).status_code == 404
    assert client.post(decide_url(row), {"decision": "accept"}).status_code == 404
    assert Proposal.objects.count() == 1
    row.refresh_from_db()
    assert row.decision == "open"


def test_the_other_citys_coordinator_gets_404_on_the_proposal_and_its_rows(
    done, coord_dordrecht, client_for
):
    client = client_for(coord_dordrecht)
    row = done.rows.first()
    assert client.get(detail_url(done)).status_code == 404
    assert client.get(detail_url(done), {"progress": 1}, HTTP_HX_REQUEST="true").status_code == 404
    assert client.post(decide_url(row), {"decision": "accept"}).status_code == 404
    row.refresh_from_db()
    assert row.decision == "open"


@pytest.mark.parametrize("role", STAFF)
def test_asking_for_a_proposal_goes_to_it_with_a_message(role, cast, cities, client_for):
    client = client_for(cast[role])
    response = client.post(CREATE, {"city": cities["rotterdam"].pk})
    proposal = Proposal.objects.get()
    assert (proposal.city, proposal.requested_by) == (cities["rotterdam"], cast[role])
    assert response.status_code == 302
    assert response.url == detail_url(proposal)
    assert messages_of(client.get(response.url)) == ["success"]


def test_the_other_citys_coordinator_cannot_ask_for_this_city(cities, coord_dordrecht, client_for):
    client = client_for(coord_dordrecht)
    response = client.post(CREATE, {"city": cities["rotterdam"].pk}, follow=True)
    assert response.redirect_chain == [(LIST, 302)]
    assert messages_of(response) == ["error"]
    assert not Proposal.objects.exists()


def test_a_proposal_is_not_asked_for_by_get(cities, coord_rotterdam, client_for):
    assert client_for(coord_rotterdam).get(CREATE).status_code == 405
    assert not Proposal.objects.exists()


@pytest.mark.parametrize("status", [Proposal.Status.QUEUED, Proposal.Status.RUNNING])
def test_an_unfinished_proposal_shows_a_progress_bar_that_polls(
    status, cities, coord_rotterdam, client_for
):
    proposal = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
    Proposal.objects.filter(pk=proposal.pk).update(status=status, progress=40)
    page = client_for(coord_rotterdam).get(detail_url(proposal)).content.decode()
    assert '<progress id="proposal-progress-bar"' in page
    assert 'value="40"' in page
    assert f'hx-get="{detail_url(proposal)}?progress=1"' in page
    assert 'data-testid="proposal-rows"' not in page


def test_the_progress_poll_gets_the_fragment_until_the_proposal_is_done_then_a_refresh(
    pool_world, cities, coord_rotterdam, client_for
):
    client = client_for(coord_rotterdam)
    proposal = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)

    waiting = client.get(detail_url(proposal), {"progress": 1}, HTTP_HX_REQUEST="true")
    assert waiting.status_code == 200
    fragment = waiting.content.decode()
    assert "<html" not in fragment
    assert "<progress" in fragment
    assert "HX-Refresh" not in waiting.headers

    proposals.proposal_run(proposal.pk)
    finished = client.get(detail_url(proposal), {"progress": 1}, HTTP_HX_REQUEST="true")
    assert finished.status_code == 200
    assert finished.headers["HX-Refresh"] == "true"


def test_the_progress_address_opened_as_a_page_shows_the_finished_proposal(
    done, coord_rotterdam, client_for
):
    response = client_for(coord_rotterdam).get(detail_url(done), {"progress": 1})
    page = response.content.decode()
    assert 'data-testid="proposal-rows"' in page
    assert len(response.context["page"].object_list) == done.rows.count()


def test_a_finished_proposal_shows_its_summary_and_rows_best_first(
    done, coord_rotterdam, client_for
):
    response = client_for(coord_rotterdam).get(detail_url(done))
    page = response.content.decode()
    assert "<progress" not in page
    assert 'data-testid="proposal-summary"' in page
    shown = list(response.context["page"].object_list)
    assert shown == sorted(done.rows.all(), key=lambda row: (-row.score, row.pk))
    assert page.count('data-testid="proposal-row"') == len(shown)
    assert page.count('data-testid="accept"') == len(shown)
    assert shown[0].youth.case_reference in page


def test_the_rows_are_found_by_name_and_by_case_reference(done, coord_rotterdam, client_for):
    client = client_for(coord_rotterdam)
    row = done.rows.select_related("youth").first()
    YoungPerson.objects.filter(pk=row.youth_id).update(last_name="Qwaalberg")

    def found(**query) -> list[ProposalRow]:
        return list(client.get(detail_url(done), query).context["page"].object_list)

    assert found(q="qwaal") == [row]
    assert found(q=row.youth.case_reference) == [row]
    assert found(q=row.youth.case_reference.lower()) == [row]
    assert found(q="JP-99999999999999999999") == []
    assert found(q="JP-²") == []  # a digit to str.isdigit, not to int()
    assert found(q="Nergens te vinden") == []


def test_the_rows_are_filtered_by_decision(done, coord_rotterdam, client_for):
    client = client_for(coord_rotterdam)
    rejected = done.rows.first()
    decide(rejected, coord_rotterdam, accept=False)

    def found(decision) -> set[int]:
        page = client.get(detail_url(done), {"decision": decision}).context["page"]
        return {row.pk for row in page.object_list}

    assert found("rejected") == {rejected.pk}
    assert found("open") == set(done.rows.exclude(pk=rejected.pk).values_list("pk", flat=True))
    assert found("accepted") == set()
    empty = client.get(detail_url(done), {"decision": "accepted"}).content.decode()
    assert 'data-testid="empty"' in empty


def test_a_long_proposal_is_shown_in_pages(cities, coord_rotterdam, jw_rotterdam, client_for):
    proposal = done_proposal(cities["rotterdam"], coord_rotterdam, jw_rotterdam, rows=PAGE_SIZE + 3)
    client = client_for(coord_rotterdam)
    first = client.get(detail_url(proposal)).context["page"]
    second = client.get(detail_url(proposal), {"page": 2}).context["page"]
    assert (len(first.object_list), len(second.object_list)) == (PAGE_SIZE, 3)
    assert not {row.pk for row in first} & {row.pk for row in second}


def test_a_failed_proposal_says_so_and_shows_no_table(cities, coord_rotterdam, client_for):
    proposal = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
    Proposal.objects.filter(pk=proposal.pk).update(
        status=Proposal.Status.FAILED, finished_at=timezone.now(), error="RuntimeError: boom"
    )
    page = client_for(coord_rotterdam).get(detail_url(proposal)).content.decode()
    assert 'data-testid="proposal-failed"' in page
    assert "<progress" not in page
    assert 'data-testid="proposal-rows"' not in page
    assert "RuntimeError" not in page  # the technical error is for the administrator


def test_accepting_by_a_plain_post_goes_back_to_our_page_with_a_message(
    done, coord_rotterdam, client_for
):
    client = client_for(coord_rotterdam)
    row = done.rows.first()
    back = f"{detail_url(done)}?decision=open&page=1"
    response = client.post(decide_url(row), {"decision": "accept", "next": back})
    assert response.status_code == 302
    assert response.url == back
    assert messages_of(client.get(back)) == ["success"]
    row.refresh_from_db()
    assert row.decision == "accepted"
    assert row.shortlist is not None


def test_an_external_next_is_ignored(done, coord_rotterdam, client_for):
    row = done.rows.first()
    response = client_for(coord_rotterdam).post(
        decide_url(row), {"decision": "reject", "next": "https://evil.example/"}
    )
    assert response.url == detail_url(done)
    row.refresh_from_db()
    assert row.decision == "rejected"


def test_a_refused_decision_by_a_plain_post_comes_back_with_an_error(
    done, coord_rotterdam, client_for
):
    client = client_for(coord_rotterdam)
    row = done.rows.first()
    decide(row, coord_rotterdam, accept=False)
    response = client.post(decide_url(row), {"decision": "accept"}, follow=True)
    assert messages_of(response) == ["error"]
    row.refresh_from_db()
    assert row.decision == "rejected"
    nonsense = client.post(decide_url(row), {"decision": "maybe"}, follow=True)
    assert messages_of(nonsense) == ["error"]


def test_deciding_with_htmx_swaps_in_the_row_with_its_decision(done, coord_rotterdam, client_for):
    row = done.rows.first()
    response = client_for(coord_rotterdam).post(
        decide_url(row), {"decision": "accept"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert fragment.strip().startswith(f'<tr data-testid="proposal-row" id="row-{row.pk}">')
    assert response.context["row"].decision == "accepted"
    assert 'data-testid="accept"' not in fragment  # decided: no more buttons
    assert 'data-testid="row-error"' not in fragment


def test_a_refused_decision_with_htmx_shows_the_error_in_the_row(done, coord_rotterdam, client_for):
    row = done.rows.select_related("opening").first()
    Opening.objects.filter(pk=row.opening_id).update(status=Opening.Status.CLOSED)
    response = client_for(coord_rotterdam).post(
        decide_url(row), {"decision": "accept"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    fragment = response.content.decode()
    assert 'data-testid="row-error"' in fragment
    assert row.opening.title in fragment
    assert 'data-testid="accept"' in fragment  # still open: it may be rejected
    row.refresh_from_db()
    assert row.decision == "open"


def test_a_row_is_not_decided_by_get(done, coord_rotterdam, client_for):
    row = done.rows.first()
    assert client_for(coord_rotterdam).get(decide_url(row)).status_code == 405


# --- Query budgets -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 30])
def test_the_proposal_list_keeps_its_query_budget(
    count, cities, coord_rotterdam, jw_rotterdam, client_for, django_assert_max_num_queries
):
    for _ in range(count):
        done_proposal(cities["rotterdam"], coord_rotterdam, jw_rotterdam, rows=1)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(11):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == min(count, PAGE_SIZE)


@pytest.mark.parametrize("count", [5, 60])
def test_the_proposal_page_keeps_its_query_budget(
    count, cities, coord_rotterdam, jw_rotterdam, client_for, django_assert_max_num_queries
):
    proposal = done_proposal(cities["rotterdam"], coord_rotterdam, jw_rotterdam, rows=count)
    decide(proposal.rows.first(), coord_rotterdam, accept=False)
    client = client_for(coord_rotterdam)
    # 11 for the page and its rows, 7 for why each row shown scores as it does: the weights and
    # the score's reads, once for the whole page.
    with django_assert_max_num_queries(18):
        response = client.get(detail_url(proposal))
    assert len(response.context["page"].object_list) == min(count, PAGE_SIZE)


# --- The tasks ---------------------------------------------------------------------------------


def test_the_task_computes_the_proposal_and_running_it_twice_changes_nothing(
    pool_world, cities, coord_rotterdam
):
    proposal = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
    tasks.run_proposal(proposal.pk)
    proposal.refresh_from_db()
    assert proposal.status == "done"
    rows = set(proposal.rows.values_list("pk", flat=True))
    assert rows
    tasks.run_proposal(proposal.pk)
    assert set(ProposalRow.objects.values_list("pk", flat=True)) == rows


def test_the_beat_task_resends_what_waits_and_is_scheduled_every_minute(cities, coord_rotterdam):
    from django_celery_beat.models import PeriodicTask

    with time_machine.travel(MOMENT, tick=False):
        proposal = proposals.proposal_request(city=cities["rotterdam"], by=coord_rotterdam)
    with (
        time_machine.travel(MOMENT + dt.timedelta(minutes=2), tick=False),
        mock.patch.object(tasks.run_proposal, "delay") as delay,
    ):
        assert tasks.resume_proposals() == {"resent": 1, "failed": 0}
    delay.assert_called_once_with(proposal.pk)

    schedule = PeriodicTask.objects.get(task=tasks.resume_proposals.name)
    assert schedule.enabled
    assert (schedule.interval.every, schedule.interval.period) == (1, "minutes")


def test_each_row_explains_its_score_and_says_when_it_moved_since(
    done, coord_rotterdam, client_for
):
    client = client_for(coord_rotterdam)
    page = client.get(detail_url(done))
    rows = page.context["page"].object_list
    for row in rows:
        assert sum(component.points for component in row.why) == pytest.approx(float(row.score))
        assert row.score_now == row.score
    html = page.content.decode()
    assert html.count('data-testid="row-why"') == len(rows)
    assert 'data-testid="score-now"' not in html

    # The young person of the first row no longer has the skills asked: the score moved.
    first = rows[0]
    YouthSkill.objects.filter(youth=first.youth_id).delete()
    again = client.get(detail_url(done))
    [moved] = [row for row in again.context["page"].object_list if row.pk == first.pk]
    assert moved.score_now < moved.score
    assert sum(c.points for c in moved.why) == pytest.approx(float(moved.score_now))
    assert 'data-testid="score-now"' in again.content.decode()


def test_a_row_swapped_in_after_a_decision_explains_its_score_too(
    done, coord_rotterdam, client_for
):
    row = done.rows.first()
    response = client_for(coord_rotterdam).post(
        decide_url(row), {"decision": "reject"}, HTTP_HX_REQUEST="true"
    )
    assert response.context["row"].why
    assert 'data-testid="row-why"' in response.content.decode()
