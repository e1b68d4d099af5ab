"""Writes of the buddy programme: pairs from proposal to close, check-ins, concerns, and the
reactions to placements ending, records merging and consent being withdrawn.

Every service re-checks what the form already offered (the mentor works at the placement's
employer, the pair is within the user's scope): a posted id from elsewhere is refused here too.
"""

import datetime as dt
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.selectors import employers_visible_to
from matching.models import Placement
from matching.selectors.placements import placements_visible_to
from restart_platform.accounts.access import is_staff_member
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import User
from restart_platform.notifications.services import cancel_reminders, morning_of, plan_reminder
from restart_platform.privacy import erase_sections
from youth.models import Consent, YoungPerson
from youth.selectors import youth_visible_to

from .models import (
    OPEN_STATUSES,
    RATING_FIELDS,
    BuddyProfile,
    CheckIn,
    Concern,
    Mentor,
    Pair,
    PairScoreWeights,
)
from .scoring import score_mentors
from .selectors import mentors_visible_to, pairs_visible_to

NO_CHECKIN_WEEKS = 8  # the coordinator hears of a pair without a check-in this long
REVIEW_MONTHS = 12
PLAN_REVIEW_MONTHS = 11
# The reminders that run with a pair's relationship and stop when it closes.
CADENCE_KINDS = ("buddy.checkin_due", "buddy.no_checkin", "buddy.month_11", "buddy.review")


def _check_staff_in_scope(*, pair: Pair, by: User) -> None:
    if not (is_staff_member(by) and pairs_visible_to(by).filter(pk=pair.pk).exists()):
        raise ValidationError(_("This buddy pair is outside your cities."))


def _check_in_scope(*, pair: Pair, by: User) -> None:
    if not pairs_visible_to(by).filter(pk=pair.pk).exists():
        raise ValidationError(_("This buddy pair is not one of yours."))


def _locked_open_pair(pair: Pair) -> Pair:
    pair = Pair.objects.select_for_update().get(pk=pair.pk)
    if not pair.is_open:
        raise ValidationError(_("This buddy pair is closed; nothing was saved."))
    return pair


def has_buddy_consent(youth: YoungPerson) -> bool:
    return Consent.objects.filter(
        youth=youth, purpose=Consent.Purpose.BUDDY_CONTACT, withdrawn_on__isnull=True
    ).exists()


# --- Proposing, kick-off, closing ------------------------------------------------------------


@transaction.atomic
def pair_propose(*, placement: Placement, mentor: Mentor, by: User) -> Pair:
    """Propose a mentor for a placed young person; the pairing score is kept with the pair.

    The mentor's row is locked first, so two proposals racing for a mentor's last place take
    turns and the second finds them full. The database refuses a second open pair per young
    person in any case.
    """
    if not (is_staff_member(by) and placements_visible_to(by).filter(pk=placement.pk).exists()):
        raise ValidationError({"placement": _("This placement is outside your cities.")})
    if not mentors_visible_to(by).filter(pk=mentor.pk).exists():
        raise ValidationError({"mentor": _("Choose a mentor from the list.")})
    placement = Placement.objects.select_related("opening", "youth").get(pk=placement.pk)
    mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
    _check_placement_and_mentor(placement=placement, mentor=mentor)
    today = timezone.localdate()
    result = score_mentors(placement.youth_id, [mentor.pk], PairScoreWeights.load(), today=today)[0]
    pair = Pair(
        youth=placement.youth,
        mentor=mentor,
        placement=placement,
        score=Decimal(str(result.total)),
        score_components={name: round(value, 4) for name, value in result.components.items()},
        proposed_by=by,
    )
    pair.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            pair.save()
    except IntegrityError:  # paired elsewhere at the same moment: the database said no
        raise _already_paired_error() from None
    record_change(
        actor=by, target=placement.youth, action="buddy.pair_proposed", note=f"pair {pair.pk}"
    )
    return pair


def _check_placement_and_mentor(*, placement: Placement, mentor: Mentor) -> None:
    if placement.status != Placement.Status.ACTIVE:
        raise ValidationError({"placement": _("This placement has ended; propose no buddy.")})
    if mentor.employer_id != placement.opening.employer_id:
        raise ValidationError(
            {"mentor": _("This mentor does not work at the employer of the placement.")}
        )
    if not mentor.is_active:
        raise ValidationError({"mentor": _("This mentor is not available as a buddy now.")})
    if not has_buddy_consent(placement.youth):
        raise ValidationError(
            _("The young person has not consented to being contacted by a buddy.")
        )
    if Pair.objects.filter(youth_id=placement.youth_id, status__in=OPEN_STATUSES).exists():
        raise _already_paired_error()
    if mentor.pairs.filter(status__in=OPEN_STATUSES).count() >= mentor.capacity:
        raise ValidationError(
            {"mentor": _("This mentor already has as many young people as they can take.")}
        )


