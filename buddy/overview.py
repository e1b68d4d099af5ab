"""The coordinator's overview of the buddy programme: what the literature says matters, measured.

Each figure is one query over the pairs (or follow-ups) the user may see, whatever their number.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet

from matching.selectors.placements import follow_ups_visible_to
from restart_platform.accounts.models import User

from .models import TARGET_MONTHS, CheckIn, Pair
from .selectors import pairs_for_list, pairs_visible_to

RETENTION_MONTHS = (3, 6, 12)
CHART_WIDTH, CHART_HEIGHT = 80, 20  # the trust trend per pair, in SVG units
ACTIVE_PAIRS_SHOWN = 50


@dataclass(frozen=True)
class Share:
    count: int
    total: int

    @property
    def percentage(self) -> int | None:
        return round(100 * self.count / self.total) if self.total else None


def active_pairs(user: User) -> QuerySet[Pair]:
    """The running pairs, longest first, each with its check-ins for the trust trend."""
    return (
        pairs_for_list(user)
        .filter(status__in=[Pair.Status.KICKED_OFF, Pair.Status.ACTIVE])
        .prefetch_related(
            Prefetch(
                "checkins",
                queryset=CheckIn.objects.order_by("held_on", "pk").only(
                    "pair_id", "held_on", "trust_mentor", "trust_youth"
                ),
            )
        )
        .order_by("kickoff_on", "pk")
    )


def trust_points(pair: Pair) -> str:
    """The trust trend as SVG polyline points: each check-in's mean of both sides' trust (1-5),
    left to right in time; check-ins without a trust rating are left out."""
    values = []
    for checkin in pair.checkins.all():
        rated = [value for value in (checkin.trust_mentor, checkin.trust_youth) if value]
        if rated:
            values.append(sum(rated) / len(rated))
    if not values:
        return ""
    step = CHART_WIDTH / max(len(values) - 1, 1)
    return " ".join(
        f"{round(index * step, 1)},{round(CHART_HEIGHT - (value - 1) / 4 * CHART_HEIGHT, 1)}"
        for index, value in enumerate(values)
    )


def reached_target(user: User, *, today: dt.date) -> Share:
    """Of the pairs that could have run 12 months by now, how many did."""
    due = today - relativedelta(months=TARGET_MONTHS)
    rows = pairs_visible_to(user).filter(kickoff_on__lte=due).values_list("kickoff_on", "closed_on")
    reached = sum(
        1
        for kickoff_on, closed_on in rows
        if closed_on is None or closed_on >= kickoff_on + relativedelta(months=TARGET_MONTHS)
    )
    return Share(reached, len(rows))


def close_reasons(user: User) -> list[tuple[str, str, int]]:
    """(reason, label, how many closed pairs) for every reason, in the order of the choices."""
    counts = dict(
        pairs_visible_to(user)
        .filter(status=Pair.Status.CLOSED)
        .order_by()
        .values_list("close_reason")
        .annotate(count=Count("pk"))
    )
    return [(value, label, counts.get(value, 0)) for value, label in Pair.CloseReason.choices]


def both_sides_covered(user: User) -> Share:
    """The share of check-ins that attended to both the work's skills and well-being."""
    skills = ~Q(work_note="") | Q(work_rating__isnull=False)
    wellbeing = ~Q(wellbeing_note="") | Q(wellbeing_rating__isnull=False)
    figures = CheckIn.objects.filter(pair__in=pairs_visible_to(user)).aggregate(
        total=Count("pk"), both=Count("pk", filter=skills & wellbeing)
    )
    return Share(figures["both"], figures["total"])


def retention_with_and_without_buddy(user: User) -> list[dict]:
    """From the answered placement follow-ups at 3, 6 and 12 months: the share still at the
    workplace, for placements with a buddy (a pair that held its kick-off) and without."""
    with_buddy = Pair.objects.filter(placement=OuterRef("placement"), kickoff_on__isnull=False)
    rows = (
        follow_ups_visible_to(user)
        .filter(month__in=RETENTION_MONTHS, still_there__isnull=False)
        .annotate(with_buddy=Exists(with_buddy))
        .order_by()
        .values("month", "with_buddy")
        .annotate(total=Count("pk"), still=Count("pk", filter=Q(still_there=True)))
    )
    figures = {(row["month"], row["with_buddy"]): Share(row["still"], row["total"]) for row in rows}
    return [
        {
            "month": month,
            "with_buddy": figures.get((month, True), Share(0, 0)),
            "without_buddy": figures.get((month, False), Share(0, 0)),
        }
        for month in RETENTION_MONTHS
    ]
