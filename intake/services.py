"""Writes for intakes: schedule, change, cancel, and record the meeting and its outcome.

Invitations, updates and reminders all go through the reminder outbox, in the transaction of
the change: a meeting that is not saved invites nobody, and a mail server that is down delays
the invitation without losing it.
"""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import User
from restart_platform.events import publish
from restart_platform.notifications.services import cancel_reminders, morning_of, plan_reminder
from youth.models import YoungPerson
from youth.services import RecordChangedError, youth_change_journey

from .events import IntakeFinished, IntakeScheduled
from .models import IntakeMeeting, IntakeRecord

NOTICE_KINDS = {
    "created": "intake.invitation",
    "updated": "intake.updated",
    "cancelled": "intake.cancelled",
}


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _check_participants(meeting: IntakeMeeting) -> None:
    errors = {}
    if meeting.employer_contact and meeting.employer_contact.role != User.Role.EMPLOYER_CONTACT:
        errors["employer_contact"] = _("Choose an employer contact.")
    if meeting.opening and meeting.employer_contact:
        employer_id = getattr(
            getattr(meeting.employer_contact, "employer_contact", None), "employer_id", None
        )
        if employer_id != meeting.opening.employer_id:
            errors["opening"] = _("The opening must be one of the employer contact's company.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def intake_schedule(
    *, youth: YoungPerson, by: User, starts_at: dt.datetime, place: str, **fields
) -> IntakeMeeting:
    """Plan an intake; every participant with an account is invited with a calendar file."""
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("A new intake is planned in the future.")})
    meeting = IntakeMeeting(
        youth=youth,
        youth_worker=youth.youth_worker,
        created_by=by,
        starts_at=starts_at,
        place=place,
        **fields,
    )
    _check_participants(meeting)
    _saved(meeting)
    _notify_participants(meeting, "created")
    _plan_meeting_reminders(meeting)
    if youth.journey == YoungPerson.Journey.REGISTERED:
        youth_change_journey(youth=youth, to_status=YoungPerson.Journey.INTAKE, by=by)
    record_change(actor=by, target=youth, action="intake.scheduled", note=meeting.reference)
    publish(IntakeScheduled(meeting=meeting, by=by))
    return meeting


@transaction.atomic
def intake_update(*, meeting: IntakeMeeting, by: User, **fields) -> IntakeMeeting:
    """Change time, place or participants; everyone gets the updated invitation."""
    meeting = IntakeMeeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.status == IntakeMeeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled intake cannot be changed; plan a new one."))
    before = {person.pk for person in meeting.participants()}
    if (
        "starts_at" in fields
        and fields["starts_at"] != meeting.starts_at
        and fields["starts_at"] <= timezone.now()
    ):
        raise ValidationError({"starts_at": _("Move the intake to a moment in the future.")})
    for name, value in fields.items():
        setattr(meeting, name, value)
    _check_participants(meeting)
    meeting.sequence += 1
    _saved(meeting)
    removed = before - {person.pk for person in meeting.participants()}
    _notify_participants(meeting, "updated")
    _cancel_day_before(meeting, user_ids=removed)
    _plan_meeting_reminders(meeting)
    record_change(actor=by, target=meeting, action="intake.updated")
    return meeting


@transaction.atomic
def intake_cancel(*, meeting: IntakeMeeting, by: User, reason: str) -> IntakeMeeting:
    meeting = IntakeMeeting.objects.select_for_update().get(pk=meeting.pk)
    if not reason.strip():
        raise ValidationError({"cancel_reason": _("Say why the intake is cancelled.")})
    if meeting.status == IntakeMeeting.Status.CANCELLED:
        return meeting
    meeting.status, meeting.cancel_reason, meeting.sequence = (
        IntakeMeeting.Status.CANCELLED,
        reason.strip(),
        meeting.sequence + 1,
    )
    _saved(meeting)
    for kind in ("intake.day_before", "intake.outcome_missing"):
        cancel_reminders(about=meeting, kind=kind)
    _notify_participants(meeting, "cancelled")
    record_change(actor=by, target=meeting, action="intake.cancelled", note=reason)
    return meeting