def _already_paired_error() -> ValidationError:
    return ValidationError(_("This young person already has a buddy. Close that pair first."))


@transaction.atomic
def pair_kickoff(
    *,
    pair: Pair,
    by: User,
    held_on: dt.date,
    agreements: str,
    onboarding_organisation: str,
    onboarding_culture: str,
    onboarding_practical: str,
    checkin_every_weeks: int = 4,
) -> Pair:
    """Record the kick-off and its onboarding plan; the check-in cadence and the 11- and
    12-month reminders start from its date."""
    _check_staff_in_scope(pair=pair, by=by)
    pair = _locked_open_pair(pair)
    if pair.status != Pair.Status.PROPOSED:
        raise ValidationError(_("The kick-off of this pair is recorded already."))
    if pair.sharing_stopped_on or not has_buddy_consent(pair.youth):
        raise ValidationError(
            _("The young person has not consented to being contacted by a buddy.")
        )
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("The kick-off cannot be in the future.")})
    if not agreements.strip():
        raise ValidationError({"agreements": _("Write down what was agreed.")})
    pair.status, pair.kickoff_on = Pair.Status.KICKED_OFF, held_on
    pair.kickoff_agreements = agreements.strip()
    pair.onboarding_organisation = onboarding_organisation.strip()
    pair.onboarding_culture = onboarding_culture.strip()
    pair.onboarding_practical = onboarding_practical.strip()
    pair.checkin_every_weeks = checkin_every_weeks
    pair.full_clean(validate_constraints=False)
    pair.save()
    _plan_checkin_reminders(pair, since=held_on)
    plan_reminder(
        key=f"buddy.month_11:{pair.pk}",
        kind="buddy.month_11",
        due_at=morning_of(held_on + relativedelta(months=PLAN_REVIEW_MONTHS)),
        target=pair,
        recipient_role="coordinator",
    )
    plan_reminder(
        key=f"buddy.review:{pair.pk}",
        kind="buddy.review",
        due_at=morning_of(held_on + relativedelta(months=REVIEW_MONTHS)),
        target=pair,
        recipient_role="coordinator",
    )
    record_change(actor=by, target=pair, action="buddy.kickoff")
    return pair


@transaction.atomic
def pair_close(
    *, pair: Pair, by: User, reason: str, conversation: str, closed_on: dt.date | None = None
) -> Pair:
    """Close a pair with its reason and the closing conversation; its reminders stop."""
    _check_staff_in_scope(pair=pair, by=by)
    pair = _locked_open_pair(pair)
    closed_on = closed_on or timezone.localdate()
    if reason not in Pair.CloseReason.values:
        raise ValidationError({"reason": _("Choose why the pair is closed.")})
    if not conversation.strip():
        raise ValidationError(
            {"conversation": _("Write down what the closing conversation brought.")}
        )
    if closed_on > timezone.localdate():
        raise ValidationError({"closed_on": _("A pair cannot be closed in the future.")})
    if pair.kickoff_on and closed_on < pair.kickoff_on:
        raise ValidationError({"closed_on": _("A pair cannot close before its kick-off.")})
    pair.status, pair.closed_on, pair.close_reason = Pair.Status.CLOSED, closed_on, reason
    pair.closing_conversation = conversation.strip()
    pair.full_clean(validate_constraints=False)
    pair.save(update_fields=["status", "closed_on", "close_reason", "closing_conversation"])
    for kind in CADENCE_KINDS:
        cancel_reminders(about=pair, kind=kind)
    record_change(actor=by, target=pair, action="buddy.pair_closed", note=reason)
    return pair


# --- Check-ins and concerns --------------------------------------------------------------------


