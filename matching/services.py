"""Writes for matching: shortlists, profiles shared with employers and their answers, placements
and their follow-ups. The platform proposes; every write here is a person's decision."""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from employers.models import Contact, Opening
from employers.selectors import employer_of_contact, openings_visible_to
from intake.models import IntakeMeeting
from restart_platform.accounts.access import is_staff_member
from restart_platform.accounts.audit import log_access, record_change
from restart_platform.accounts.models import User
from restart_platform.notifications.services import cancel_reminders, morning_of, plan_reminder
from youth.models import Consent, YoungPerson
from youth.selectors import youth_visible_to
from youth.services import youth_change_journey

from .models import FollowUp, Placement, ScoreWeights, Share, Shortlist
from .scoring import score_matrix
from .selectors import AWAITING_INTAKE, follow_ups_visible_to, suggestions_for_youth

# --- Shortlists and shares (the employer sees a minimised profile, by token) ------------------

SHARED_KIND = "matching.shared"
ANSWERED_KIND = "matching.answered"
INTAKE_PROPOSED_KIND = "matching.intake_proposed"


@transaction.atomic
def shortlist_add(*, youth: YoungPerson, opening: Opening, by: User, reason: str = "") -> Shortlist:
    """Shortlist a young person for an opening, with the score and rank the suggestions gave.

    Choosing someone the suggestions ranked lower is allowed (a person decides); the reason
    given for it is kept so it can be read back. The same pair twice returns the first row.
    """
    if existing := Shortlist.objects.filter(youth=youth, opening=opening).first():
        return existing
    _check_pair_in_scope(youth=youth, opening=opening, by=by)
    if opening.status != Opening.Status.OPEN:
        raise ValidationError(_("Only an open opening can be shortlisted."))
    ranked = [suggestion.match.pk for suggestion in suggestions_for_youth(by, youth)]
    rank = ranked.index(opening.pk) + 1 if opening.pk in ranked else None
    better_ranked_exist = bool(ranked) and rank != 1
    shortlist = Shortlist(
        youth=youth,
        opening=opening,
        score=_score(youth, opening),
        rank=rank,
        reason=reason.strip() if better_ranked_exist else "",
        created_by=by,
    )
    shortlist.full_clean()
    try:
        with transaction.atomic():
            shortlist.save()
    except IntegrityError:  # the same pair, shortlisted at the same moment by someone else
        return Shortlist.objects.get(youth=youth, opening=opening)
    record_change(
        actor=by, target=youth, action="matching.shortlisted", note=f"opening {opening.pk}"
    )
    return shortlist


def _score(youth: YoungPerson, opening: Opening) -> Decimal:
    result = score_matrix([youth.pk], [opening.pk], ScoreWeights.load(), keep_components=False)
    return Decimal(str(round(result.total(youth.pk, opening.pk), 1)))


def _check_pair_in_scope(*, youth: YoungPerson, opening: Opening, by: User) -> None:
    """Matching is for admins and coordinators, within their cities."""
    if not (
        is_staff_member(by)
        and youth_visible_to(by).filter(pk=youth.pk).exists()
        and openings_visible_to(by).filter(pk=opening.pk).exists()
    ):
        raise ValidationError(_("This young person or this opening is outside your cities."))


@transaction.atomic
def share_create(*, shortlist: Shortlist, by: User) -> Share:
    """Share a shortlisted young person's minimised profile with the opening's employer.

    Refused without the young person's active consent to share, outside the user's cities, or
    for an opening that is no longer open. The young person's row is locked first, so parallel
    attempts for one young person take turns and exactly one share is made.
    """
    youth = YoungPerson.objects.select_for_update().get(pk=shortlist.youth_id)
    opening = Opening.objects.select_related("employer").get(pk=shortlist.opening_id)
    _check_pair_in_scope(youth=youth, opening=opening, by=by)
    if not _lock_sharing_consent(youth):
        raise ValidationError(
            _(
                "%(name)s has not given consent to share their profile with employers. Record "
                "the consent on their profile first; nothing was shared."
            )
            % {"name": youth.display_name}
        )
    if opening.status != Opening.Status.OPEN:
        raise ValidationError(_("This opening is no longer open; nothing was shared."))
    if Share.objects.filter(youth=youth, opening=opening, status=Share.Status.ACTIVE).exists():
        raise ValidationError(_("This profile is already shared for this opening."))
    share = Share(youth=youth, opening=opening, shared_by=by)
    share.full_clean()
    try:
        with transaction.atomic():
            share.save()
    except IntegrityError:  # the database holds one active share per pair: the last line
        raise ValidationError(_("This profile is already shared for this opening.")) from None
    record_change(actor=by, target=youth, action="matching.shared", note=f"opening {opening.pk}")
    log_access(user=by, target=youth, action="share")
    _notify_employer(share)
    return share


