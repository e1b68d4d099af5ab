"""Placements and their follow-ups at 1, 3, 6 and 12 months: is the young person still there?"""

import datetime as dt

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, F, Value, When
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from employers.models import Opening
from employers.selectors import openings_visible_to
from employers.services import employer_record_placement
from restart_platform.accounts.access import is_staff_member
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import User
from restart_platform.events import publish
from restart_platform.notifications.services import cancel_reminders, morning_of, plan_reminder
from youth.models import YoungPerson
from youth.selectors import youth_visible_to
from youth.services import youth_change_journey

from ..events import PlacementEnded, PlacementStarted
from ..models import FollowUp, Placement

# --- Placements and their follow-ups (is the young person still there?) -----------------------

FOLLOW_UP_KIND = "matching.follow_up"


def _follow_up_key(placement_id: int, month: int) -> str:
    return f"{FOLLOW_UP_KIND}:{placement_id}:{month}"


def _check_youth_in_scope(*, youth: YoungPerson, by: User) -> None:
    """Placements are recorded by admins and by the coordinators of the young person's city."""
    if not (is_staff_member(by) and youth_visible_to(by).filter(pk=youth.pk).exists()):
        raise ValidationError({"youth": _("This young person is outside your cities.")})


def _check_opening_has_a_place(opening: Opening) -> None:
    if opening.status == Opening.Status.CLOSED:
        raise ValidationError({"opening": _("This opening is closed; nothing was saved.")})
    if opening.status == Opening.Status.FILLED or opening.filled_places >= opening.places:
        raise ValidationError(
            {"opening": _("Every place of this opening is filled; nothing was saved.")}
        )


def _already_placed_error(youth: YoungPerson) -> ValidationError:
    return ValidationError(
        {
            "youth": _(
                "%(name)s already has an active placement; end that one first. Nothing was saved."
            )
            % {"name": youth.display_name}
        }
    )


@transaction.atomic
def placement_create(
    *,
    youth: YoungPerson,
    opening: Opening,
    by: User,
    start_date: dt.date,
    hours_per_week: int,
    agreement: str,
) -> Placement:
    """Place a young person at an opening: it fills a place, the journey moves to placed, and
    the follow-ups at 1, 3, 6 and 12 months are planned. A failure anywhere leaves nothing.

    The opening's row is locked first, so two placements racing for its last place take turns
    and the second finds it full. The database refuses overfilling and a second active
    placement of one young person in any case.
    """
    opening = Opening.objects.select_for_update().get(pk=opening.pk)
    _check_youth_in_scope(youth=youth, by=by)
    if not openings_visible_to(by).filter(pk=opening.pk).exists():
        raise ValidationError({"opening": _("This opening is outside your cities.")})
    if youth.journey == YoungPerson.Journey.LEFT:
        raise ValidationError(
            {"youth": _("%(name)s has left the programme.") % {"name": youth.display_name}}
        )
    _check_opening_has_a_place(opening)
    if Placement.objects.filter(youth=youth, status=Placement.Status.ACTIVE).exists():
        raise _already_placed_error(youth)
    if not 1 <= hours_per_week <= 60:
        raise ValidationError({"hours_per_week": _("Between 1 and 60 hours a week.")})
    placement = Placement(
        youth=youth,
        opening=opening,
        start_date=start_date,
        hours_per_week=hours_per_week,
        agreement=agreement,
        created_by=by,
    )
    placement.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            placement.save()
    except IntegrityError:  # placed elsewhere at the same moment: the database said no
        raise _already_placed_error(youth) from None
    _fill_a_place(opening)
    employer_record_placement(employer=opening.employer, on=start_date)
    youth_change_journey(youth=youth, to_status=YoungPerson.Journey.PLACED, by=by)
    _plan_follow_ups(placement)
    publish(PlacementStarted(placement=placement, by=by))
    record_change(
        actor=by,
        target=youth,
        action="matching.placed",
        note=f"placement {placement.pk}, opening {opening.pk}",
    )
    return placement


def _fill_a_place(opening: Opening) -> None:
    """One place more is filled (counted in the database); the last one makes it filled."""
    Opening.objects.filter(pk=opening.pk).update(
        filled_places=F("filled_places") + 1, updated_at=timezone.now()
    )
    opening.refresh_from_db(fields=["filled_places"])
    if opening.filled_places >= opening.places:
        Opening.objects.filter(pk=opening.pk).update(status=Opening.Status.FILLED)
        opening.status = Opening.Status.FILLED