@transaction.atomic
def checkin_log(*, pair: Pair, by: User, held_on: dt.date, **fields) -> CheckIn:
    """Log a check-in; the next one is due `checkin_every_weeks` after the latest."""
    _check_in_scope(pair=pair, by=by)
    pair = _locked_open_pair(pair)
    if pair.kickoff_on is None:
        raise ValidationError(_("Record the kick-off before the first check-in."))
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A check-in cannot be in the future.")})
    if held_on < pair.kickoff_on:
        raise ValidationError({"held_on": _("A check-in cannot be before the pair began.")})
    for name in RATING_FIELDS:
        if fields.get(name) is not None and not 1 <= fields[name] <= 5:
            raise ValidationError({name: _("Give a rating from 1 to 5.")})
    checkin = CheckIn(pair=pair, held_on=held_on, logged_by=by, **fields)
    # The ratings are checked above; the database's constraints stand behind them.
    checkin.full_clean(validate_constraints=False)
    checkin.save()
    if pair.status == Pair.Status.KICKED_OFF:
        pair.status = Pair.Status.ACTIVE
        pair.save(update_fields=["status"])
    latest = max(held_on, *pair.checkins.values_list("held_on", flat=True))
    _plan_checkin_reminders(pair, since=latest)
    record_change(actor=by, target=pair, action="buddy.checkin", note=f"check-in {checkin.pk}")
    return checkin


def _plan_checkin_reminders(pair: Pair, *, since: dt.date) -> None:
    """The next check-in due (to the mentor with an account, else the coordinator) and the
    eight-week alarm (to the coordinator). A key names the date it counts from, so each is sent
    once, and a later check-in plans new ones in place of the open ones."""
    cancel_reminders(about=pair, kind="buddy.checkin_due")
    cancel_reminders(about=pair, kind="buddy.no_checkin")
    due = since + dt.timedelta(weeks=pair.checkin_every_weeks)
    plan_reminder(
        key=f"buddy.checkin_due:{pair.pk}:{due.isoformat()}",
        kind="buddy.checkin_due",
        due_at=morning_of(due),
        target=pair,
        recipient_role="mentor" if pair.mentor.user_id else "coordinator",
    )
    silent = since + dt.timedelta(weeks=NO_CHECKIN_WEEKS)
    plan_reminder(
        key=f"buddy.no_checkin:{pair.pk}:{silent.isoformat()}",
        kind="buddy.no_checkin",
        due_at=morning_of(silent),
        target=pair,
        recipient_role="coordinator",
    )


@transaction.atomic
def concern_raise(*, pair: Pair, by: User, what: str, needs_help_today: bool) -> Concern:
    """A mentor's concern reaches the youth worker and the coordinator at once."""
    _check_in_scope(pair=pair, by=by)
    if not what.strip():
        raise ValidationError({"what": _("Say what worries you.")})
    concern = Concern(pair=pair, raised_by=by, what=what.strip(), needs_help_today=needs_help_today)
    concern.full_clean()
    concern.save()
    for role in ("youth_worker", "coordinator"):
        plan_reminder(
            key=f"buddy.concern:{concern.pk}:{role}",
            kind="buddy.concern",
            due_at=timezone.now(),
            target=pair,
            recipient_role=role,
        )
    record_change(actor=by, target=pair, action="buddy.concern", note=f"concern {concern.pk}")
    return concern


# --- Reactions to the apps below (buddy/subscribers.py) ----------------------------------------


@transaction.atomic
def pairs_ask_after_placement_ended(*, placement: Placement) -> None:
    """The placement ended: the coordinator decides whether the pair closes or continues."""
    for pair in Pair.objects.filter(placement=placement, status__in=OPEN_STATUSES):
        plan_reminder(
            key=f"buddy.placement_ended:{pair.pk}:{placement.pk}",
            kind="buddy.placement_ended",
            due_at=timezone.now(),
            target=pair,
            recipient_role="coordinator",
        )


@transaction.atomic
def pairs_stop_sharing_on_consent_withdrawn(*, consent: Consent, by: User | None) -> None:
    """Without the buddy consent the mentor sees nothing more of the young person, at once; the
    reminders to the mentor stop and the coordinator is asked to close the pair."""
    if consent.purpose != Consent.Purpose.BUDDY_CONTACT:
        return
    today = timezone.localdate()
    pairs = Pair.objects.select_for_update().filter(
        youth_id=consent.youth_id, status__in=OPEN_STATUSES, sharing_stopped_on__isnull=True
    )
    for pair in pairs:
        pair.sharing_stopped_on = today
        pair.save(update_fields=["sharing_stopped_on"])
        cancel_reminders(about=pair, kind="buddy.checkin_due")
        plan_reminder(
            key=f"buddy.consent_withdrawn:{pair.pk}:{consent.pk}",
            kind="buddy.consent_withdrawn",
            due_at=timezone.now(),
            target=pair,
            recipient_role="coordinator",
        )
        record_change(actor=by, target=pair, action="buddy.sharing_stopped")


