"""Reads for matching, by area like its services: suggestions, shortlists and shares, placements
(with the retention figures), assignment proposals. `from matching import selectors` reaches
them all."""

from .placements import (
    follow_ups_visible_to,
    openings_to_fill,
    placements_filtered,
    placements_for_detail,
    placements_for_list,
    placements_visible_to,
    retention_figures,
    youth_to_place,
)
from .proposals import (
    proposal_row_for_table,
    proposal_rows_filtered,
    proposal_rows_visible_to,
    proposals_for_list,
    proposals_visible_to,
    with_explanations,
)
from .shares import (
    AWAITING_INTAKE,
    CandidateStatus,
    candidate_status,
    employers_interested_in,
    minimised_profile,
    shares_for_employer,
    shares_for_home,
    shares_visible_to,
    shortlists_for_home,
    shortlists_visible_to,
    youth_for_profile,
)
from .suggestions import (
    NOT_ACTIVE,
    SUGGESTIONS,
    Suggestion,
    suggestion_openings_for,
    suggestion_youth_for,
    suggestions_for_opening,
    suggestions_for_youth,
)

__all__ = [
    "AWAITING_INTAKE",
    "NOT_ACTIVE",
    "SUGGESTIONS",
    "CandidateStatus",
    "Suggestion",
    "candidate_status",
    "employers_interested_in",
    "follow_ups_visible_to",
    "minimised_profile",
    "openings_to_fill",
    "placements_filtered",
    "placements_for_detail",
    "placements_for_list",
    "placements_visible_to",
    "proposal_row_for_table",
    "proposal_rows_filtered",
    "proposal_rows_visible_to",
    "proposals_for_list",
    "proposals_visible_to",
    "retention_figures",
    "shares_for_employer",
    "shares_for_home",
    "shares_visible_to",
    "shortlists_for_home",
    "shortlists_visible_to",
    "suggestion_openings_for",
    "suggestion_youth_for",
    "suggestions_for_opening",
    "suggestions_for_youth",
    "with_explanations",
    "youth_for_profile",
    "youth_to_place",
]
