"""Reads of the pre-employment programme, each starting from what the user may see.

admin, coordinator  every cohort and participant of their cities (scope_q)
coach               the cohorts they coach, with every participant in them
youth worker        the participants of their own caseload, and the cohorts those are in
employer contact    the cohorts their employer takes part in, without the participants
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, RowNumber
from django.utils.translation import gettext as _

from employers.selectors import employers_visible_to
from restart_platform.accounts.access import cities_for, has_role, is_admin, scope_q
from restart_platform.accounts.models import User
from restart_platform.subqueries import latest
from youth.models import parse_case_reference

from .criteria import Progress, measure
from .models import (
    LAST_PHASE,
    PHASES,
    Attendance,
    CoachingTalk,
    Cohort,
    Participant,
    Phase,
    PhaseChange,
    Programme,
    Session,
    SkillRating,
)

Role = User.Role


def cohorts_visible_to(user: User) -> QuerySet[Cohort]:
    q = scope_q(user, city="city")
    if has_role(user, Role.COORDINATOR, Role.YOUTH_WORKER):
        q |= Exists(Cohort.coaches.through.objects.filter(cohort=OuterRef("pk"), user=user))
    if has_role(user, Role.YOUTH_WORKER):
        q |= Exists(Participant.objects.filter(cohort=OuterRef("pk"), youth__youth_worker=user))
    if has_role(user, Role.EMPLOYER_CONTACT):
        q |= Exists(
            Cohort.employers.through.objects.filter(
                cohort=OuterRef("pk"), employer__contacts__user=user
            )
        )
    return Cohort.objects.filter(q)


def cohorts_managed_by(user: User) -> QuerySet[Cohort]:
    """The cohorts whose sessions, attendance, ratings and phases a user records: the
    coordinators of the city and the cohort's own coaches."""
    q = scope_q(user, city="city")
    if has_role(user, Role.COORDINATOR, Role.YOUTH_WORKER):
        q |= Exists(Cohort.coaches.through.objects.filter(cohort=OuterRef("pk"), user=user))
    return Cohort.objects.filter(q)


def participants_visible_to(user: User) -> QuerySet[Participant]:
    q = scope_q(user, city="cohort__city", caseload="youth__youth_worker")
    if has_role(user, Role.COORDINATOR, Role.YOUTH_WORKER):
        q |= Exists(Cohort.coaches.through.objects.filter(cohort=OuterRef("cohort_id"), user=user))
    return Participant.objects.filter(q)


def participants_managed_by(user: User) -> QuerySet[Participant]:
    return Participant.objects.filter(cohort__in=cohorts_managed_by(user))


def may_manage(user: User, cohort: Cohort) -> bool:
    return is_admin(user) or cohorts_managed_by(user).filter(pk=cohort.pk).exists()


def cohorts_filtered(user: User, filters: dict, *, today: dt.date) -> QuerySet[Cohort]:
    cohorts = (
        cohorts_visible_to(user)
        .select_related("programme", "city")
        .annotate(
            active_count=Count(
                "participants", filter=Q(participants__status=Participant.Status.ACTIVE)
            )
        )
        .order_by("-starts_on", "name", "pk")
    )
    if filters.get("q"):
        cohorts = cohorts.filter(
            Q(name__icontains=filters["q"]) | Q(programme__name__icontains=filters["q"])
        )
    if filters.get("city"):
        cohorts = cohorts.filter(city=filters["city"])
    if filters.get("programme"):
        cohorts = cohorts.filter(programme=filters["programme"])
    when = filters.get("when")
    if when == "running":
        cohorts = cohorts.filter(starts_on__lte=today, ends_on__gte=today)
    elif when == "finished":
        cohorts = cohorts.filter(ends_on__lt=today)
    elif when == "planned":
        cohorts = cohorts.filter(starts_on__gt=today)
    return cohorts


def programmes_offered() -> QuerySet[Programme]:
    return Programme.objects.filter(is_active=True)


NO_COACHING_DAYS = 14
LOW_ATTENDANCE = 80


