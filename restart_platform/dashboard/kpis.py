"""The alliance's figures for a city (or all of the user's cities) and a period.

Every figure is counted in the database, one aggregate query each, so the dashboard answers
with the same number of queries whatever the size of the data. Each function says which
records it counts and which date puts a record in the period. A period runs from `start` to
`end`, both days included. Only records the user may see are counted (`scope_q`): a
coordinator's figures are those of their cities.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import (
    Case,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from buddy.models import TARGET_MONTHS, Pair
from employers.models import Employer, Opening
from intake.models import IntakeMeeting
from matching.models import FollowUp, Placement
from prep_programme.models import Participant
from restart_platform.accounts.access import scope_q
from restart_platform.accounts.models import City, User
from restart_platform.dates import EARLIEST_RECORD
from youth.models import YoungPerson

from .exports import Share, Table

RETENTION_MONTHS = (3, 6, 12)
# Employers that take part in the alliance: they committed, or young people work there.
TAKING_PART = (Employer.Stage.COMMITTED, Employer.Stage.ACTIVE)


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    @property
    def up_to_today(self) -> dt.date:
        """The period's last day that has already happened: follow-ups due later are unknown."""
        return min(self.end, timezone.localdate())


def this_year(today: dt.date | None = None) -> Period:
    today = today or timezone.localdate()
    return Period(dt.date(today.year, 1, 1), dt.date(today.year, 12, 31))


