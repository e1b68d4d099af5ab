"""Matching's rows about a young person (restart_platform.privacy): shortlists, shares and the
employers they went to, placements and their follow-ups, assignment proposals. Kept on
erasure: openings, employers, statuses, dates, scores (the figures of placements)."""

from django.utils.translation import gettext_lazy as _

from restart_platform.privacy import Section, register

from .models import FollowUp, Placement, ProposalRow, Share, Shortlist

register(
    Section(Shortlist, "youth", _("Shortlists"), scrub=("reason",)),
    Section(
        Share, "youth", _("Shares with employers"), scrub=("withdrawn_reason", "answer_reason")
    ),
    Section(Placement, "youth", _("Placements"), scrub=("end_reason",)),
    Section(FollowUp, "placement__youth", _("Placement follow-ups"), scrub=("reason",)),
    Section(ProposalRow, "youth", _("Matching suggestions in assignment proposals")),
)