@dataclass(frozen=True)
class OverviewRow:
    participant: Participant
    progress: Progress
    last_coaching: dt.date | None
    today: dt.date

    @property
    def needs_attention(self) -> list[str]:
        """Why a coordinator should look at this participant now (nothing once they left)."""
        if not self.participant.is_active:
            return []
        reasons = []
        rate = self.progress.attendance_rate
        if rate is not None and rate < LOW_ATTENDANCE:
            reasons.append(_("attendance below 80%"))
        if self.progress.unexcused_in_a_row >= 2:
            reasons.append(_("absent twice in a row without a reason"))
        since = self.last_coaching or self.participant.enrolled_on
        if since < self.today - dt.timedelta(days=NO_COACHING_DAYS):
            reasons.append(_("no coaching talk for two weeks"))
        return reasons


def _last_coaching():
    """A participant's latest coaching talk, for the rows shown."""
    return latest(CoachingTalk.objects.filter(participant=OuterRef("pk")), "held_on")


def cohort_participants(user: User, cohort: Cohort) -> QuerySet[Participant]:
    """The participants of the cohort the user may see, in name order, with their last
    coaching talk (a subquery per participant shown, not a grouped join)."""
    return (
        participants_visible_to(user)
        .filter(cohort=cohort)
        .select_related("youth", "cohort")
        .annotate(last_coaching=_last_coaching())
        .order_by("youth__first_name", "youth__last_name", "pk")
    )


def cohort_overview(user: User, cohort: Cohort, *, today: dt.date) -> list[OverviewRow]:
    """Every participant of the cohort the user may see, with what the overview shows (for the
    export; the page shows them a page at a time)."""
    return overview_rows(list(cohort_participants(user, cohort)), today=today)


def sessions_of(cohort: Cohort) -> QuerySet[Session]:
    return cohort.sessions.annotate(recorded=Count("attendances"))


def sessions_managed_by(user: User) -> QuerySet[Session]:
    return Session.objects.filter(cohort__in=cohorts_managed_by(user))


def cohorts_to_enrol_in(youth, *, today: dt.date) -> QuerySet[Cohort]:
    """The running cohorts of the young person's city: whoever may see the young person may
    propose one of them (the service checks city and dates again)."""
    return (
        Cohort.objects.filter(city=youth.city_id, starts_on__lte=today, ends_on__gte=today)
        .select_related("programme")
        .order_by("starts_on", "name")
    )


@dataclass(frozen=True)
class CohortFigures:
    participants: int
    days_per_phase: dict[int, float | None]  # mean days spent in each phase, finished stays only
    reached_phase_3: int
    left: int
    left_reasons: list[str]

    @property
    def share_reaching_phase_3(self) -> int | None:
        return round(100 * self.reached_phase_3 / self.participants) if self.participants else None


def cohort_figures(cohort: Cohort, *, today: dt.date) -> CohortFigures:
    """Time per phase, the share reaching phase 3 and who left early and why. Two queries.

    A phase counts once it is over: from the day a participant entered it to the day they moved
    on, left or finished. A stay still running is not averaged in, so the figure does not
    shrink while the cohort runs."""
    people = list(cohort.participants.values_list("pk", "status", "ended_on", "left_reason"))
    changes = defaultdict(list)
    for participant_id, to_phase, changed_on in (
        PhaseChange.objects.filter(participant__cohort=cohort)
        .order_by("changed_on", "pk")
        .values_list("participant_id", "to_phase", "changed_on")
    ):
        changes[participant_id].append((to_phase, changed_on))
    stays = defaultdict(list)
    for pk, _status, ended_on, _reason in people:
        steps = changes[pk]
        if not steps:  # a row written without the enrolment service has no history
            continue
        for (phase, start), end in zip(
            steps, [day for _phase, day in steps[1:]] + [ended_on], strict=True
        ):
            if end is not None:
                stays[phase].append((end - start).days)
    left = [reason for _pk, status, _ended, reason in people if status == Participant.Status.LEFT]
    return CohortFigures(
        participants=len(people),
        days_per_phase={
            phase: (sum(stays[phase]) / len(stays[phase]) if stays[phase] else None)
            for phase in PHASES
        },
        reached_phase_3=sum(
            any(phase == LAST_PHASE for phase, _day in changes[pk]) for pk, *_rest in people
        ),
        left=len(left),
        left_reasons=sorted(left),
    )