@transaction.atomic
def buddy_move_records(*, from_youth: YoungPerson, to_youth: YoungPerson, by: User) -> None:
    """Pairs and the buddy profile follow the record kept, one save per row so the change
    history records each move. Two open pairs cannot be merged by a machine: a person closes
    one first. Where both records have a buddy profile, the one kept takes the other's
    interests and needs."""
    pairs = list(Pair.objects.select_for_update().filter(youth=from_youth))
    if any(pair.is_open for pair in pairs) and (
        Pair.objects.filter(youth=to_youth, status__in=OPEN_STATUSES).exists()
    ):
        raise ValidationError(
            _("Both records have a buddy pair. Close one of them first; nothing was merged.")
        )
    for pair in pairs:
        pair.youth = to_youth
        pair.save(update_fields=["youth"])
    _merge_profiles(from_youth, to_youth)


def _merge_profiles(from_youth: YoungPerson, to_youth: YoungPerson) -> None:
    duplicate = BuddyProfile.objects.filter(youth=from_youth).first()
    if duplicate is None:
        return
    kept = BuddyProfile.objects.filter(youth=to_youth).first()
    if kept is None:
        duplicate.youth = to_youth
        duplicate.save(update_fields=["youth"])
        return
    kept.personal_interests.add(*duplicate.personal_interests.all())
    kept.skills_to_learn.add(*duplicate.skills_to_learn.all())
    kept.help_needed = sorted(set(kept.help_needed) | set(duplicate.help_needed))
    kept.save(update_fields=["help_needed", "updated_at"])
    duplicate.delete()


# --- Mentors and the young person's buddy profile -----------------------------------------------


@transaction.atomic
def mentor_save(
    *,
    by: User,
    mentor: Mentor | None = None,
    skills=(),
    work_fields=(),
    personal_interests=(),
    **fields,
) -> Mentor:
    """Add or change a mentor. The employer must be one of the user's, the account one of that
    employer's contact people, and the capacity not below the pairs the mentor has open."""
    employer = fields["employer"]
    if not (is_staff_member(by) and employers_visible_to(by).filter(pk=employer.pk).exists()):
        raise ValidationError({"employer": _("Choose an employer from the list.")})
    account = fields.get("user")
    if account is not None and not employer.contacts.filter(user=account).exists():
        raise ValidationError(
            {"user": _("This account is not one of the employer's contact people.")}
        )
    if mentor is None:
        mentor = Mentor()
    else:
        mentor = Mentor.objects.select_for_update().get(pk=mentor.pk)
        if not mentors_visible_to(by).filter(pk=mentor.pk).exists():
            raise ValidationError(_("This mentor is outside your cities."))
        open_pairs = mentor.pairs.filter(status__in=OPEN_STATUSES).count()
        if open_pairs and employer.pk != mentor.employer_id:
            # A pair starts from a placement at the mentor's employer; moving the mentor would
            # leave their pairs at an employer where they no longer work.
            raise ValidationError(
                {
                    "employer": _(
                        "The mentor has open pairs at their employer; close them before "
                        "moving the mentor to another employer."
                    )
                }
            )
        if fields["capacity"] < open_pairs:
            raise ValidationError(
                {
                    "capacity": _("The mentor has %(count)d open pairs; take at least that many.")
                    % {"count": open_pairs}
                }
            )
    for name, value in fields.items():
        setattr(mentor, name, value)
    mentor.full_clean()
    mentor.save()
    mentor.skills.set(skills)
    mentor.work_fields.set(work_fields)
    mentor.personal_interests.set(personal_interests)
    record_change(actor=by, target=mentor, action="buddy.mentor_saved")
    return mentor


@transaction.atomic
def buddy_profile_save(
    *, youth: YoungPerson, by: User, personal_interests=(), skills_to_learn=(), help_needed=()
) -> BuddyProfile:
    """The young person's personal interests and needs, recorded by their youth worker or a
    coordinator of their city."""
    if not youth_visible_to(by).filter(pk=youth.pk).exists():
        raise ValidationError(_("This young person is not in your caseload or cities."))
    profile, _created = BuddyProfile.objects.select_for_update().get_or_create(youth=youth)
    profile.help_needed = sorted(set(help_needed))
    profile.full_clean()
    profile.save()
    profile.personal_interests.set(personal_interests)
    profile.skills_to_learn.set(skills_to_learn)
    record_change(actor=by, target=youth, action="buddy.profile_saved")
    return profile


@transaction.atomic
def buddy_records_erase(*, youth) -> int:
    """AVG erasure: the young person's buddy profile, pairs, check-ins and concerns lose their
    free text in place (buddy/privacy.py); mentor, dates and scores stay for the figures."""
    return erase_sections("buddy", youth)
