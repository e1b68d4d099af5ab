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
from restart_platform.privacy import erase_sections
from youth.models import NetworkFactor, YoungPerson
from youth.services import RecordChangedError, network_factor_save, youth_change_journey

from .events import IntakeFinished, IntakeScheduled
from .models import IntakeMeeting, IntakeRecord
from .selectors import (
    NOT_IN_CITY,
    intake_contacts,
    intake_employer_accounts,
    intake_openings,
    third_parties_for,
)

NOTICE_KINDS = {
    "created": "intake.invitation",
    "updated": "intake.updated",
    "cancelled": "intake.cancelled",
}


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _check_participants(meeting: IntakeMeeting, *, by: User) -> None:
    """Everyone and everything named must be of the young person's city and within the user's
    scope: the form offers nothing else, and a choice posted by hand is refused here too."""
    youth, errors = meeting.youth, {}
    in_scope = {
        "employer_contact": (meeting.employer_contact_id, intake_employer_accounts(by, youth)),
        "opening": (meeting.opening_id, intake_openings(by, youth)),
        "third_party": (meeting.third_party_id, third_parties_for(youth)),
        "present_contact": (meeting.present_contact_id, intake_contacts(by, youth)),
    }
    for name, (pk, allowed) in in_scope.items():
        if pk is not None and not allowed.filter(pk=pk).exists():
            errors[name] = NOT_IN_CITY[name]
    if meeting.opening and meeting.employer_contact and "opening" not in errors:
        employer_id = getattr(
            getattr(meeting.employer_contact, "employer_contact", None), "employer_id", None
        )
        if employer_id != meeting.opening.employer_id:
            errors["opening"] = _("The opening must be one of the employer contact's company.")
    if meeting.third_party_id and not meeting.third_party_authority:
        # Accounts that may be third party are the city's coordinators.
        meeting.third_party_authority = IntakeMeeting.Authority.COORDINATOR
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
    _check_participants(meeting, by=by)
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
    if meeting.status != IntakeMeeting.Status.SCHEDULED:
        raise ValidationError(_("This intake has taken place, or not: plan a new one."))
    before = {person.pk for person in meeting.participants()}
    if (
        "starts_at" in fields
        and fields["starts_at"] != meeting.starts_at
        and fields["starts_at"] <= timezone.now()
    ):
        raise ValidationError({"starts_at": _("Move the intake to a moment in the future.")})
    for name, value in fields.items():
        setattr(meeting, name, value)
    _check_participants(meeting, by=by)
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
    if meeting.status != IntakeMeeting.Status.SCHEDULED:
        raise ValidationError(_("This intake has taken place, or not: it cannot be cancelled."))
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


PRESENCE_FIELDS = [
    "youth_present",
    "youth_worker_present",
    "employer_present",
    "present_contact",
    "present_employer_name",
    "present_employer_role",
    "third_party_present",
]
# Who came as third party may differ from who was planned.
THIRD_PARTY_FIELDS = ["third_party", "third_party_name", "third_party_authority"]


@transaction.atomic
def intake_record_attendance(
    *, meeting: IntakeMeeting, by: User, status: str, absent: str = "", **fields
) -> IntakeMeeting:
    """After the meeting: held, with who was there, or a no-show, with who did not come.

    A no-show needs no outcome, so its reminder goes; a held meeting keeps it until the record
    is finished. Who was there may be corrected later; a meeting with a finished record cannot
    become a no-show.
    """
    if unknown := set(fields) - {*PRESENCE_FIELDS, *THIRD_PARTY_FIELDS}:
        raise TypeError(f"intake_record_attendance() does not set {sorted(unknown)}")
    meeting = IntakeMeeting.objects.select_for_update().select_related("youth").get(pk=meeting.pk)
    if meeting.status == IntakeMeeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled intake did not take place."))
    if meeting.starts_at > timezone.now():
        raise ValidationError(_("Who was there is recorded after the meeting."))
    finished = IntakeRecord.objects.filter(
        meeting=meeting, status=IntakeRecord.Status.FINISHED
    ).exists()
    if status == IntakeMeeting.Status.NO_SHOW and finished:
        raise ValidationError({"status": _("This intake has a finished record: it was held.")})
    if status not in {IntakeMeeting.Status.HELD, IntakeMeeting.Status.NO_SHOW}:
        raise ValidationError({"status": _("Say whether the meeting took place.")})
    meeting.status = status
    if status == IntakeMeeting.Status.NO_SHOW:
        meeting.absent = absent
        for name in PRESENCE_FIELDS:
            setattr(meeting, name, None if name == "present_contact" else _empty(name))
    else:
        meeting.absent = ""
        for name, value in fields.items():
            setattr(meeting, name, value)
    _check_participants(meeting, by=by)
    _check_presence(meeting)
    _saved(meeting)
    if status == IntakeMeeting.Status.NO_SHOW:
        cancel_reminders(about=meeting, kind="intake.outcome_missing")
    record_change(actor=by, target=meeting, action=f"intake.{status}")
    return meeting


