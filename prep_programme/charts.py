"""Each core skill's development drawn as an inline SVG, server-side: no script, no CDN (the
content security policy forbids inline scripts), readable by a screen reader through its title
and the list beside it.

One line per rater: the coach, the young person themself, and employers at a workplace visit,
each with its own colour and dash pattern (told apart without colour too), on one time axis.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from .models import RATING_MAX, RATING_MIN, SkillRating

WIDTH, HEIGHT, PAD = 240, 80, 8
Rater = SkillRating.Rater
# rater -> (colour of the line, SVG dash pattern): told apart without colour too
STYLES = {
    Rater.COACH: ("#0d6efd", ""),
    Rater.SELF: ("#6f42c1", "6 3"),
    Rater.EMPLOYER: ("#9a4a00", "2 3"),
}


@dataclass(frozen=True)
class Series:
    rater: str
    label: str
    colour: str
    dash: str
    ratings: list[tuple[str, int]]  # (date as dd-mm-yyyy, rating), oldest first
    points: str  # the SVG polyline's points

    @property
    def latest(self) -> int | None:
        return self.ratings[-1][1] if self.ratings else None


@dataclass(frozen=True)
class SkillLine:
    skill: str
    series: list[Series]  # only raters who rated this skill, the coach first

    @property
    def coach(self) -> Series | None:
        return next((series for series in self.series if series.rater == Rater.COACH), None)

    @property
    def latest(self) -> int | None:
        """The coach's latest rating: the one the criteria and matching read."""
        return self.coach.latest if self.coach else None

    @property
    def description(self) -> str:
        """The chart in words, for its title."""
        parts = []
        for series in self.series:
            values = ", ".join(f"{date} {rating}" for date, rating in series.ratings)
            parts.append(f"{series.label}: {values}")
        return "; ".join(parts) or _("Not rated yet.")


def skill_lines(skills, ratings: list[SkillRating]) -> list[SkillLine]:
    """Every rater's ratings of each skill over time, as lines on a small chart."""
    by_skill = {skill.pk: [] for skill in skills}
    for rating in ratings:
        if rating.skill_id in by_skill:
            by_skill[rating.skill_id].append(rating)
    lines = []
    for skill in skills:
        rows = sorted(by_skill[skill.pk], key=lambda r: (r.rated_on, r.pk))
        days = [r.rated_on for r in rows]
        first, span = (min(days), max((max(days) - min(days)).days, 1)) if days else (None, 1)
        series = []
        for rater, label in Rater.choices:
            own = [r for r in rows if r.rater == rater]
            if not own:
                continue
            colour, dash = STYLES[rater]
            series.append(
                Series(
                    rater=rater,
                    label=str(label),
                    colour=colour,
                    dash=dash,
                    ratings=[(f"{r.rated_on:%d-%m-%Y}", r.rating) for r in own],
                    points=_points([((r.rated_on - first).days / span, r.rating) for r in own]),
                )
            )
        lines.append(SkillLine(skill=skill.label, series=series))
    return lines


def _points(values: list[tuple[float, int]]) -> str:
    """(share of the time axis 0..1, rating) -> SVG points; a single rating is a short dash."""
    if len(values) == 1:
        values = [
            (max(values[0][0] - 0.02, 0), values[0][1]),
            (min(values[0][0] + 0.02, 1), values[0][1]),
        ]
    scale = (HEIGHT - 2 * PAD) / (RATING_MAX - RATING_MIN)
    return " ".join(
        f"{PAD + x * (WIDTH - 2 * PAD):.1f},{HEIGHT - PAD - (value - RATING_MIN) * scale:.1f}"
        for x, value in values
    )
