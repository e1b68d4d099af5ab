"""Shortlists, profiles shared with employers, and the employers' answers. The employer sees a
minimised profile, by token; the platform proposes, every write here is a person's decision."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import Contact, Opening
from employers.selectors import employer_of_contact, openings_visible_to
from intake.models import IntakeMeeting
from restart_platform.accounts.access import is_staff_member
from restart_platform.accounts.audit import log_access, record_change
from restart_platform.accounts.models import User
from restart_platform.notifications.services import cancel_reminders, plan_reminder
from restart_platform.stale_edits import refuse_if_changed
from youth.models import Consent, YoungPerson
from youth.selectors import youth_visible_to

from ..models import ScoreWeights, Share, Shortlist
from ..scoring import score_matrix
from ..selectors import AWAITING_INTAKE, share_readable_by, suggestions_for_youth

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


def shares_stop_on_consent_withdrawn(*, consent: Consent, by: User | None) -> None:
    """The sharing consent is withdrawn, so every share of that young person stops at once,
    in the withdrawal's own transaction."""
    if consent.purpose != Consent.Purpose.SHARE_WITH_EMPLOYERS:
        return
    for share in Share.objects.filter(youth=consent.youth_id, status=Share.Status.ACTIVE):
        share_withdraw(share=share, by=by, reason=_("consent withdrawn"))


ANSWERS = (Share.Answer.INTERESTED, Share.Answer.NOT_NOW)


@transaction.atomic
def share_answer(
    *, share: Share, by: User, answer: str, reason: str = "", shown: str | None = None
) -> Share:
    """The employer's answer on a shared profile. "Interested" sends the young person's youth
    worker the intake form, filled in; "not now" needs a reason, and takes that request back.
    The coordinator hears of each answer."""
    share = (
        Share.objects.select_for_update()
        .select_related("opening__employer", "youth")
        .get(pk=share.pk)
    )
    # The one read of a share for an employer: their own, active, with the consent live.
    if share_readable_by(employer_of_contact(by), pk=share.pk) is None:
        raise ValidationError(_("This candidate is not shared with you."))
    if answer not in ANSWERS:
        raise ValidationError({"answer": _("Answer interested or not now.")})
    if answer == Share.Answer.NOT_NOW and not reason.strip():
        raise ValidationError({"reason": _("Say why not now; it helps the next proposal.")})
    if share.answer == answer and share.answer_reason == reason.strip():
        return share  # the same answer again (a second click): nothing new to tell anyone
    refuse_if_changed(share, ["answer", "answer_reason"], shown)
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


def share_link_intake(*, meeting: IntakeMeeting) -> None:
    """Inside the scheduling's transaction (IntakeScheduled): an intake planned
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