def _empty(name: str):
    return "" if name.startswith("present_employer") else False


def _check_presence(meeting: IntakeMeeting) -> None:
    errors = {}
    if meeting.status == IntakeMeeting.Status.NO_SHOW and not meeting.absent:
        errors["absent"] = _("Say who did not come.")
    if meeting.employer_present and not (
        meeting.present_contact_id or meeting.present_employer_name.strip()
    ):
        errors["present_employer_name"] = _(
            "Choose the contact person who came, or give their name and role."
        )
    if meeting.third_party_present and not (meeting.third_party_id or meeting.third_party_name):
        errors["third_party_name"] = _("Choose the third party who came, or give their name.")
    elif meeting.third_party_present and not meeting.third_party_authority:
        errors["third_party_authority"] = _("Say what gives the third party their authority.")
    if errors:
        raise ValidationError(errors)


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
    *,
    meeting: IntakeMeeting,
    by: User,
    version: int | None,
    finish: bool,
    barriers=None,
    no_barriers_found: bool | None = None,
    network_factors=None,
    new_helping_factor: str = "",
    new_hindering_factor: str = "",
    **fields,
) -> IntakeRecord:
    """Save the intake record as a draft, or finish it: then the outcome and next step count.

    Barriers and network factors are None when the person saving does not see them: they stay
    as they were. New network factors are added to the young person's profile and linked.
    Finishing cancels the reminder to record the outcome, and plans the next step's follow-up.
    """
    # The meeting as it is now: it may have been marked held or a no-show since it was loaded.
    meeting = (
        IntakeMeeting.objects.select_for_update(of=("self",))
        .select_related("youth")
        .get(pk=meeting.pk)
    )
    record, created = IntakeRecord.objects.select_for_update().get_or_create(meeting=meeting)
    if not created and version is not None and record.version != version:
        raise RecordChangedError
    if finish and meeting.status == IntakeMeeting.Status.CANCELLED:
        raise ValidationError(_("A cancelled intake has no outcome."))
    for name, value in fields.items():
        setattr(record, name, value)
    if no_barriers_found is not None:
        record.no_barriers_found = no_barriers_found
        if no_barriers_found and barriers:
            raise ValidationError(
                {
                    "no_barriers_found": _(
                        "Either choose the barriers that came up, or mark that none were found."
                    )
                }
            )
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
    if network_factors is not None:
        added = _new_network_factors(
            meeting.youth, by=by, helping=new_helping_factor, hindering=new_hindering_factor
        )
        record.network_factors.set([*network_factors, *added])
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


def _new_network_factors(
    youth: YoungPerson, *, by: User, helping: str, hindering: str
) -> list[NetworkFactor]:
    pairs = [(NetworkFactor.Effect.HELPS, helping), (NetworkFactor.Effect.HINDERS, hindering)]
    return [
        network_factor_save(
            factor=NetworkFactor(youth=youth, effect=effect, description=text.strip()), by=by
        )
        for effect, text in pairs
        if text.strip()
    ]


def _check_finishable(record: IntakeRecord, meeting: IntakeMeeting) -> None:
    errors = {}
    if meeting.starts_at > timezone.now():
        errors["outcome"] = _("The outcome is recorded after the meeting.")
    elif meeting.status != IntakeMeeting.Status.HELD:
        errors["outcome"] = _("Record who was there before you finish the record.")
    if not record.non_committal:
        errors["non_committal"] = _(
            "Say whether the meeting was non-committal: yes or no. It counts in the figures."
        )
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


@transaction.atomic
def intakes_erase(*, youth) -> int:
    """AVG erasure: the young person's intake meetings and records lose their free text and
    the names of who was there, in place (intake/privacy.py); dates and outcomes stay."""
    return erase_sections("intake", youth)