def _notify_participants(meeting: IntakeMeeting, change: str) -> None:
    kind = NOTICE_KINDS[change]
    for person in meeting.participants():
        plan_reminder(
            key=f"{kind}:{meeting.pk}:{meeting.sequence}:{person.pk}",
            kind=kind,
            due_at=timezone.now(),
            target=meeting,
            recipient=person,
            city=meeting.youth.city,
        )


def _plan_meeting_reminders(meeting: IntakeMeeting) -> None:
    """The day before, each participant; the day after, the youth worker if no outcome is recorded."""
    day_before = max(meeting.starts_at - dt.timedelta(days=1), timezone.now())
    for person in meeting.participants():
        plan_reminder(
            key=f"intake.day_before:{meeting.pk}:{person.pk}",
            kind="intake.day_before",
            due_at=day_before,
            target=meeting,
            recipient=person,
            city=meeting.youth.city,
        )
    plan_reminder(
        key=f"intake.outcome_missing:{meeting.pk}",
        kind="intake.outcome_missing",
        due_at=morning_of(timezone.localtime(meeting.starts_at).date() + dt.timedelta(days=1)),
        target=meeting,
        recipient_role="youth_worker",
        city=meeting.youth.city,
    )


def _cancel_day_before(meeting: IntakeMeeting, *, user_ids: set[int]) -> None:
    if user_ids:
        cancel_reminders(keys=[f"intake.day_before:{meeting.pk}:{pk}" for pk in user_ids])


@transaction.atomic
def intake_record_save(
    *, meeting: IntakeMeeting, by: User, version: int | None, finish: bool, barriers=None, **fields
) -> IntakeRecord:
    """Save the intake record as a draft, or finish it: then the outcome and next step count.

    Finishing cancels the reminder to record the outcome, and plans the next step's follow-up.
    """
    record, created = IntakeRecord.objects.select_for_update().get_or_create(meeting=meeting)
    if not created and version is not None and record.version != version:
        raise RecordChangedError
    if finish and meeting.status == IntakeMeeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled intake has no outcome."))
    for name, value in fields.items():
        setattr(record, name, value)
    if finish:
        _check_finishable(record, meeting)
        record.status, record.finished_at, record.finished_by = (
            IntakeRecord.Status.FINISHED,
            timezone.now(),
            by,
        )
    record.version += 0 if created else 1
    _saved(record)
    if barriers is not None:
        record.barriers.set(barriers)
    if record.status == IntakeRecord.Status.FINISHED:
        cancel_reminders(about=meeting, kind="intake.outcome_missing")
        plan_reminder(
            key=f"intake.next_step:{meeting.pk}",
            kind="intake.next_step",
            due_at=morning_of(record.next_step_on),
            target=meeting,
            recipient_role="youth_worker",
            city=meeting.youth.city,
        )
        if finish and record.outcome == IntakeRecord.Outcome.PROGRAMME:
            youth_change_journey(
                youth=meeting.youth, to_status=YoungPerson.Journey.PROGRAMME, by=by
            )
        if finish:
            publish(IntakeFinished(record=record, by=by))
    return record


def _check_finishable(record: IntakeRecord, meeting: IntakeMeeting) -> None:
    errors = {}
    if meeting.starts_at > timezone.now():
        errors["outcome"] = _("The outcome is recorded after the meeting.")
    if not record.outcome:
        errors["outcome"] = _("Record the outcome to finish the intake.")
    if not record.next_step.strip():
        errors["next_step"] = _("An outcome needs a next step.")
    if not record.next_step_on:
        errors["next_step_on"] = _("Give the next step a date.")
    elif record.next_step_on < timezone.localdate():
        errors["next_step_on"] = _("The next step cannot be in the past.")
    if record.outcome == IntakeRecord.Outcome.PLACEMENT and not record.outcome_opening_id:
        errors["outcome_opening"] = _("Choose the opening of the placement.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def intakes_move(*, from_youth: YoungPerson, to_youth: YoungPerson) -> None:
    """Two records of one young person merged: their intakes belong to the record kept. Saved
    one by one, so the change history shows each move; their reminders concern the meeting and
    stay as they are."""
    for meeting in IntakeMeeting.objects.filter(youth=from_youth):
        meeting.youth = to_youth
        meeting.save(update_fields=["youth", "updated_at"])
