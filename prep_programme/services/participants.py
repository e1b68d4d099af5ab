"""Enrolment, phases (phase 3 a placement, and matching's placement events), leaving and
finishing, and records merged."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from intake.models import IntakeRecord
from matching.models import Placement
from matching.selectors import placements_visible_to
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import User
from restart_platform.notifications.services import cancel_reminders, plan_reminder
from restart_platform.privacy import erase_sections
from restart_platform.stale_edits import refuse_if_changed
from youth.models import YoungPerson
from youth.services import youth_change_journey, youth_set_programme_phase

from ..criteria import measure_one
from ..models import (
    LAST_PHASE,
    Cohort,
    Participant,
    PhaseChange,
)
from .common import (
    ENROLMENT_KIND,
    PLACEMENT_ENDED_KIND,
    PLACEMENT_TO_LINK_KIND,
)
from .records import _plan_coaching_reminders


@transaction.atomic
def enrolment_propose(*, record: IntakeRecord) -> None:
    """An intake ended with "to the pre-employment programme": the youth worker is asked, once,
    to enrol the young person. The link opens the enrolment form filled in with a running
    cohort of their city; a person decides."""
    if record.outcome != IntakeRecord.Outcome.PROGRAMME:
        return
    youth = record.meeting.youth
    if Participant.objects.filter(youth=youth, status=Participant.Status.ACTIVE).exists():
        return
    plan_reminder(
        key=f"prep.enrolment_proposed:{record.pk}",
        kind=ENROLMENT_KIND,
        due_at=timezone.now(),
        target=youth,
        recipient_role="youth_worker",
        city=youth.city,
        link=reverse("prep_programme:participant_enrol", args=[youth.pk]),
    )


@transaction.atomic
def participant_enrol(
    *,
    cohort: Cohort,
    youth: YoungPerson,
    by: User,
    school_arrangement: str = "",
    on: dt.date | None = None,
) -> Participant:
    """Enrol a young person in a running cohort of their city, in phase 1."""
    on = on or timezone.localdate()
    youth = YoungPerson.objects.select_for_update().get(pk=youth.pk)
    if not cohort.is_running_on(on):
        raise ValidationError({"cohort": _("Choose a cohort that is running.")})
    if cohort.city_id != youth.city_id:
        raise ValidationError({"cohort": _("Choose a cohort in the young person's city.")})
    if youth.must_attend_school and not school_arrangement.strip():
        raise ValidationError(
            {
                "school_arrangement": _(
                    "Under 18 without a startkwalificatie: record the arrangement with the "
                    "school or the leerplicht officer first."
                )
            }
        )
    if Participant.objects.filter(youth=youth, status=Participant.Status.ACTIVE).exists():
        raise ValidationError(_("This young person already takes part in a running cohort."))
    participant = Participant(
        cohort=cohort, youth=youth, enrolled_on=on, school_arrangement=school_arrangement.strip()
    )
    participant.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            participant.save()
    except IntegrityError:  # another enrolment of this young person won the race
        raise ValidationError(
            _("This young person already takes part in a running cohort.")
        ) from None
    PhaseChange.objects.create(participant=participant, to_phase=1, changed_on=on, changed_by=by)
    youth_set_programme_phase(youth=youth, phase=1)
    if youth.journey != YoungPerson.Journey.PROGRAMME:
        youth_change_journey(youth=youth, to_status=YoungPerson.Journey.PROGRAMME, by=by)
    _plan_coaching_reminders(participant, since=on)
    cancel_reminders(about=youth, kind=ENROLMENT_KIND)
    record_change(actor=by, target=participant, action="prep.enrolled", note=str(cohort))
    return participant


@transaction.atomic
def participant_move_phase(
    *,
    participant: Participant,
    to_phase: int,
    note: str,
    by: User,
    placement: Placement | None = None,
    on: dt.date | None = None,
    shown: str | None = None,
) -> Participant:
    """Move a participant on by one phase: a person's decision, taken with the criteria measured.

    The measured checklist is kept with the change. A criterion not met needs a note that says
    why the move is right anyway; phase 3 is a placement of this young person (an internship or
    a job, recorded in matching), whose employer and kind the participation takes over.
    """
    on = on or timezone.localdate()
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("cohort")
        .get(pk=participant.pk)
    )
    if not participant.is_active:
        raise ValidationError(_("Only a participant who is taking part can move on."))
    refuse_if_changed(participant, ["phase"], shown)
    if to_phase != participant.phase + 1 or to_phase > LAST_PHASE:
        raise ValidationError(
            {"to_phase": _("Move on one phase at a time: a phase cannot be skipped.")}
        )
    progress = measure_one(participant, day=on)
    if not progress.met and not note.strip():
        raise ValidationError(
            {"note": _("Not every criterion is met: say in a note why the move is right.")}
        )
    if to_phase == LAST_PHASE:
        _check_placement(participant, placement=placement, by=by)
        _link(participant, placement)
    from_phase, participant.phase = participant.phase, to_phase
    participant.full_clean(validate_constraints=False)
    participant.save(update_fields=["phase", "placement", "placement_employer", "placement_kind"])
    PhaseChange.objects.create(
        participant=participant,
        from_phase=from_phase,
        to_phase=to_phase,
        changed_on=on,
        changed_by=by,
        note=note.strip(),
        checklist=[check.as_dict() for check in progress.checks],
        criteria_met=progress.met,
    )
    youth_set_programme_phase(youth=participant.youth, phase=to_phase)
    if to_phase == LAST_PHASE:
        cancel_reminders(about=participant, kind=PLACEMENT_TO_LINK_KIND)
    record_change(
        actor=by, target=participant, action="prep.phase_moved", note=f"{from_phase} -> {to_phase}"
    )
    return participant


def placements_to_link(user: User, participant: Participant):
    """The placements phase 3 may be: this young person's active ones that the user may see."""
    return (
        placements_visible_to(user)
        .filter(youth_id=participant.youth_id, status=Placement.Status.ACTIVE)
        .select_related("opening__employer")
        .order_by("-start_date", "-pk")
    )


