"""Reads for the matching parts of pages: the suggestions on a young person's profile and on an
opening, computed over what the user may see.

A suggestion is a proposal for a person to weigh, never a decision: each one carries the
components of its score and a sentence per component, so the coordinator sees why.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from employers.models import Employer, Opening
from employers.selectors import openings_visible_to
from intake.models import IntakeMeeting, IntakeRecord
from restart_platform.accounts.access import scope_q
from restart_platform.accounts.models import User
from youth.models import WEEKDAYS, Consent, YoungPerson, parse_case_reference
from youth.selectors import active_consent, youth_visible_to

from .models import FollowUp, Placement, Proposal, ProposalRow, ScoreWeights, Share, Shortlist
from .scoring import Component, ScoreResult, explain, score_matrix

SUGGESTIONS = 10
# Placed young people are not offered again, and those who left are no longer in the programme.
NOT_ACTIVE = (YoungPerson.Journey.PLACED, YoungPerson.Journey.LEFT)


@dataclass(frozen=True)
class Suggestion:
    match: Opening | YoungPerson  # the other side: an opening for a young person, or the reverse
    score: float  # 0 to 100
    components: list[Component]  # their points add up to the score


def suggestion_openings_for(user: User) -> QuerySet[Opening]:
    """The ids of the open openings the user may see."""
    return (
        openings_visible_to(user)
        .filter(status=Opening.Status.OPEN)
        .order_by()
        .values_list("pk", flat=True)
    )


def suggestion_youth_for(user: User) -> QuerySet[YoungPerson]:
    """The ids of the active young people the user may see (merged records are left out)."""
    return (
        youth_visible_to(user)
        .exclude(journey__in=NOT_ACTIVE)
        .order_by()
        .values_list("pk", flat=True)
    )


def suggestions_for_youth(user: User, youth: YoungPerson, n: int = SUGGESTIONS) -> list[Suggestion]:
    """The n best open openings for a young person, best first, none below the minimum score."""
    weights = ScoreWeights.load()
    result = score_matrix([youth.pk], suggestion_openings_for(user), weights)
    if not result.youth_ids.size:
        return []
    best = _best(result.opening_ids, result.totals[0], weights.minimum_score, n)
    openings = Opening.objects.select_related("employer", "employer__city").in_bulk(best)
    return [_suggestion(result, openings[pk], youth.pk, pk) for pk in best]


def suggestions_for_opening(user: User, opening: Opening, n: int = SUGGESTIONS) -> list[Suggestion]:
    """The n best active young people for an opening, best first, none below the minimum score."""
    weights = ScoreWeights.load()
    result = score_matrix(suggestion_youth_for(user), [opening.pk], weights)
    if not result.opening_ids.size:
        return []
    best = _best(result.youth_ids, result.totals[:, 0], weights.minimum_score, n)
    youth = YoungPerson.objects.select_related("city").in_bulk(best)
    return [_suggestion(result, youth[pk], pk, opening.pk) for pk in best]


def _best(ids: np.ndarray, scores: np.ndarray, minimum: int, n: int) -> list[int]:
    """Ids of the n highest scores at or above the minimum; ties go to the lowest id, so that
    the same data always gives the same list."""
    order = np.lexsort((ids, -scores))  # the last key sorts first
    order = order[scores[order] >= minimum][:n]
    return [int(pk) for pk in ids[order]]


def _suggestion(result: ScoreResult, match, youth_id: int, opening_id: int) -> Suggestion:
    return Suggestion(
        match=match,
        score=result.total(youth_id, opening_id),
        components=explain(result, youth_id, opening_id),
    )


# --- Shortlists and shares ---------------------------------------------------------------------


def shortlists_visible_to(user: User) -> QuerySet[Shortlist]:
    """Admins all; coordinators those of the young people of their cities."""
    return Shortlist.objects.filter(scope_q(user, city="youth__city"), youth__merged_into=None)


def shortlists_for_home(user: User) -> QuerySet[Shortlist]:
    """The shortlist as the matching page shows it: whether each pair is shared, and may be."""
    shared = Share.objects.filter(
        youth=OuterRef("youth"), opening=OuterRef("opening"), status=Share.Status.ACTIVE
    )
    consent = Consent.objects.filter(
        youth=OuterRef("youth"),
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
        withdrawn_on__isnull=True,
    )
    return (
        shortlists_visible_to(user)
        .select_related("youth", "opening__employer", "created_by")
        .annotate(is_shared=Exists(shared), has_sharing_consent=Exists(consent))
    )


# An employer said "interested" and no intake is planned for it yet (or the one planned was
# cancelled): someone should plan one.
AWAITING_INTAKE = Q(status=Share.Status.ACTIVE, answer=Share.Answer.INTERESTED) & (
    Q(intake=None) | Q(intake__status=IntakeMeeting.Status.CANCELLED)
)


def _awaiting_intake() -> Case:
    return Case(When(AWAITING_INTAKE, then=Value(True)), default=Value(False))


def shares_visible_to(user: User) -> QuerySet[Share]:
    return Share.objects.filter(scope_q(user, city="youth__city"), youth__merged_into=None)


def shares_for_home(user: User, filters: dict) -> QuerySet[Share]:
    """With the intake planned for an "interested" answer, and whether one still awaits."""
    shares = (
        shares_visible_to(user)
        .select_related("youth", "opening__employer", "shared_by", "answered_by", "intake")
        .annotate(awaits_intake=_awaiting_intake())
    )
    for field in ("status", "answer"):
        if filters.get(field):
            shares = shares.filter(**{field: filters[field]})
    return shares


def with_employers_interested(youth: QuerySet[YoungPerson]) -> QuerySet[YoungPerson]:
    """Registered with the youth app for the profile page: the active shares an employer said
    "interested" to that still await an intake, as `employers_interested` (one query)."""
    interested = (
        Share.objects.filter(AWAITING_INTAKE)
        .select_related("opening__employer", "answered_by")
        .order_by("answered_at", "pk")
    )
    return youth.prefetch_related(
        Prefetch("shares", queryset=interested, to_attr="employers_interested")
    )


def youth_for_profile() -> QuerySet[YoungPerson]:
    """Young people with what their minimised profile shows, in a fixed number of queries."""
    motivation = (
        IntakeRecord.objects.filter(
            meeting__youth=OuterRef("pk"), status=IntakeRecord.Status.FINISHED
        )
        .order_by("-finished_at", "-pk")
        .values("motivation_words")[:1]
    )
    return (
        YoungPerson.objects.select_related("city")
        .prefetch_related("interests", "skills")
        .annotate(
            latest_motivation=Subquery(motivation),
            has_sharing_consent=Exists(active_consent(Consent.Purpose.SHARE_WITH_EMPLOYERS)),
        )
    )


def sharing_consent_live() -> Exists:
    """The young person of the row (a share) has a sharing consent that is not withdrawn."""
    return Exists(
        Consent.objects.filter(
            youth=OuterRef("youth"),
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
            withdrawn_on__isnull=True,
        )
    )


# What an employer may read of a share: it is active, and the consent behind it holds now. The
# consent is read live, in the same query, so a consent withdrawn by any path (the service, the
# admin, a raw update) hides the profile at once, whether or not the share was stopped.
READABLE = Q(status=Share.Status.ACTIVE, youth__merged_into=None) & Q(sharing_consent_live())


def shares_for_employer(employer: Employer | None) -> QuerySet[Share]:
    """The one way an employer reads shares: the profiles shared with an employer, for its
    portal, each with `readable` (see READABLE; only a readable share shows its profile), the
    intake planned for it, and the start of the young person's latest placement at one of this
    employer's openings (any opening of theirs: that is what the employer sees)."""
    if employer is None:
        return Share.objects.none()
    # Placed with this employer now: an ended placement no longer speaks for the candidate.
    placed = Placement.objects.filter(
        youth=OuterRef("youth"), opening__employer=employer, status=Placement.Status.ACTIVE
    ).order_by("-start_date", "-pk")
    return (
        Share.objects.filter(opening__employer=employer)
        .filter(Q(status=Share.Status.WITHDRAWN) | Q(youth__merged_into=None))
        .select_related("opening", "intake")
        .annotate(
            placed_since=Subquery(placed.values("start_date")[:1]),
            readable=Case(When(READABLE, then=Value(True)), default=Value(False)),
        )
        .prefetch_related(Prefetch("youth", queryset=youth_for_profile()))
    )


