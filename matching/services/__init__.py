"""Writes for matching, by what they write: shortlists and shares with their answers, placements
and their follow-ups, assignment proposals. `from matching import services` reaches them all."""

from .features import feature_changes_prune
from .merge import matching_erase_records, matching_move_records
from .placements import (
    FOLLOW_UP_KIND,
    follow_up_answer,
    follow_up_plan_reminder,
    placement_create,
    placement_end,
)
from .proposals import proposal_request, proposal_row_decide, proposal_run, proposals_resume
from .shares import (
    ANSWERED_KIND,
    ANSWERS,
    INTAKE_PROPOSED_KIND,
    SHARED_KIND,
    share_answer,
    share_create,
    share_link_intake,
    share_withdraw,
    shares_stop_on_consent_withdrawn,
    shortlist_add,
)

__all__ = [
    "ANSWERED_KIND",
    "ANSWERS",
    "FOLLOW_UP_KIND",
    "INTAKE_PROPOSED_KIND",
    "SHARED_KIND",
    "feature_changes_prune",
    "follow_up_answer",
    "follow_up_plan_reminder",
    "matching_erase_records",
    "matching_move_records",
    "placement_create",
    "placement_end",
    "proposal_request",
    "proposal_row_decide",
    "proposal_run",
    "proposals_resume",
    "share_answer",
    "share_create",
    "share_link_intake",
    "share_withdraw",
    "shares_stop_on_consent_withdrawn",
    "shortlist_add",
]