def _check_placement(participant: Participant, *, placement: Placement | None, by: User) -> None:
    if placement is None:
        raise ValidationError(
            {
                "placement": _(
                    "Phase 3 is an internship or a job: choose the young person's placement. "
                    "No placement yet? Record it under Matching first."
                )
            }
        )
    # The form offers these only; a placement id posted by hand from elsewhere is refused.
    if not placements_to_link(by, participant).filter(pk=placement.pk).exists():
        raise ValidationError({"placement": _("Choose an active placement of this young person.")})


def _link(participant: Participant, placement: Placement) -> None:
    participant.placement = placement
    participant.placement_employer = placement.opening.employer
    participant.placement_kind = (
        Participant.PlacementKind.INTERNSHIP
        if placement.agreement == Placement.Agreement.INTERNSHIP
        else Participant.PlacementKind.JOB
    )


def _programme_recipients(participant: Participant) -> list[tuple[str, dict]]:
    """Who hears about a participant: each coach, or the youth worker when there is none."""
    coaches = list(participant.cohort.coaches.all())
    if not coaches:
        return [("youth_worker", {"recipient_role": "youth_worker"})]
    return [(f"coach{coach.pk}", {"recipient": coach}) for coach in coaches]


@transaction.atomic
def placement_started(*, placement: Placement, by: User) -> None:
    """A young person in the programme was placed (matching). In phase 2 the coaches are asked
    to consider phase 3 with this placement (the link opens the move with it chosen; a person
    decides). In phase 3 without a running placement, the new one is what phase 3 now is."""
    participant = (
        Participant.objects.select_for_update(of=("self",))
        .select_related("cohort", "placement")
        .filter(youth_id=placement.youth_id, status=Participant.Status.ACTIVE)
        .first()
    )
    if participant is None:
        return
    if participant.phase == LAST_PHASE:
        current = participant.placement
        if current is None or current.status != Placement.Status.ACTIVE:
            _link(participant, placement)
            participant.save(update_fields=["placement", "placement_employer", "placement_kind"])
            cancel_reminders(about=participant, kind=PLACEMENT_ENDED_KIND)
            record_change(
                actor=by,
                target=participant,
                action="prep.placement_linked",
                note=f"placement {placement.pk}",
            )
        return
    if participant.phase != LAST_PHASE - 1:
        return
    link = reverse("prep_programme:participant_move_phase", args=[participant.pk])
    for suffix, recipient in _programme_recipients(participant):
        plan_reminder(
            key=f"{PLACEMENT_TO_LINK_KIND}:{participant.pk}:{placement.pk}:{suffix}",
            kind=PLACEMENT_TO_LINK_KIND,
            due_at=timezone.now(),
            target=participant,
            city=participant.cohort.city,
            link=f"{link}?placement={placement.pk}",
            **recipient,
        )