def share_readable_by(employer: Employer | None, **lookup) -> Share | None:
    """One share the employer may read now (see READABLE), or None."""
    return shares_for_employer(employer).filter(READABLE, **lookup).first()


class CandidateStatus:
    """Where a shared candidate stands, as the employer's portal tells it."""

    WAITING = "waiting"  # for the employer's answer
    INTERESTED = "interested"  # an intake is being planned
    INTAKE_PLANNED = "intake_planned"
    NOT_NOW = "not_now"
    PLACED = "placed"  # at one of this employer's openings
    WITHDRAWN = "withdrawn"


def candidate_status(share: Share) -> str:
    """One of CandidateStatus, for a share loaded through `shares_for_employer`. A withdrawn
    share, or one whose consent was withdrawn, says nothing more; a placement outweighs any
    answer."""
    if not share.readable:
        return CandidateStatus.WITHDRAWN
    if share.placed_since is not None:
        return CandidateStatus.PLACED
    if share.answer == Share.Answer.PENDING:
        return CandidateStatus.WAITING
    if share.answer == Share.Answer.NOT_NOW:
        return CandidateStatus.NOT_NOW
    if share.intake is not None and share.intake.status == IntakeMeeting.Status.SCHEDULED:
        return CandidateStatus.INTAKE_PLANNED
    return CandidateStatus.INTERESTED