def _years_back(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def _scoped(queryset: QuerySet, user: User, city: City | None, path: str) -> QuerySet:
    queryset = queryset.filter(scope_q(user, city=path))
    return queryset.filter(**{path: city}) if city is not None else queryset


# --- Employers --------------------------------------------------------------------------------


def employer_counts(user: User, *, city: City | None, period: Period) -> dict[tuple, int]:
    """Employers by current pipeline stage and circularity: {(stage, circularity): count}.

    Counts every employer added to the platform on or before the period's last day (its
    `created_at`), at the stage it has now: the pipeline is a state, not an event, and the
    platform keeps no stage per day. One query.
    """
    rows = (
        _scoped(Employer.objects.all(), user, city, "city")
        .filter(created_at__date__lte=period.end)
        .values("stage", "circularity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    return {(row["stage"], row["circularity"]): row["n"] for row in rows}


def employers_by_stage(counts: dict[tuple, int]) -> Table:
    """Rows: the pipeline's stages in order; columns: each circularity and the total."""
    circularities = Employer.Circularity.choices
    table = Table(
        key="employers_by_stage",
        title=_("Employers per pipeline stage"),
        note=_(
            "Employers added up to the end of the period, at the stage they are at now, "
            "split by circularity."
        ),
        columns=[_("Stage"), *[str(label) for _value, label in circularities], _("Total")],
    )
    for stage, label in Employer.Stage.choices:
        values = [counts.get((stage, value), 0) for value, _label in circularities]
        table.rows.append([str(label), *values, sum(values)])
    return table


def employers_by_circularity(counts: dict[tuple, int]) -> Table:
    """All employers counted by `employer_counts`, and those taking part (committed or active)."""
    table = Table(
        key="employers_by_circularity",
        title=_("Employers by circularity"),
        note=_(
            "Employers added up to the end of the period; taking part: committed or active now."
        ),
        columns=[_("Circularity"), _("Employers"), _("Taking part")],
    )
    for value, label in Employer.Circularity.choices:
        total = sum(n for (_stage, circularity), n in counts.items() if circularity == value)
        taking_part = sum(counts.get((stage, value), 0) for stage in TAKING_PART)
        table.rows.append([str(label), total, taking_part])
    return table


# --- Young people -----------------------------------------------------------------------------


def youth_funnel(user: User, *, city: City | None, period: Period) -> Table:
    """The young people's way through the programme, each step counted in the period.

    Young people of the city (their record's city; merged duplicates not counted), each
    counted once per step:

    - registered: `registered_on` in the period;
    - intake held: an intake meeting with status "held" that started in the period;
    - in the programme: a participation in the pre-employment programme that ran during the
      period (enrolled on or before its end, not ended before its start);
    - placed: a placement that started in the period (`start_date`);
    - still placed after 3, 6 and 12 months: that month's follow-up of a placement fell due in
      the period, up to today (`due_on`), and was answered "still there".

    Each step counts what happened in the period, so a young person registered last year and
    placed this year counts as placed this year: the steps need not decrease. One query.
    """
    start, end = period.start, period.end
    # Each step as the set of young people it reached: `pk IN (...)` lets PostgreSQL build each
    # set once and look every young person up in it, where a correlated EXISTS ran a subquery
    # per young person and step (60,000 of them at ten thousand young people).
    held = IntakeMeeting.objects.filter(
        status=IntakeMeeting.Status.HELD,
        starts_at__date__gte=start,
        starts_at__date__lte=end,
    )
    in_programme = Participant.objects.filter(enrolled_on__lte=end).filter(
        Q(ended_on__isnull=True) | Q(ended_on__gte=start)
    )
    placed = Placement.objects.filter(start_date__gte=start, start_date__lte=end)

    def still_placed(month: int):
        return FollowUp.objects.filter(
            month=month, due_on__gte=start, due_on__lte=period.up_to_today, still_there=True
        ).values("placement__youth")

    figures = _scoped(YoungPerson.objects.current(), user, city, "city").aggregate(
        registered=Count("pk", filter=Q(registered_on__gte=start, registered_on__lte=end)),
        intake=Count("pk", filter=Q(pk__in=held.values("youth"))),
        programme=Count("pk", filter=Q(pk__in=in_programme.values("youth"))),
        placed=Count("pk", filter=Q(pk__in=placed.values("youth"))),
        **{f"still_{m}": Count("pk", filter=Q(pk__in=still_placed(m))) for m in RETENTION_MONTHS},
    )
    table = Table(
        key="youth_funnel",
        title=_("Young people: from registration to work"),
        note=_(
            "Young people counted once per step that happened in the period; still placed: "
            "the follow-up of that month fell due in the period and said still there."
        ),
        columns=[_("Step"), _("Young people")],
    )
    table.rows = [
        [_("Registered"), figures["registered"]],
        [_("Intake held"), figures["intake"]],
        [_("In the pre-employment programme"), figures["programme"]],
        [_("Placed"), figures["placed"]],
        *[
            [_("Still placed after %(months)s months") % {"months": m}, figures[f"still_{m}"]]
            for m in RETENTION_MONTHS
        ],
    ]
    return table


def placements_by_type(user: User, *, city: City | None, period: Period) -> Table:
    """Placements that started in the period (`start_date`), by the kind of their opening (a
    job, a paid internship, a learning-work place). A young person placed twice counts twice.
    One query."""
    counts = dict(
        _scoped(Placement.objects.all(), user, city, "youth__city")
        .filter(start_date__gte=period.start, start_date__lte=period.end)
        .values_list("opening__kind")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = Table(
        key="placements_by_type",
        title=_("Placements by type"),
        note=_("Placements that started in the period, by the kind of opening."),
        columns=[_("Type"), _("Placements")],
    )
    table.rows = [[str(label), counts.get(value, 0)] for value, label in Opening.Kind.choices]
    return table


def _left_before() -> Q:
    """A follow-up nobody answered because the young person had already gone: the placement
    ended on or before the follow-up's due date, or an earlier follow-up said "not there".
    The same rule as matching's retention figures: leaving them out would make the later
    months look better than they are."""
    left_earlier = Exists(
        FollowUp.objects.filter(
            placement=OuterRef("placement"), month__lt=OuterRef("month"), still_there=False
        )
    )
    return Q(still_there__isnull=True, placement__status=Placement.Status.ENDED) & (
        Q(placement__ended_on__lte=F("due_on")) | left_earlier
    )


def retention_counts(
    user: User, *, city: City | None, start: dt.date, end: dt.date
) -> dict[tuple[int, bool], dict]:
    """Follow-ups that fell due from `start` to `end` (`due_on`), by month and by whether the
    placement had a buddy (a buddy pair started from it and held its kick-off):
    {(month, with_buddy): {"known": n, "stayed": n}}.

    Known: answered, or not answered because the young person had already left
    (`_left_before`); stayed: answered "still there". A follow-up of an active placement that
    is still unanswered is unknown and not counted. One query.
    """
    with_buddy = Exists(
        Pair.objects.filter(placement=OuterRef("placement"), kickoff_on__isnull=False)
    )
    rows = (
        _scoped(FollowUp.objects.all(), user, city, "placement__youth__city")
        .filter(due_on__gte=start, due_on__lte=end)
        .annotate(with_buddy=with_buddy)
        .values("month", "with_buddy")
        .annotate(
            answered=Count("pk", filter=Q(still_there__isnull=False)),
            stayed=Count("pk", filter=Q(still_there=True)),
            left_before=Count("pk", filter=_left_before()),
        )
        .order_by()
    )
    return {
        (row["month"], bool(row["with_buddy"])): {
            "known": row["answered"] + row["left_before"],
            "stayed": row["stayed"],
        }
        for row in rows
    }


def _share(counts: dict, keys: list[tuple[int, bool]]) -> Share:
    known = sum(counts.get(key, {}).get("known", 0) for key in keys)
    stayed = sum(counts.get(key, {}).get("stayed", 0) for key in keys)
    return Share(stayed, known)


def retention_by_buddy(user: User, *, city: City | None, period: Period) -> Table:
    """Still placed after 1, 3, 6 and 12 months, with and without a buddy: of the follow-ups
    due in the period up to today whose outcome is known (`retention_counts`), the share
    answered "still there"."""
    counts = retention_counts(user, city=city, start=period.start, end=period.up_to_today)
    table = Table(
        key="retention_by_buddy",
        title=_("Still placed, with and without a buddy"),
        note=_(
            "Follow-ups due in the period whose outcome is known (answered, or the young "
            "person had already left): the share still there. With a buddy: a buddy pair "
            "started from the placement."
        ),
        columns=[_("After"), _("With a buddy"), _("Without a buddy"), _("All")],
    )
    for month in FollowUp.MONTHS:
        table.rows.append(
            [
                _("%(months)s months") % {"months": month}
                if month > 1
                else _("%(months)s month") % {"months": month},
                _share(counts, [(month, True)]),
                _share(counts, [(month, False)]),
                _share(counts, [(month, True), (month, False)]),
            ]
        )
    return table


# --- Buddy pairs ------------------------------------------------------------------------------


def _whole_months(start: str, end) -> ExpressionWrapper:
    """Whole months from one date field to another, as `Pair.months_running` counts them."""
    return ExpressionWrapper(
        (ExtractYear(end) - ExtractYear(start)) * 12
        + ExtractMonth(end)
        - ExtractMonth(start)
        - Case(When(**{f"{end}__day__lt": ExtractDay(start)}, then=Value(1)), default=Value(0)),
        output_field=IntegerField(),
    )


def buddy_pairs(user: User, *, city: City | None, period: Period) -> Table:
    """Buddy pairs of the city's young people.

    - started: the kick-off was held in the period (`kickoff_on`);
    - due to reach 12 months: the first anniversary of the kick-off lies in the period, up to
      today (kick-off between one year before the period's start and one year before its last
      day so far);
    - reached 12 months: of those, the pair is still open, or closed after at least 12 whole
      months (`Pair.months_running`).

    One query.
    """
    due_from = _years_back(period.start, 1)
    due_to = _years_back(period.up_to_today, 1)
    due = Q(kickoff_on__gte=due_from, kickoff_on__lte=due_to)
    figures = (
        _scoped(Pair.objects.all(), user, city, "youth__city")
        .annotate(months_closed=_whole_months("kickoff_on", "closed_on"))
        .aggregate(
            started=Count("pk", filter=Q(kickoff_on__gte=period.start, kickoff_on__lte=period.end)),
            due=Count("pk", filter=due),
            reached=Count(
                "pk",
                filter=due & (Q(closed_on__isnull=True) | Q(months_closed__gte=TARGET_MONTHS)),
            ),
        )
    )
    table = Table(
        key="buddy_pairs",
        title=_("Buddy pairs"),
        note=_(
            "Started: kick-off held in the period. Reaching 12 months: pairs whose first "
            "anniversary fell in the period; reached: still running then."
        ),
        columns=[_("Pairs"), _("Number")],
    )
    table.rows = [
        [_("Started"), figures["started"]],
        [_("Due to reach 12 months"), figures["due"]],
        [_("Reached 12 months"), figures["reached"]],
        [_("Share reaching 12 months"), Share(figures["reached"], figures["due"])],
    ]
    return table


# --- The pre-employment programme -------------------------------------------------------------


def programme(user: User, *, city: City | None, period: Period) -> tuple[Table, Table]:
    """The pre-employment programme in the cohorts of the city (the cohort's city).

    - per phase: participations that ran during the period (enrolled on or before its end, not
      ended before its start), by the phase they are in now, or ended in;
    - completed and left early: participations that ended in the period (`ended_on`), by
      status; completion is finished of all that ended;
    - certificates: of those finished in the period, the ones with a certificate recorded.

    One query for both tables.
    """
    start, end = period.start, period.end
    ran = Q(enrolled_on__lte=end) & (Q(ended_on__isnull=True) | Q(ended_on__gte=start))
    ended = Q(ended_on__gte=start, ended_on__lte=end)
    finished = ended & Q(status=Participant.Status.FINISHED)
    figures = _scoped(Participant.objects.all(), user, city, "cohort__city").aggregate(
        **{f"phase_{n}": Count("pk", filter=ran & Q(phase=n)) for n in (1, 2, 3)},
        finished=Count("pk", filter=finished),
        left=Count("pk", filter=ended & Q(status=Participant.Status.LEFT)),
        certificates=Count("pk", filter=finished & ~Q(certificate="")),
    )
    phases = Table(
        key="programme_phases",
        title=_("Participants per phase"),
        note=_("Participations that ran in the period, by the phase they are in or ended in."),
        columns=[_("Phase"), _("Participants")],
        rows=[[_("Phase %(number)s") % {"number": n}, figures[f"phase_{n}"]] for n in (1, 2, 3)],
    )
    done = figures["finished"] + figures["left"]
    completion = Table(
        key="programme_completion",
        title=_("Completion and certificates"),
        note=_("Participations that ended in the period."),
        columns=[_("Participations"), _("Number")],
        rows=[
            [_("Finished"), figures["finished"]],
            [_("Left early"), figures["left"]],
            [_("Completion"), Share(figures["finished"], done)],
            [_("Certificates obtained"), figures["certificates"]],
        ],
    )
    return phases, completion


def all_figures(user: User, *, city: City | None, period: Period) -> list[Table]:
    """Every figure of the dashboard, in the order the page shows them."""
    counts = employer_counts(user, city=city, period=period)
    phases, completion = programme(user, city=city, period=period)
    return [
        employers_by_stage(counts),
        employers_by_circularity(counts),
        youth_funnel(user, city=city, period=period),
        placements_by_type(user, city=city, period=period),
        buddy_pairs(user, city=city, period=period),
        retention_by_buddy(user, city=city, period=period),
        phases,
        completion,
    ]


# --- The employer pitch -----------------------------------------------------------------------


def pitch_figures(user: User, *, city: City | None, today: dt.date | None = None) -> Table:
    """The alliance's results since it began, for an employer being recruited:

    - young people placed: young people with at least one placement that has started;
    - still working after 6 and 12 months: of the follow-ups of that month due up to today
      whose outcome is known, those answered "still there" (as `retention_counts`);
    - employers taking part: committed or active now, by circularity.

    Three queries. The page shows them suppressed: it leaves the platform.
    """
    today = today or timezone.localdate()
    placed = (
        _scoped(YoungPerson.objects.current(), user, city, "city")
        .filter(Exists(Placement.objects.filter(youth=OuterRef("pk"), start_date__lte=today)))
        .count()
    )
    retention = retention_counts(user, city=city, start=EARLIEST_RECORD, end=today)
    taking_part = dict(
        _scoped(Employer.objects.all(), user, city, "city")
        .filter(stage__in=TAKING_PART)
        .values_list("circularity")
        .annotate(n=Count("pk"))
        .order_by()
    )
    table = Table(
        key="pitch",
        title=_("Our results"),
        note=_("Since the alliance began, up to today."),
        columns=[_("Result"), _("Number")],
    )
    table.rows = [[_("Young people placed"), placed]]
    for month in (6, 12):
        share = _share(retention, [(month, True), (month, False)])
        table.rows.append([_("Still working after %(months)s months") % {"months": month}, share])
    for value, label in Employer.Circularity.choices:
        table.rows.append(
            [
                _("Employers taking part: %(circularity)s") % {"circularity": label},
                taking_part.get(value, 0),
            ]
        )
    return table
