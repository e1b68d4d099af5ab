"""Two records of one young person merged: matching's rows follow the record kept."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import User
from restart_platform.privacy import erase_sections
from youth.models import YoungPerson
from youth.services import youth_change_journey

from ..models import Placement, ProposalRow, Share, Shortlist
from .shares import share_withdraw


@transaction.atomic
def matching_move_records(*, from_youth: YoungPerson, to_youth: YoungPerson, by: User) -> None:
    """Shortlists, shares, placements (their follow-ups and reminders concern the placement and
    follow it) and proposal rows move one by one, so the change history records each move.

    Where both records hold the same thing, the record kept wins: a second shortlist entry for
    the same opening goes, a second active share for it is withdrawn first. Two active
    placements cannot be merged by a machine: a person ends one first.
    """
    placements = list(Placement.objects.filter(youth=from_youth).select_for_update())
    active = [placement for placement in placements if placement.status == Placement.Status.ACTIVE]
    if active and Placement.objects.filter(youth=to_youth, status=Placement.Status.ACTIVE).exists():
        raise ValidationError(
            _("Both records have an active placement. End one of them first; nothing was merged.")
        )
    _move_shortlists(from_youth, to_youth, by=by)
    _move_shares(from_youth, to_youth, by=by)
    _move(placements, to=to_youth)
    _move(ProposalRow.objects.filter(youth=from_youth), to=to_youth)
    if active and to_youth.journey != YoungPerson.Journey.PLACED:
        youth_change_journey(youth=to_youth, to_status=YoungPerson.Journey.PLACED, by=by)


def _move(rows, *, to: YoungPerson) -> None:
    for row in rows:
        row.youth = to
        row.save(update_fields=["youth"])


def _move_shortlists(from_youth: YoungPerson, to_youth: YoungPerson, *, by: User) -> None:
    on_keep = set(Shortlist.objects.filter(youth=to_youth).values_list("opening_id", flat=True))
    for entry in Shortlist.objects.filter(youth=from_youth):
        if entry.opening_id in on_keep:
            record_change(
                actor=by,
                target=to_youth,
                action="matching.shortlist_merged",
                note=f"opening {entry.opening_id}: held by both records",
            )
            entry.delete()
        else:
            _move([entry], to=to_youth)


def _move_shares(from_youth: YoungPerson, to_youth: YoungPerson, *, by: User) -> None:
    active_on_keep = set(
        Share.objects.filter(youth=to_youth, status=Share.Status.ACTIVE).values_list(
            "opening_id", flat=True
        )
    )
    for share in Share.objects.filter(youth=from_youth):
        if share.status == Share.Status.ACTIVE and share.opening_id in active_on_keep:
            share = share_withdraw(share=share, by=by, reason=_("records merged"))
        _move([share], to=to_youth)


@transaction.atomic
def matching_erase_records(*, youth: YoungPerson, by: User | None) -> int:
    """AVG erasure: the employers stop seeing the profile (active shares are withdrawn), then
    matching's rows about the young person lose their free text in place (matching/privacy.py);
    statuses, dates and employers stay for the figures."""
    for share in Share.objects.filter(youth=youth).exclude(status=Share.Status.WITHDRAWN):
        share_withdraw(share=share, by=by, reason="AVG")
    return erase_sections("matching", youth)