# --- The start page -----------------------------------------------------------------------------

ATTENDANCE_WINDOW_DAYS = 28  # the default window of the phase criteria


def participants_needing_attention(user: User, *, today: dt.date) -> QuerySet[Participant]:
    """Active participants the user may see whom the cohort overview would flag: attendance
    below 80% over the last four weeks, absent twice in a row without a reason, or no coaching
    talk for two weeks; with a flag per reason, the longest without coaching first.

    The figures come from three grouped queries over the participants' own rows, and the flags
    are decided here: a single query with a subquery per figure and participant took a tenth of
    a second at ten thousand young people, and a join of attendances with coaching talks
    multiplied their rows. The result is a queryset of the flagged, so a page counts and slices
    it as any other."""
    active = participants_visible_to(user).filter(status=Participant.Status.ACTIVE)
    enrolled = dict(active.order_by().values_list("pk", "enrolled_on"))
    if not enrolled:
        return Participant.objects.none()
    ids = sorted(enrolled)
    last_talk = dict(
        CoachingTalk.objects.filter(participant_id__any_of=ids)
        .order_by()
        .values("participant_id")
        .annotate(last=Max("held_on"))
        .values_list("participant_id", "last")
    )
    counts = {
        pk: (recorded, attended)
        for pk, recorded, attended in Attendance.objects.filter(
            participant_id__any_of=ids,
            session__date__gt=today - dt.timedelta(days=ATTENDANCE_WINDOW_DAYS),
            session__date__lte=today,
        )
        .order_by()
        .values("participant_id")
        .annotate(
            recorded=Count("pk"),
            attended=Count(
                "pk", filter=Q(status__in=[Attendance.Status.PRESENT, Attendance.Status.LATE])
            ),
        )
        .values_list("participant_id", "recorded", "attended")
    }
    latest_two = defaultdict(list)
    for pk, status in (
        Attendance.objects.filter(participant_id__any_of=ids)
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("participant_id"),
                order_by=[
                    F("session__date").desc(),
                    F("session__starts_at").desc(),
                    F("pk").desc(),
                ],
            )
        )
        .filter(rank__lte=2)
        .order_by("participant_id", "rank")
        .values_list("participant_id", "status")
    ):
        latest_two[pk].append(status)
    coaching_due = today - dt.timedelta(days=NO_COACHING_DAYS)
    flags = {"no_coaching": [], "low_attendance": [], "absent_twice": []}
    for pk in ids:
        if (last_talk.get(pk) or enrolled[pk]) < coaching_due:
            flags["no_coaching"].append(pk)
        recorded, attended = counts.get(pk, (0, 0))
        if recorded and attended * 100 < recorded * LOW_ATTENDANCE:
            flags["low_attendance"].append(pk)
        if latest_two[pk] == [Attendance.Status.ABSENT_UNEXCUSED] * 2:
            flags["absent_twice"].append(pk)
    flagged = sorted(set().union(*flags.values()))
    return (
        Participant.objects.filter(pk__any_of=flagged)
        .annotate(
            last_coaching=_last_coaching(),
            coaching_since=Coalesce(F("last_coaching"), F("enrolled_on")),
            **{
                flag: Case(
                    When(pk__any_of=members, then=Value(True)),
                    default=Value(False),
                    output_field=BooleanField(),
                )
                for flag, members in flags.items()
            },
        )
        .select_related("youth", "cohort")
        .order_by("coaching_since", "pk")
    )


def sessions_of_caseload_between(user: User, *, start: dt.date, end: dt.date) -> QuerySet[Session]:
    """For a youth worker's start page: the sessions from `start` to `end` (inclusive) of the
    cohorts their young people take part in now."""
    their_cohorts = Participant.objects.filter(
        youth__youth_worker=user, status=Participant.Status.ACTIVE
    ).values("cohort_id")
    return (
        Session.objects.filter(cohort__in=their_cohorts, date__gte=start, date__lte=end)
        .select_related("cohort")
        .order_by("date", "starts_at", "pk")
    )


def cohorts_rated_by(employer) -> QuerySet[Cohort]:
    """The cohorts an employer takes part in (any involvement): where its contacts rate."""
    if employer is None:
        return Cohort.objects.none()
    return (
        Cohort.objects.filter(involvements__employer=employer)
        .distinct()
        .select_related("programme")
    )