def _free_a_place(opening_id: int) -> None:
    """A place is free again; a filled opening takes placements again (a closed one stays so)."""
    # One UPDATE, so the count and the status change together, whoever else is placing.
    Opening.objects.filter(pk=opening_id, filled_places__gt=0).update(
        filled_places=F("filled_places") - 1,
        status=Case(
            When(status=Opening.Status.FILLED, then=Value(Opening.Status.OPEN)),
            default=F("status"),
        ),
        updated_at=timezone.now(),
    )


def _plan_follow_ups(placement: Placement) -> None:
    follow_ups = FollowUp.objects.bulk_create(
        FollowUp(
            placement=placement,
            month=month,
            due_on=placement.start_date + relativedelta(months=month),
        )
        for month in FollowUp.MONTHS
    )
    for follow_up in follow_ups:
        follow_up_plan_reminder(follow_up=follow_up, placement=placement)


def follow_up_plan_reminder(*, follow_up: FollowUp, placement: Placement) -> None:
    """The morning a follow-up is due, the employer's relationship owner is asked to answer it.

    Planning it again (a moved start date) moves the reminder that is still pending.
    """
    plan_reminder(
        key=_follow_up_key(placement.pk, follow_up.month),
        kind=FOLLOW_UP_KIND,
        due_at=morning_of(follow_up.due_on),
        target=placement,
        recipient_role="coordinator",
        city=placement.youth.city,
    )


@transaction.atomic
def placement_end(*, placement: Placement, by: User, ended_on: dt.date, reason: str) -> Placement:
    """End a placement: its place is free again and its remaining follow-ups are not asked.

    The young person's journey stays as it is: what comes next (the programme again, another
    placement, leaving) is a decision of its own, made on their profile.
    """
    placement = Placement.objects.select_for_update().select_related("youth").get(pk=placement.pk)
    _check_youth_in_scope(youth=placement.youth, by=by)
    if placement.status == Placement.Status.ENDED:
        raise ValidationError(_("This placement has ended already."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the placement ended.")})
    if ended_on < placement.start_date:
        raise ValidationError({"ended_on": _("A placement cannot end before its start date.")})
    if ended_on > timezone.localdate():
        raise ValidationError({"ended_on": _("Record an end once it happened, not ahead.")})
    placement.status, placement.ended_on = Placement.Status.ENDED, ended_on
    placement.end_reason = reason.strip()
    placement.full_clean(validate_constraints=False)
    placement.save(update_fields=["status", "ended_on", "end_reason"])
    _free_a_place(placement.opening_id)
    cancel_reminders(about=placement, kind=FOLLOW_UP_KIND)
    publish(PlacementEnded(placement=placement, by=by))
    record_change(
        actor=by,
        target=placement.youth,
        action="matching.placement_ended",
        note=f"placement {placement.pk}: {placement.end_reason}",
    )
    return placement


@transaction.atomic
def follow_up_answer(
    *, follow_up: FollowUp, by: User, still_there: bool, reason: str = ""
) -> FollowUp:
    """Record whether the young person is still at the workplace. "No" needs a reason and ends
    the placement today, which also stops the later follow-ups."""
    follow_up = (
        FollowUp.objects.select_for_update().select_related("placement__youth").get(pk=follow_up.pk)
    )
    placement = follow_up.placement
    _check_youth_in_scope(youth=placement.youth, by=by)
    if follow_up.answered_at is not None:
        raise ValidationError(_("This follow-up is answered already."))
    if placement.status != Placement.Status.ACTIVE:
        raise ValidationError(_("This placement has ended; its follow-ups are no longer asked."))
    if follow_up.due_on > timezone.localdate():
        raise ValidationError(
            _("This follow-up is due on %(date)s; answer it from then on.")
            % {"date": date_format(follow_up.due_on, "SHORT_DATE_FORMAT")}
        )
    if not still_there and not reason.strip():
        raise ValidationError({"reason": _("Say why the young person is no longer there.")})
    follow_up.still_there = still_there
    follow_up.reason = "" if still_there else reason.strip()
    follow_up.answered_at, follow_up.answered_by = timezone.now(), by
    follow_up.full_clean(validate_constraints=False)
    follow_up.save(update_fields=["still_there", "reason", "answered_at", "answered_by"])
    cancel_reminders(keys=[_follow_up_key(placement.pk, follow_up.month)])
    record_change(
        actor=by,
        target=placement.youth,
        action="matching.follow_up_answered",
        note=f"placement {placement.pk}, month {follow_up.month}: "
        + ("still there" if still_there else follow_up.reason),
    )
    if not still_there:
        placement_end(placement=placement, by=by, ended_on=timezone.localdate(), reason=reason)
    return follow_up
