"""The criteria to move on, measured from the records.

Phase 1 (work rhythm) looks at attendance over a window of days ending on the day measured:
the share of recorded sessions attended (present or late) and the number of late arrivals.
Phase 2 (skills) looks at the latest rating by the coach of each of the programme's core
skills. Which thresholds apply, and over how many days, is data on the programme's phases.

Everything is computed for many participants at once, in a fixed number of queries, so the
cohort overview costs the same for ten participants as for five hundred.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from .models import Attendance, Participant, Phase, Programme, SkillRating

ATTENDED = {Attendance.Status.PRESENT, Attendance.Status.LATE}


@dataclass(frozen=True)
class Check:
    """One criterion as measured: what is required, what the records say, and whether it holds."""

    label: str
    required: str
    measured: str
    met: bool

    def as_dict(self) -> dict:
        return {
            "label": self.label,
            "required": self.required,
            "measured": self.measured,
            "met": self.met,
        }


@dataclass
class Progress:
    """A participant's standing against the criteria to leave their current phase."""

    phase: int
    attendance_rate: float | None = None  # 0..100 over the phase's window; None: nothing recorded
    late: int = 0
    unexcused_in_a_row: int = 0
    checks: list[Check] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return all(check.met for check in self.checks)

    @property
    def percent(self) -> int:
        """How far towards the next phase: the share of its criteria met (100 with none)."""
        if not self.checks:
            return 100
        return round(100 * sum(check.met for check in self.checks) / len(self.checks))


@dataclass(frozen=True)
class _Mark:
    date: dt.date
    time: dt.time
    status: str


def measure(participants: list[Participant], *, day: dt.date) -> dict[int, Progress]:
    """Progress of each participant on `day`, keyed by participant id. Four queries in all."""
    if not participants:
        return {}
    programme_ids = {participant.cohort.programme_id for participant in participants}
    phases = {
        (phase.programme_id, phase.number): phase
        for phase in Phase.objects.filter(programme_id__in=programme_ids)
    }
    core = _core_skills(programme_ids)
    longest = max([phase.window_days for phase in phases.values()] or [28])
    marks = _marks(participants, since=day - dt.timedelta(days=longest - 1), until=day)
    ratings = _latest_coach_ratings(participants, until=day)
    result = {}
    for participant in participants:
        phase = phases.get((participant.cohort.programme_id, participant.phase))
        result[participant.pk] = _progress(
            participant,
            phase,
            marks=marks[participant.pk],
            ratings=ratings[participant.pk],
            core=core[participant.cohort.programme_id],
            day=day,
        )
    return result


def measure_one(participant: Participant, *, day: dt.date) -> Progress:
    return measure([participant], day=day)[participant.pk]


def _progress(participant, phase, *, marks, ratings, core, day) -> Progress:
    progress = Progress(phase=participant.phase)
    window = phase.window_days if phase else 28
    recent = [mark for mark in marks if mark.date > day - dt.timedelta(days=window)]
    if recent:
        attended = sum(mark.status in ATTENDED for mark in recent)
        progress.attendance_rate = 100 * attended / len(recent)
    progress.late = sum(mark.status == Attendance.Status.LATE for mark in recent)
    progress.unexcused_in_a_row = _unexcused_in_a_row(marks)
    if phase is None:
        return progress
    if phase.min_attendance_percent is not None:
        rate = progress.attendance_rate
        progress.checks.append(
            Check(
                label=_("Attendance over the last %(days)s days") % {"days": window},
                required=_("at least %(percent)s%%") % {"percent": phase.min_attendance_percent},
                measured=_("no sessions recorded") if rate is None else f"{rate:.0f}%",
                met=rate is not None and rate >= phase.min_attendance_percent,
            )
        )
    if phase.max_late is not None:
        progress.checks.append(
            Check(
                label=_("Late arrivals over the last %(days)s days") % {"days": window},
                required=_("at most %(count)s") % {"count": phase.max_late},
                measured=str(progress.late),
                met=bool(recent) and progress.late <= phase.max_late,
            )
        )
    if phase.min_core_rating is not None:
        for skill_id, skill_label in core:
            rating = ratings.get(skill_id)
            progress.checks.append(
                Check(
                    label=_("%(skill)s, rated by the coach") % {"skill": skill_label},
                    required=_("at least %(rating)s of 5") % {"rating": phase.min_core_rating},
                    measured=_("not rated yet") if rating is None else f"{rating} / 5",
                    met=rating is not None and rating >= phase.min_core_rating,
                )
            )
    return progress


def _unexcused_in_a_row(marks: list[_Mark]) -> int:
    count = 0
    for mark in sorted(marks, key=lambda m: (m.date, m.time), reverse=True):
        if mark.status != Attendance.Status.ABSENT_UNEXCUSED:
            break
        count += 1
    return count


def _core_skills(programme_ids) -> dict[int, list[tuple[int, str]]]:
    core = defaultdict(list)
    through = Programme.core_skills.through.objects.filter(programme_id__in=programme_ids)
    for row in through.select_related("skill").order_by("skill__name_nl"):
        core[row.programme_id].append((row.skill_id, row.skill.label))
    return core


def _marks(participants, *, since: dt.date, until: dt.date) -> dict[int, list[_Mark]]:
    marks = defaultdict(list)
    rows = Attendance.objects.filter(
        participant__in=[participant.pk for participant in participants],
        session__date__gte=since,
        session__date__lte=until,
    ).values_list("participant_id", "session__date", "session__starts_at", "status")
    for participant_id, date, time, status in rows:
        marks[participant_id].append(_Mark(date=date, time=time, status=status))
    return marks


def _latest_coach_ratings(participants, *, until: dt.date) -> dict[int, dict[int, int]]:
    latest = defaultdict(dict)
    rows = (
        SkillRating.objects.filter(
            participant__in=[participant.pk for participant in participants],
            rater=SkillRating.Rater.COACH,
            rated_on__lte=until,
        )
        .order_by("rated_on", "pk")
        .values_list("participant_id", "skill_id", "rating")
    )
    for participant_id, skill_id, rating in rows:  # later rows overwrite earlier ones
        latest[participant_id][skill_id] = rating
    return latest