def participants_to_rate(cohort: Cohort) -> QuerySet[Participant]:
    return (
        cohort.participants.filter(status=Participant.Status.ACTIVE)
        .select_related("youth")
        .order_by("youth__first_name", "youth__last_name", "pk")
    )


def ratings_made_by(user: User) -> QuerySet[SkillRating]:
    """An employer contact sees the ratings they recorded themselves, and no others."""
    return (
        SkillRating.objects.filter(recorded_by=user, rater=SkillRating.Rater.EMPLOYER)
        .select_related("participant__youth", "skill")
        .order_by("-rated_on", "-pk")
    )


@dataclass(frozen=True)
class EmployerSummary:
    phase: int
    phase_name: str
    ratings: list[tuple[str, int]]  # (core skill, the coach's latest rating)


def programme_summary_for_employer(youth_id: int) -> EmployerSummary | None:
    """What a shared profile may show of the programme: the phase of a running participation
    and the coach's latest rating of each core skill. No notes, no other raters, no attendance.
    Three queries."""
    participant = (
        Participant.objects.filter(youth_id=youth_id, status=Participant.Status.ACTIVE)
        .select_related("cohort")
        .first()
    )
    if participant is None:
        return None
    phase = Phase.objects.filter(
        programme_id=participant.cohort.programme_id, number=participant.phase
    ).first()
    core = Programme.core_skills.through.objects.filter(
        programme_id=participant.cohort.programme_id
    ).values("skill_id")
    latest = {}
    for row in (
        SkillRating.objects.filter(
            participant=participant, rater=SkillRating.Rater.COACH, skill_id__in=core
        )
        .select_related("skill")
        .order_by("rated_on", "pk")
    ):
        latest[row.skill.label] = row.rating  # later rows overwrite earlier ones
    return EmployerSummary(
        phase=participant.phase,
        phase_name=phase.name if phase else "",
        ratings=sorted(latest.items()),
    )


def cohorts_editable_by(user: User) -> QuerySet[Cohort]:
    """Cohorts, their coaches and employers are the business of the coordinators of the city
    (and admins); a coach of another city runs the cohort but does not change it."""
    return Cohort.objects.filter(scope_q(user, city="city"))


def involvements_of(cohort: Cohort):
    return cohort.involvements.select_related("employer").order_by("employer__name", "kind", "pk")


def employers_to_involve(user: User):
    """Employers of the user's own cities (an admin: all)."""
    return (
        employers_visible_to(user)
        .filter(city__in=cities_for(user))
        .select_related("city")
        .order_by("name", "pk")
    )


def participants_filtered(user: User, filters: dict) -> QuerySet[Participant]:
    """The participant list across cohorts: what the user may see, after search and filters."""
    participants = (
        participants_visible_to(user)
        .select_related("youth", "cohort__city", "cohort")
        # A subquery, not Max() over a join: no GROUP BY, so the count and the page read only
        # the participants, and the latest talk is looked up for the rows shown.
        .annotate(last_coaching=_last_coaching())
        .order_by("youth__first_name", "youth__last_name", "pk")
    )
    if query := (filters.get("q") or "").strip():
        matches = (
            Q(youth__first_name__icontains=query)
            | Q(youth__preferred_name__icontains=query)
            | Q(youth__last_name__icontains=query)
        )
        if (pk := parse_case_reference(query)) is not None:
            matches |= Q(youth__pk=pk)
        participants = participants.filter(matches)
    if filters.get("city"):
        participants = participants.filter(cohort__city=filters["city"])
    if filters.get("cohort"):
        participants = participants.filter(cohort=filters["cohort"])
    if filters.get("phase"):
        participants = participants.filter(phase=filters["phase"])
    if filters.get("status"):
        participants = participants.filter(status=filters["status"])
    return participants


def overview_rows(participants: list[Participant], *, today: dt.date) -> list[OverviewRow]:
    """Rows with progress and what needs attention, for participants annotated with
    `last_coaching`: four queries, whatever their number."""
    progress = measure(participants, day=today)
    return [OverviewRow(p, progress[p.pk], p.last_coaching, today) for p in participants]
