"""Each core skill's development drawn as an inline SVG, server-side: no script, no CDN (the
content security policy forbids inline scripts), readable by a screen reader through its title
and the table beside it."""

from dataclasses import dataclass

from .models import RATING_MAX, RATING_MIN, SkillRating

WIDTH, HEIGHT, PAD = 240, 80, 8


@dataclass(frozen=True)
class SkillLine:
    skill: str
    ratings: list[tuple[str, int]]  # (date as dd-mm-yyyy, rating), oldest first
    points: str  # the SVG polyline's points

    @property
    def latest(self) -> int | None:
        return self.ratings[-1][1] if self.ratings else None


def skill_lines(skills, ratings: list[SkillRating]) -> list[SkillLine]:
    """The coach's ratings of each skill over time, as points on a small chart."""
    by_skill = {skill.pk: [] for skill in skills}
    for rating in ratings:
        if rating.rater == SkillRating.Rater.COACH and rating.skill_id in by_skill:
            by_skill[rating.skill_id].append(rating)
    return [
        SkillLine(
            skill=skill.label,
            ratings=[(f"{r.rated_on:%d-%m-%Y}", r.rating) for r in by_skill[skill.pk]],
            points=_points([r.rating for r in by_skill[skill.pk]]),
        )
        for skill in skills
    ]


def _points(values: list[int]) -> str:
    if not values:
        return ""
    step = (WIDTH - 2 * PAD) / max(len(values) - 1, 1)
    scale = (HEIGHT - 2 * PAD) / (RATING_MAX - RATING_MIN)
    return " ".join(
        f"{PAD + i * step:.1f},{HEIGHT - PAD - (value - RATING_MIN) * scale:.1f}"
        for i, value in enumerate(values)
    )
