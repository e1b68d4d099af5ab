"""Writes of the pre-employment programme: enrolment, phases, attendance, ratings, coaching."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import Employer
from employers.selectors import employers_visible_to
from intake.models import IntakeRecord
from matching.models import Placement
from matching.selectors import placements_visible_to
from restart_platform.accounts.access import cities_for, coordinators_for, youth_workers_for
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import City, User
from restart_platform.notifications.services import cancel_reminders, morning_of, plan_reminder
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
    EmployerInvolvement,
    Participant,
    PhaseChange,
    Programme,
    Session,
    SkillRating,
)

ENROLMENT_KIND = "prep.enrolment_proposed"
PLACEMENT_TO_LINK_KIND = "prep.placement_to_link"
PLACEMENT_ENDED_KIND = "prep.placement_ended"
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
    placement: Placement | None = None,
    on: dt.date | None = None,
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
    if on > timezone.localdate():
        raise ValidationError({"rated_on": _("A rating cannot be dated in the future.")})
    if not participant.is_active:
        raise ValidationError(_("This participant no longer takes part."))
    if rater == SkillRating.Rater.EMPLOYER:
        _check_employer_rater(participant, employer=employer, by=by)
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
    if rater == SkillRating.Rater.EMPLOYER:
        EmployerInvolvement.objects.get_or_create(
            cohort=participant.cohort,
            employer=employer,
            kind=EmployerInvolvement.Kind.RATED,
            defaults={"noted_on": on, "note": _("Rated skills at a workplace visit")},
        )
    if rater == SkillRating.Rater.COACH:
        for row in saved:
            if row.rating >= 3:
                youth_skill_confirm(youth=participant.youth, skill=row.skill, by=by, on=on)
    record_change(actor=by, target=participant, action="prep.skills_rated", note=rater)
    return saved


def _check_employer_rater(participant: Participant, *, employer: Employer | None, by: User):
    """An employer rates only as its own contact, and only in a cohort it takes part in."""
    involved = (
        employer is not None
        and participant.cohort.involvements.filter(employer=employer).exists()
        and employer.contacts.filter(user=by).exists()
    )
    if not involved:
        raise ValidationError({"employer": _("Choose an employer that takes part in this cohort.")})


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


# --- Cohorts and the employers involved: the coordinator's pages ------------------------------


def coaches_for(user: User):
    """Who may coach a cohort: the coordinators and youth workers of the user's cities."""
    ids = list(coordinators_for(user).values_list("pk", flat=True)) + list(
        youth_workers_for(user).values_list("pk", flat=True)
    )
    return User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "pk")


@transaction.atomic
def cohort_save(
    *,
    by: User,
    programme: Programme,
    city: City,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    coaches: list[User],
    cohort: Cohort | None = None,
) -> Cohort:
    """Create a cohort, or change one: its city is one of the coordinator's, its dates hold
    every session and enrolment already recorded, its coaches are people of the user's cities."""
    if not cities_for(by).filter(pk=city.pk).exists():
        raise ValidationError({"city": _("Choose one of your own cities.")})
    if not programme.is_active and (cohort is None or cohort.programme_id != programme.pk):
        raise ValidationError({"programme": _("This programme is no longer offered.")})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The cohort ends after it starts.")})
    allowed = set(coaches_for(by).values_list("pk", flat=True))
    if any(coach.pk not in allowed for coach in coaches):
        raise ValidationError({"coaches": _("Choose coaches from your own cities.")})
    if cohort is not None:
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        outside = cohort.sessions.exclude(date__gte=starts_on, date__lte=ends_on)
        if outside.exists():
            raise ValidationError(
                {"starts_on": _("Sessions were recorded outside these dates: move them first.")}
            )
        if cohort.participants.exists() and city.pk != cohort.city_id:
            raise ValidationError(
                {"city": _("The cohort has participants: its city can no longer change.")}
            )
    cohort = cohort or Cohort()
    cohort.programme, cohort.city, cohort.name = programme, city, name.strip()
    cohort.starts_on, cohort.ends_on = starts_on, ends_on
    created = cohort.pk is None
    _saved(cohort)
    cohort.coaches.set(coaches)
    record_change(
        actor=by,
        target=cohort,
        action="prep.cohort_created" if created else "prep.cohort_changed",
        note=", ".join(str(coach.pk) for coach in coaches),
    )
    return cohort


@transaction.atomic
def involvement_add(
    *, cohort: Cohort, employer: Employer, kind: str, by: User, note: str = "", on: dt.date
) -> EmployerInvolvement:
    """Record how an employer took part in a cohort (once per kind)."""
    if not employers_visible_to(by).filter(pk=employer.pk, city__in=cities_for(by)).exists():
        raise ValidationError({"employer": _("Choose an employer of your own cities.")})
    if cohort.involvements.filter(employer=employer, kind=kind).exists():
        raise ValidationError(
            {"kind": _("This employer's part in the cohort is recorded already.")}
        )
    involvement = _saved(
        EmployerInvolvement(
            cohort=cohort, employer=employer, kind=kind, note=note.strip(), noted_on=on
        )
    )
    record_change(
        actor=by, target=cohort, action="prep.involvement_added", note=f"{employer.pk} {kind}"
    )
    return involvement


@transaction.atomic
def involvement_remove(*, involvement: EmployerInvolvement, by: User) -> None:
    record_change(
        actor=by,
        target=involvement.cohort,
        action="prep.involvement_removed",
        note=f"{involvement.employer_id} {involvement.kind}",
    )
    involvement.delete()