def minimised_profile(youth: YoungPerson) -> dict:
    """The only things about a young person an employer ever sees.

    Never contact details, address, date of birth, barriers, notes or school records: this dict
    is all the portal and the sharing page render, so what is not here cannot leak. Load the
    young person through `youth_for_profile` to keep it to a fixed number of queries.
    """
    if hasattr(youth, "latest_motivation"):
        words = youth.latest_motivation
    else:
        words = (
            IntakeRecord.objects.filter(meeting__youth=youth, status=IntakeRecord.Status.FINISHED)
            .order_by("-finished_at", "-pk")
            .values_list("motivation_words", flat=True)
            .first()
        )
    return {
        "name": f"{youth.display_name} {youth.last_name[:1]}.".strip(),
        "age": youth.age,
        "city": youth.city.name,
        "interests": sorted(str(area) for area in youth.interests.all()),
        "skills": sorted(str(skill) for skill in youth.skills.all()),
        "motivation": (words or "").strip() or youth.ambitions,
        "available_days": [str(label) for code, label in WEEKDAYS if code in youth.available_days],
        "available_hours": youth.available_hours,
        "available_from": youth.available_from,
        "progress": youth.get_journey_display(),
    }


# --- Placements and their follow-ups ----------------------------------------------------------


def placements_visible_to(user: User) -> QuerySet[Placement]:
    """Admins all; coordinators the placements of the young people of their cities."""
    return Placement.objects.filter(scope_q(user, city="youth__city"), youth__merged_into=None)


def follow_ups_visible_to(user: User) -> QuerySet[FollowUp]:
    return FollowUp.objects.filter(
        scope_q(user, city="placement__youth__city"), placement__youth__merged_into=None
    )


def placements_for_list(user: User) -> QuerySet[Placement]:
    """With the young person, the opening and its employer, and the date of the next follow-up
    still to be answered (none once the placement ended)."""
    return (
        placements_visible_to(user)
        .select_related("youth", "youth__city", "opening", "opening__employer")
        .annotate(
            next_follow_up_on=Min(
                "follow_ups__due_on",
                filter=Q(follow_ups__still_there__isnull=True, status=Placement.Status.ACTIVE),
            )
        )
        .order_by("-start_date", "-pk")  # grouped queries drop the model's ordering
    )


def _youth_or_opening_matches(query: str) -> Q:
    """A search box over pairs: the young person's names or case reference, the opening's title
    or its employer's name."""
    matches = (
        Q(youth__first_name__icontains=query)
        | Q(youth__preferred_name__icontains=query)
        | Q(youth__last_name__icontains=query)
        | Q(opening__title__icontains=query)
        | Q(opening__employer__name__icontains=query)
    )
    if (pk := parse_case_reference(query)) is not None:
        matches |= Q(youth__pk=pk)
    return matches


