"""Writes of the pre-employment programme: enrolment, phases, attendance, ratings, coaching."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import Employer
from intake.models import IntakeRecord
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import User
from restart_platform.notifications.services import cancel_reminders, morning_of, plan_reminder
from restart_platform.privacy import erase_sections
from restart_platform.taxonomy.models import Skill
from youth.models import YoungPerson
from youth.services import youth_change_journey, youth_set_programme_phase, youth_skill_confirm

from .criteria import measure_one
from .models import (
    LAST_PHASE,
    RATING_MAX,
    RATING_MIN,
    Attendance,
    CoachingTalk,
    Cohort,
    Participant,
    PhaseChange,
    Session,
    SkillRating,
)

ENROLMENT_KIND = "prep.enrolment_proposed"
ABSENT_TWICE_KIND = "prep.absent_twice"
NO_COACHING_KIND = "prep.no_coaching"
NO_COACHING_DAYS = 14


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


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
    placement_employer: Employer | None = None,
    placement_kind: str = "",
    on: dt.date | None = None,
) -> Participant:
    """Move a participant on by one phase: a person's decision, taken with the criteria measured.

    The measured checklist is kept with the change. A criterion not met needs a note that says
    why the move is right anyway; phase 3 names the employer and whether it is an internship or
    a regular workplace.
    """
    on = on or timezone.localdate()
    participant = (
        Participant.objects.select_for_update().select_related("cohort").get(pk=participant.pk)
    )
    if not participant.is_active:
        raise ValidationError(_("Only a participant who is taking part can move on."))
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
        _check_placement(participant, employer=placement_employer, kind=placement_kind, by=by)
        participant.placement_employer, participant.placement_kind = (
            placement_employer,
            placement_kind,
        )
    from_phase, participant.phase = participant.phase, to_phase
    participant.full_clean(validate_constraints=False)
    participant.save(update_fields=["phase", "placement_employer", "placement_kind"])
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
    record_change(
        actor=by, target=participant, action="prep.phase_moved", note=f"{from_phase} -> {to_phase}"
    )
    return participant


def _check_placement(participant: Participant, *, employer, kind: str, by: User) -> None:
    if employer is None:
        raise ValidationError(
            {"placement_employer": _("Phase 3 is at an employer: choose the employer.")}
        )
    if kind not in Participant.PlacementKind.values:
        raise ValidationError(
            {"placement_kind": _("Say whether phase 3 is an internship or a regular workplace.")}
        )
    # The form offers the employers of the cohort's city only; a posted id from elsewhere is refused.
    if employer.city_id != participant.cohort.city_id:
        raise ValidationError({"placement_employer": _("Choose an employer in the cohort's city.")})


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
def session_create(
    *,
    cohort: Cohort,
    kind: str,
    date: dt.date,
    starts_at: dt.time,
    by: User,
    title: str = "",
    employer: Employer | None = None,
) -> Session:
    session = Session(
        cohort=cohort, kind=kind, date=date, starts_at=starts_at, title=title, employer=employer
    )
    _saved(session)
    record_change(actor=by, target=cohort, action="prep.session_created", note=str(session))
    return session


@transaction.atomic
def attendance_record(
    *, session: Session, marks: dict[int, tuple[str, str]], by: User
) -> list[Attendance]:
    """Record the attendance of a whole session at once: participant id -> (status, reason).

    Every id must be a participant of the session's own cohort; one that is not refuses the
    whole screen, and nothing is saved.
    """
    participants = {
        participant.pk: participant
        for participant in Participant.objects.filter(cohort_id=session.cohort_id).select_related(
            "youth", "cohort"
        )
    }
    unknown = set(marks) - set(participants)
    if unknown:
        raise ValidationError(_("Attendance can only be recorded for this cohort's participants."))
    existing = {row.participant_id: row for row in session.attendances.all()}
    saved = []
    for participant_id, (status, reason) in marks.items():
        if status not in Attendance.Status.values:
            raise ValidationError(_("Choose present, late, absent with or without a reason."))
        row = existing.get(participant_id) or Attendance(
            session=session, participant_id=participant_id
        )
        row.status, row.reason, row.recorded_by = status, reason.strip(), by
        row.full_clean(exclude=["participant", "session"], validate_constraints=False)
        row.save()
        saved.append(row)
        _check_absences(participants[participant_id], session)
    record_change(actor=by, target=session.cohort, action="prep.attendance", note=str(session))
    return saved


def _check_absences(participant: Participant, session: Session) -> None:
    """Two sessions in a row missed without a reason: the coaches and the youth worker hear of
    it once (the key names the later session; a correction cancels it)."""
    latest_two = list(
        Attendance.objects.filter(participant=participant, session__date__lte=session.date)
        .order_by("-session__date", "-session__starts_at")
        .values_list("session_id", "status")[:2]
    )
    keys = _absence_keys(participant, session)
    unexcused = Attendance.Status.ABSENT_UNEXCUSED
    if (
        len(latest_two) == 2
        and latest_two[0][0] == session.pk
        and all(status == unexcused for _session, status in latest_two)
        and participant.is_active
    ):
        due = timezone.now()
        plan_reminder(
            key=keys[0],
            kind=ABSENT_TWICE_KIND,
            due_at=due,
            target=participant,
            recipient_role="youth_worker",
            city=participant.cohort.city,
        )
        for coach, key in zip(participant.cohort.coaches.all(), keys[1:], strict=False):
            plan_reminder(
                key=key,
                kind=ABSENT_TWICE_KIND,
                due_at=due,
                target=participant,
                recipient=coach,
                city=participant.cohort.city,
            )
    else:
        cancel_reminders(keys=keys)


def _absence_keys(participant: Participant, session: Session) -> list[str]:
    base = f"prep.absent_twice:{participant.pk}:{session.pk}"
    coach_ids = participant.cohort.coaches.values_list("pk", flat=True)
    return [f"{base}:youth_worker"] + [f"{base}:coach{pk}" for pk in coach_ids]


@transaction.atomic
def skills_rate(
    *,
    participant: Participant,
    ratings: dict[Skill, tuple[int, str]],
    rater: str,
    by: User,
    employer: Employer | None = None,
    on: dt.date | None = None,
) -> list[SkillRating]:
    """Rate the programme's core skills (1-5, with a note). The coach's ratings of 3 or more
    feed the skills that matching reads."""
    on = on or timezone.localdate()
    if rater not in SkillRating.Rater.values:
        raise ValidationError(_("Say who gives the rating."))
    if rater == SkillRating.Rater.EMPLOYER and (
        employer is None or not participant.cohort.involvements.filter(employer=employer).exists()
    ):
        raise ValidationError({"employer": _("Choose an employer that takes part in this cohort.")})
    core = set(participant.cohort.programme.core_skills.values_list("pk", flat=True))
    saved = []
    for skill, (rating, note) in ratings.items():
        if skill.pk not in core:
            raise ValidationError(_("Rate the programme's core skills only."))
        if not isinstance(rating, int) or not RATING_MIN <= rating <= RATING_MAX:
            raise ValidationError({"rating": _("A rating is a whole number from 1 to 5.")})
        saved.append(
            _saved(
                SkillRating(
                    participant=participant,
                    skill=skill,
                    rating=rating,
                    rater=rater,
                    rated_on=on,
                    note=note.strip(),
                    recorded_by=by,
                    employer=employer if rater == SkillRating.Rater.EMPLOYER else None,
                )
            )
        )
    if rater == SkillRating.Rater.COACH:
        for row in saved:
            if row.rating >= 3:
                youth_skill_confirm(youth=participant.youth, skill=row.skill, by=by, on=on)
    record_change(actor=by, target=participant, action="prep.skills_rated", note=rater)
    return saved


@transaction.atomic
def coaching_log(
    *,
    participant: Participant,
    coach: User,
    held_on: dt.date,
    self_confidence: int,
    agreements: str,
    career_competences: str = "",
) -> CoachingTalk:
    """Log a one-to-one talk; the two-week reminder starts again from this talk."""
    if held_on > timezone.localdate():
        raise ValidationError({"held_on": _("A talk cannot be logged before it took place.")})
    talk = _saved(
        CoachingTalk(
            participant=participant,
            coach=coach,
            held_on=held_on,
            self_confidence=self_confidence,
            agreements=agreements.strip(),
            career_competences=career_competences.strip(),
        )
    )
    latest = participant.coaching_talks.order_by("-held_on").values_list("held_on", flat=True)[0]
    if participant.is_active:
        _plan_coaching_reminders(participant, since=latest)
    record_change(actor=coach, target=participant, action="prep.coaching_logged", note="")
    return talk


def _plan_coaching_reminders(participant: Participant, *, since: dt.date) -> None:
    """One reminder per coach (or the youth worker when the cohort has none), due two weeks
    after the latest talk. A new talk replaces the pending ones."""
    cancel_reminders(about=participant, kind=NO_COACHING_KIND)
    due = morning_of(since + dt.timedelta(days=NO_COACHING_DAYS))
    coaches = list(participant.cohort.coaches.all())
    base = f"prep.no_coaching:{participant.pk}:{since.isoformat()}"
    if not coaches:
        plan_reminder(
            key=f"{base}:youth_worker",
            kind=NO_COACHING_KIND,
            due_at=due,
            target=participant,
            recipient_role="youth_worker",
            city=participant.cohort.city,
        )
    for coach in coaches:
        plan_reminder(
            key=f"{base}:coach{coach.pk}",
            kind=NO_COACHING_KIND,
            due_at=due,
            target=participant,
            recipient=coach,
            city=participant.cohort.city,
        )


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
