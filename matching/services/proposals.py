"""Assignment proposals: for a city's whole pool at once, the young people and opening places
that give the highest total score. The platform proposes; a coordinator accepts or rejects each
row, and an accepted row becomes a shortlist entry. Nothing is shared or placed by itself.

A large pool takes seconds, so a proposal is computed by a Celery worker, never in a web
request: `proposal_request` stores it as queued and sends the task once the request's
transaction commits; the page polls its progress. If the broker is down at that moment, the
proposal stays queued and beat's `proposals_resume` sends it again a minute later.
"""

import datetime as dt
import logging
import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from employers.models import Opening
from restart_platform.accounts.access import cities_for, is_staff_member
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import City, User
from youth.models import YoungPerson

from ..models import Placement, Proposal, ProposalRow, ScoreWeights, Shortlist
from ..pools import Solution, city_pool, solve
from .shares import shortlist_add

logger = logging.getLogger(__name__)

# A queued proposal that no worker took within this time is sent again (the broker was down).
RESEND_AFTER = dt.timedelta(minutes=1)
# A proposal still running after this long lost its worker; the coordinator may ask again.
GIVE_UP_AFTER = dt.timedelta(minutes=30)


# --- Asking for a proposal, and computing it in the background ---------------------------------


def _check_city(city: City, by: User) -> None:
    if not (is_staff_member(by) and cities_for(by).filter(pk=city.pk).exists()):
        raise ValidationError({"city": _("You can ask for a proposal for your own cities only.")})


def proposal_request(*, city: City, by: User) -> Proposal:
    """Ask for a proposal for a city. While one is waiting or running for that city, that one
    is returned instead of starting a second (the database holds one unfinished per city)."""
    _check_city(city, by)
    with transaction.atomic():
        if unfinished := _unfinished(city):
            return unfinished
        try:
            with transaction.atomic():
                proposal = Proposal.objects.create(city=city, requested_by=by)
        except IntegrityError:  # asked at the same moment by someone else: theirs, done or not
            return Proposal.objects.filter(city=city).order_by("-requested_at", "-pk").first()
        record_change(actor=by, target=proposal, action="matching.proposal_requested")
        transaction.on_commit(lambda: _send(proposal.pk))
    return proposal


def _unfinished(city: City) -> Proposal | None:
    return Proposal.objects.filter(city=city, status__in=Proposal.UNFINISHED).first()


def _send(proposal_id: int) -> None:
    """Hand the proposal to a worker. A broker that is down is not the user's problem: the
    proposal stays queued and `proposals_resume` sends it again."""
    from ..tasks import run_proposal

    try:
        run_proposal.delay(proposal_id)
    except Exception:  # kombu raises several kinds of connection errors
        logger.warning("Proposal %s stays queued: the broker is unavailable", proposal_id)


class GivenUp(Exception):
    """`proposals_resume` failed the proposal while it was still being computed."""


def proposal_run(proposal_id: int) -> Proposal | None:
    """Compute a queued proposal (the worker runs this). Claiming it is one conditional UPDATE,
    so a proposal sent twice is computed once. Progress is written as it goes, outside any
    transaction, so that the page can show it; the rows and the result are saved together."""
    now = timezone.now()
    claimed = Proposal.objects.filter(pk=proposal_id, status=Proposal.Status.QUEUED).update(
        status=Proposal.Status.RUNNING, stage=Proposal.Stage.LOADING, progress=5, started_at=now
    )
    if not claimed:
        return None
    proposal = Proposal.objects.select_related("city").get(pk=proposal_id)
    started = time.perf_counter()

    def progress(stage: str, percent: int) -> None:
        running = Proposal.objects.filter(pk=proposal_id, status=Proposal.Status.RUNNING)
        running.update(stage=stage, progress=percent)

    try:
        solution = solve(city_pool(proposal.city), ScoreWeights.load(), progress=progress)
        progress(Proposal.Stage.SAVING, 90)
        _save_solution(proposal, solution, seconds=time.perf_counter() - started)
    except GivenUp:
        logger.warning(
            "Proposal %s was given up while it was computed; its result is dropped", proposal_id
        )
    except Exception as exc:
        logger.exception("Proposal %s failed", proposal_id)
        Proposal.objects.filter(pk=proposal_id).update(
            status=Proposal.Status.FAILED,
            stage=Proposal.Stage.FINISHED,
            finished_at=timezone.now(),
            error=f"{type(exc).__name__}: {exc}"[:2000],
        )
    proposal.refresh_from_db()
    return proposal