def _lock_sharing_consent(youth: YoungPerson) -> bool:
    """Whether the sharing consent is active, holding its row until this transaction ends.

    `consent_withdraw` locks the same row: a withdrawal waits for a share being made (and then
    withdraws it), or a share waits for the withdrawal (and then finds no consent).
    """
    return bool(
        Consent.objects.select_for_update()
        .filter(
            youth=youth,
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
            withdrawn_on__isnull=True,
        )
        .values_list("pk", flat=True)
    )


def _portal_users(opening: Opening) -> list[User]:
    return [
        contact.user
        for contact in Contact.objects.filter(
            employer=opening.employer_id, user__isnull=False, user__is_active=True
        ).select_related("user")
    ]


def _shared_key(share: Share, user: User) -> str:
    return f"{SHARED_KIND}:{share.pk}:{user.pk}"


def _notify_employer(share: Share) -> None:
    """The employer's portal users get a link; the e-mail names no one."""
    link = reverse("candidates:candidate_detail", args=[share.token])
    for user in _portal_users(share.opening):
        plan_reminder(
            key=_shared_key(share, user),
            kind=SHARED_KIND,
            recipient=user,
            due_at=timezone.now(),
            link=link,
            target=None,
        )


@transaction.atomic
def share_withdraw(*, share: Share, by: User | None, reason: str) -> Share:
    """Stop sharing a profile: the employer no longer sees it. Withdrawing twice changes nothing."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the profile is withdrawn.")})
    share = Share.objects.select_for_update().select_related("opening").get(pk=share.pk)
    if share.status == Share.Status.WITHDRAWN:
        return share
    share.status, share.withdrawn_at = Share.Status.WITHDRAWN, timezone.now()
    share.withdrawn_reason = reason.strip()[:200]
    share.full_clean()
    share.save(update_fields=["status", "withdrawn_at", "withdrawn_reason"])
    if keys := [_shared_key(share, user) for user in _portal_users(share.opening)]:
        cancel_reminders(keys=keys)
    record_change(
        actor=by,
        target=share.youth,
        action="matching.share_withdrawn",
        note=f"opening {share.opening_id}: {share.withdrawn_reason}",
    )
    return share


def share_withdraw_on_consent_withdrawn(consent: Consent) -> None:
    """Registered with the youth app: the sharing consent is withdrawn, so every share stops
    at once, in the withdrawal's own transaction."""
    if consent.purpose != Consent.Purpose.SHARE_WITH_EMPLOYERS:
        return
    for share in Share.objects.filter(youth=consent.youth_id, status=Share.Status.ACTIVE):
        share_withdraw(share=share, by=consent.withdrawn_by, reason=_("consent withdrawn"))


ANSWERS = (Share.Answer.INTERESTED, Share.Answer.NOT_NOW)


@transaction.atomic
def share_answer(*, share: Share, by: User, answer: str, reason: str = "") -> Share:
    """The employer's answer on a shared profile. "Interested" sends the young person's youth
    worker the intake form, filled in; "not now" needs a reason, and takes that request back.
    The coordinator hears of each answer."""
    share = (
        Share.objects.select_for_update()
        .select_related("opening__employer", "youth")
        .get(pk=share.pk)
    )
    employer = employer_of_contact(by)
    if (
        employer is None
        or share.opening.employer_id != employer.pk
        or share.status != Share.Status.ACTIVE
    ):
        raise ValidationError(_("This candidate is not shared with you."))
    if answer not in ANSWERS:
        raise ValidationError({"answer": _("Answer interested or not now.")})
    if answer == Share.Answer.NOT_NOW and not reason.strip():
        raise ValidationError({"reason": _("Say why not now; it helps the next proposal.")})
    if share.answer == answer and share.answer_reason == reason.strip():
        return share  # the same answer again (a second click): nothing new to tell anyone
    share.answer, share.answered_at, share.answered_by = answer, timezone.now(), by
    share.answer_reason = reason.strip()
    share.full_clean()
    share.save(update_fields=["answer", "answer_reason", "answered_at", "answered_by"])
    if answer == Share.Answer.INTERESTED and _awaits_intake(share):
        # An intake needs a date, a time and a place, which only people can choose: the youth
        # worker gets the intake form with everything else filled in.
        plan_reminder(
            key=_intake_proposed_key(share.pk),
            kind=INTAKE_PROPOSED_KIND,
            due_at=share.answered_at,
            target=share.youth,
            recipient_role="youth_worker",
            link=share.intake_proposal_url,
        )
    elif answer == Share.Answer.NOT_NOW:
        cancel_reminders(keys=[_intake_proposed_key(share.pk)])
    plan_reminder(
        key=f"{ANSWERED_KIND}:{share.pk}:{share.answered_at.timestamp()}",
        kind=ANSWERED_KIND,
        recipient=share.opening.employer.owner,
        due_at=share.answered_at,
        link=reverse("matching:matching_home") + "?show=shares",
    )
    record_change(actor=by, target=share.youth, action="matching.share_answered", note=f"{answer}")
    return share