@transaction.atomic
def placement_ended(*, placement: Placement, by: User) -> None:
    """A placement ended. A proposal to link it is withdrawn; a participant whose phase 3 it
    was is brought to the coaches: finish, leave, or a new placement (linked when it starts)."""
    for participant in Participant.objects.select_related("cohort").filter(
        youth_id=placement.youth_id, status=Participant.Status.ACTIVE
    ):
        cancel_reminders(
            keys=[
                f"{PLACEMENT_TO_LINK_KIND}:{participant.pk}:{placement.pk}:{suffix}"
                for suffix, _recipient in _programme_recipients(participant)
            ]
        )
        if participant.placement_id != placement.pk:
            continue
        for suffix, recipient in _programme_recipients(participant):
            plan_reminder(
                key=f"{PLACEMENT_ENDED_KIND}:{participant.pk}:{placement.pk}:{suffix}",
                kind=PLACEMENT_ENDED_KIND,
                due_at=timezone.now(),
                target=participant,
                city=participant.cohort.city,
                link=reverse("prep_programme:participant_detail", args=[participant.pk]),
                **recipient,
            )


@transaction.atomic
def participant_leave(
    *, participant: Participant, reason: str, by: User, on: dt.date | None = None
) -> Participant:
    """The participant leaves the programme early, for a recorded reason."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the participant leaves early.")})
    return _end(participant, status=Participant.Status.LEFT, by=by, on=on, left_reason=reason)


@transaction.atomic
def participant_finish(
    *, participant: Participant, certificate: str, by: User, on: dt.date | None = None
) -> Participant:
    """The participant finished the programme; the certificate obtained is recorded (may be none)."""
    return _end(
        participant, status=Participant.Status.FINISHED, by=by, on=on, certificate=certificate
    )


def _end(participant: Participant, *, status: str, by: User, on, **fields) -> Participant:
    participant = Participant.objects.select_for_update().get(pk=participant.pk)
    if not participant.is_active:
        raise ValidationError(_("This participant no longer takes part."))
    participant.status, participant.ended_on = status, on or timezone.localdate()
    for name, value in fields.items():
        setattr(participant, name, value.strip())
    participant.full_clean(validate_constraints=False)
    participant.save()
    cancel_reminders(about=participant)
    youth_set_programme_phase(youth=participant.youth, phase=None)
    record_change(actor=by, target=participant, action=f"prep.{status}", note="")
    return participant


@transaction.atomic
def participations_move(*, from_youth: YoungPerson, to_youth: YoungPerson, by: User) -> None:
    """Two records merged: the duplicate's participations (with their attendance, ratings and
    coaching, which hang on the participation) follow the record kept, one save per row. Two
    running participations cannot be merged by a machine: a person ends one first."""
    rows = list(Participant.objects.select_for_update().filter(youth=from_youth))
    active = [row for row in rows if row.is_active]
    if active and Participant.objects.filter(youth=to_youth, status="active").exists():
        raise ValidationError(
            _("Both records take part in a running cohort. End one first; nothing was merged.")
        )
    for row in rows:
        row.youth = to_youth
        row.save(update_fields=["youth"])
    if active:
        youth_set_programme_phase(youth=to_youth, phase=active[0].phase)
        youth_set_programme_phase(youth=from_youth, phase=None)
    if rows:
        record_change(
            actor=by, target=to_youth, action="prep.participations_merged", note=str(len(rows))
        )


@transaction.atomic
def participations_erase(*, youth) -> int:
    """AVG erasure: the young person's participations, phase changes, attendance, ratings and
    coaching talks lose their free text in place (prep_programme/privacy.py); phases, dates,
    attendance and ratings stay for the figures."""
    return erase_sections("prep_programme", youth)