def placements_filtered(user: User, filters: dict, *, today: date) -> QuerySet[Placement]:
    """The placements list after its search box and filters."""
    placements = placements_for_list(user)
    if query := (filters.get("q") or "").strip():
        placements = placements.filter(_youth_or_opening_matches(query))
    if filters.get("status"):
        placements = placements.filter(status=filters["status"])
    if filters.get("city"):
        placements = placements.filter(youth__city=filters["city"])
    if filters.get("follow_up_due"):
        placements = placements.filter(next_follow_up_on__lte=today)
    return placements


def placements_for_detail(user: User) -> QuerySet[Placement]:
    return (
        placements_for_list(user)
        .select_related("created_by")
        .prefetch_related(
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("answered_by"))
        )
    )


def youth_to_place(user: User) -> QuerySet[YoungPerson]:
    """The young people a placement may be recorded for: in the user's scope, still in the
    programme, and not placed at the moment."""
    active = Placement.objects.filter(youth=OuterRef("pk"), status=Placement.Status.ACTIVE)
    return (
        youth_visible_to(user)
        .exclude(journey=YoungPerson.Journey.LEFT)
        .exclude(Exists(active))
        .select_related("city")
        .order_by("last_name", "first_name", "pk")
    )


def openings_to_fill(user: User) -> QuerySet[Opening]:
    """The open openings the user may see that have a place left."""
    return (
        openings_visible_to(user)
        .filter(status=Opening.Status.OPEN, filled_places__lt=F("places"))
        .select_related("employer")
        .order_by("employer__name", "title", "pk")
    )


def placements_at_employer(employer) -> int:
    """How many young people were placed at the employer's openings (active or ended)."""
    return Placement.objects.filter(opening__employer=employer).count()


# --- Assignment proposals ----------------------------------------------------------------------


def proposals_visible_to(user: User) -> QuerySet[Proposal]:
    """Admins all; coordinators the proposals of their cities."""
    return Proposal.objects.filter(scope_q(user, city="city"))


def proposals_for_list(user: User) -> QuerySet[Proposal]:
    """With the number of rows accepted, rejected and still open, in one query."""
    return (
        proposals_visible_to(user)
        .select_related("city", "requested_by")
        .annotate(
            rows_open=Count("rows", filter=Q(rows__decision=ProposalRow.Decision.OPEN)),
            rows_accepted=Count("rows", filter=Q(rows__decision=ProposalRow.Decision.ACCEPTED)),
            rows_rejected=Count("rows", filter=Q(rows__decision=ProposalRow.Decision.REJECTED)),
            rows_total=Count("rows"),
        )
        .order_by("-requested_at", "-pk")
    )


def proposal_rows_visible_to(user: User) -> QuerySet[ProposalRow]:
    return ProposalRow.objects.filter(scope_q(user, city="proposal__city"))


def proposal_rows_filtered(proposal: Proposal, filters: dict) -> QuerySet[ProposalRow]:
    """A proposal's rows for its table: best first, after the search box and the decision."""
    rows = proposal.rows.select_related(
        "youth", "opening__employer", "decided_by", "proposal__city"
    ).order_by("-score", "pk")
    if query := (filters.get("q") or "").strip():
        rows = rows.filter(_youth_or_opening_matches(query))
    if filters.get("decision"):
        rows = rows.filter(decision=filters["decision"])
    return rows


def proposal_row_for_table(row: ProposalRow) -> ProposalRow:
    """One row again, as the table shows it (after a decision swapped it in place)."""
    [row] = with_explanations([proposal_rows_filtered(row.proposal, {}).get(pk=row.pk)])
    return row


def with_explanations(rows: list[ProposalRow]) -> list[ProposalRow]:
    """Each row with why its pair scores as it does now (`why`, the components) and that score
    (`score_now`): the proposal keeps the score of its moment, which data changed since may have
    moved. One scoring of the rows shown, in a fixed number of queries."""
    if not rows:
        return rows
    result = score_matrix(
        [row.youth_id for row in rows], [row.opening_id for row in rows], ScoreWeights.load()
    )
    for row in rows:
        row.why = explain(result, row.youth_id, row.opening_id)
        # As the stored score is kept: a Decimal with one decimal, so the two compare.
        row.score_now = Decimal(str(result.total(row.youth_id, row.opening_id)))
    return rows