def _intake_proposed_key(share_id: int) -> str:
    return f"{INTAKE_PROPOSED_KIND}:{share_id}"


def _awaits_intake(share: Share) -> bool:
    return Share.objects.filter(AWAITING_INTAKE, pk=share.pk).exists()


def share_link_intake(meeting: IntakeMeeting) -> None:
    """Registered with the intake app, inside the scheduling's transaction: an intake planned
    for a young person and an opening that an employer said "interested" to is that answer's
    intake, so the employer's portal shows when and where. A share whose intake was cancelled
    takes the new one. The youth worker's request to plan it is no longer needed."""
    if meeting.opening_id is None:
        return
    # Locked, so that of two intakes planned for the pair at the same moment one is linked: the
    # second finds the share linked once the first commits.
    share = (
        Share.objects.select_for_update(of=("self",))
        .filter(AWAITING_INTAKE, youth=meeting.youth_id, opening=meeting.opening_id)
        .first()
    )
    if share is None:
        return
    Share.objects.filter(pk=share.pk).update(intake=meeting)
    cancel_reminders(keys=[_intake_proposed_key(share.pk)])
    record_change(
        actor=meeting.created_by,
        target=meeting.youth,
        action="matching.share_intake_planned",
        note=f"share {share.pk}, {meeting.reference}",
    )


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
    youth_change_journey(youth=youth, to_status=YoungPerson.Journey.PLACED, by=by)
    _plan_follow_ups(placement)
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


def retention_figures(user: User, *, today: dt.date | None = None) -> dict[int, dict]:
    """For each follow-up month: of the placements whose answer is known, how many young people
    were still there, as a count and a percentage (None while nothing is known).

    Known means answered, or left before: a placement that ended on or before that month's
    date (or was answered "not there" at an earlier month) was not there then, even though its
    later follow-ups are no longer asked. Counting only answered follow-ups would leave out
    everyone who left early and make the later months look better than they are. Unanswered
    follow-ups of active placements are unknown, and not counted. One query.
    """
    today = today or timezone.localdate()
    left_earlier = Exists(
        FollowUp.objects.filter(
            placement=OuterRef("placement"), month__lt=OuterRef("month"), still_there=False
        )
    )
    left_before = Q(
        still_there__isnull=True, due_on__lte=today, placement__status=Placement.Status.ENDED
    ) & (Q(placement__ended_on__lte=F("due_on")) | left_earlier)
    rows = (
        follow_ups_visible_to(user)
        .values("month")
        .annotate(
            answered=Count("pk", filter=Q(still_there__isnull=False)),
            stayed=Count("pk", filter=Q(still_there=True)),
            left_before=Count("pk", filter=left_before),
            awaiting=Count(
                "pk",
                filter=Q(
                    still_there__isnull=True,
                    due_on__lte=today,
                    placement__status=Placement.Status.ACTIVE,
                ),
            ),
        )
        .order_by("month")
    )
    counted = {row["month"]: row for row in rows}
    figures = {}
    for month in FollowUp.MONTHS:
        row = counted.get(month, {})
        known = row.get("answered", 0) + row.get("left_before", 0)
        stayed = row.get("stayed", 0)
        figures[month] = {
            "month": month,
            "known": known,
            "still_there": stayed,
            "percentage": round(100 * stayed / known) if known else None,
            "awaiting": row.get("awaiting", 0),
        }
    return figures
