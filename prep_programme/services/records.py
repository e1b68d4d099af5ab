"""Sessions, attendance with its absence reminders, skill ratings and coaching talks."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.models import Employer
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import User
from restart_platform.notifications.services import cancel_reminders, morning_of, plan_reminder
from restart_platform.taxonomy.models import Skill
from youth.services import youth_skill_confirm

from ..models import (
    RATING_MAX,
    RATING_MIN,
    Attendance,
    CoachingTalk,
    Cohort,
    EmployerInvolvement,
    Participant,
    Session,
    SkillRating,
)
from .common import (
    ABSENT_TWICE_KIND,
    NO_COACHING_DAYS,
    NO_COACHING_KIND,
    _saved,
)


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
