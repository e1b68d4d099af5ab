"""Reads for assignment proposals and their rows, each row with why its pair scores as it does."""

from decimal import Decimal

from django.db.models import (
    Count,
    Q,
    QuerySet,
)

from restart_platform.accounts.access import scope_q
from restart_platform.accounts.models import User

from ..explanations import explain
from ..models import Proposal, ProposalRow, ScoreWeights
from ..scoring import score_matrix
from .placements import _youth_or_opening_matches


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