@transaction.atomic
def _save_solution(proposal: Proposal, solution: Solution, *, seconds: float) -> None:
    """The rows and the result together, and only while the proposal is still running: once
    the sweep has failed it, the city may have asked again, and a late result stays out."""
    ProposalRow.objects.bulk_create(
        (
            ProposalRow(
                proposal=proposal,
                youth_id=int(youth),
                opening_id=int(opening),
                score=Decimal(str(round(float(score), 1))),
            )
            for youth, opening, score in zip(
                solution.youth_ids, solution.opening_ids, solution.scores, strict=True
            )
        ),
        batch_size=1000,
    )
    finished = Proposal.objects.filter(pk=proposal.pk, status=Proposal.Status.RUNNING).update(
        status=Proposal.Status.DONE,
        stage=Proposal.Stage.FINISHED,
        progress=100,
        finished_at=timezone.now(),
        minimum_score=solution.minimum_score,
        youth_count=solution.youth_count,
        place_count=solution.place_count,
        total_score=Decimal(str(solution.total)),
        seconds=round(seconds, 2),
    )
    if not finished:
        raise GivenUp  # and the rows just written go with the rollback


def proposals_resume(*, now: dt.datetime | None = None) -> dict[str, int]:
    """Beat runs this every minute: queued proposals no worker took are sent again (claiming
    makes a second delivery harmless), and proposals whose worker was lost are failed, so the
    city can ask again."""
    now = now or timezone.now()
    waiting = list(
        Proposal.objects.filter(
            status=Proposal.Status.QUEUED, requested_at__lte=now - RESEND_AFTER
        ).values_list("pk", flat=True)
    )
    for pk in waiting:
        _send(pk)
    lost = Proposal.objects.filter(
        status=Proposal.Status.RUNNING, started_at__lte=now - GIVE_UP_AFTER
    ).update(
        status=Proposal.Status.FAILED,
        stage=Proposal.Stage.FINISHED,
        finished_at=now,
        error="The worker stopped before the proposal was finished.",
    )
    return {"resent": len(waiting), "failed": lost}


# --- Deciding on a row ---------------------------------------------------------------------------


@transaction.atomic
def proposal_row_decide(*, row: ProposalRow, by: User, accept: bool) -> ProposalRow:
    """Accept (the pair goes on the shortlist) or reject a proposed pair. A decision is final;
    the same decision twice changes nothing."""
    row = (
        ProposalRow.objects.select_for_update()
        .select_related("proposal", "youth", "opening")
        .get(pk=row.pk)
    )
    _check_city(row.proposal.city, by)
    wanted = ProposalRow.Decision.ACCEPTED if accept else ProposalRow.Decision.REJECTED
    if row.decision == wanted:
        return row
    if row.decision != ProposalRow.Decision.OPEN:
        raise ValidationError(_("This row was decided already."))
    shortlist: Shortlist | None = None
    if accept:
        _check_still_free(row.opening)
        _check_still_available(row.youth)
        shortlist = shortlist_add(
            youth=row.youth, opening=row.opening, by=by, reason=_proposal_reason(row.proposal)
        )
    row.decision, row.decided_by, row.decided_at = wanted, by, timezone.now()
    row.shortlist = shortlist
    row.full_clean(validate_constraints=False)
    row.save(update_fields=["decision", "decided_by", "decided_at", "shortlist"])
    record_change(
        actor=by,
        target=row.proposal,
        action=f"matching.proposal_row_{wanted}",
        note=f"young person {row.youth_id}, opening {row.opening_id}",
    )
    return row


def _proposal_reason(proposal: Proposal) -> str:
    """Stored text, read back by everyone: in the platform's language, not the clicker's."""
    with translation.override(settings.LANGUAGE_CODE):
        when = date_format(timezone.localtime(proposal.requested_at), "SHORT_DATE_FORMAT")
        return _("Chosen from the assignment proposal of %(date)s.") % {"date": when}


def _check_still_available(youth: YoungPerson) -> None:
    """Nor is the young person still in the pool by necessity: placed, left or merged since."""
    placed = Placement.objects.filter(youth=youth, status=Placement.Status.ACTIVE).exists()
    if (
        placed
        or youth.merged_into_id is not None
        or youth.journey in (YoungPerson.Journey.PLACED, YoungPerson.Journey.LEFT)
    ):
        raise ValidationError(
            _(
                "%(youth)s was placed, left the programme or was merged since this proposal, so "
                "this row cannot be accepted; it stays undecided. Reject it, or compute a new "
                "proposal."
            )
            % {"youth": youth.case_reference}
        )


def _check_still_free(opening: Opening) -> None:
    """The proposal is a snapshot: its opening may have closed or filled up since."""
    if opening.status != Opening.Status.OPEN or opening.filled_places >= opening.places:
        raise ValidationError(
            _(
                "%(opening)s is no longer open or has no free place left, so this row cannot "
                "be accepted; it stays undecided. Reject it, or compute a new proposal."
            )
            % {"opening": opening.title}
        )
