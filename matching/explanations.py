"""Why a score is what it is: each component's share in points (they add up to the score) and
a Dutch sentence with the numbers, for one pair scored by `matching.scoring.score_matrix`.

The arithmetic is in `matching.scoring`; this module only reads its result and the rows it
loaded, so explaining a pair costs no query beyond the taxonomy terms the sentences name.
"""

import functools
import math

from django.utils.translation import get_language, gettext, ngettext

from employers.models import Employer
from intake.models import IntakeRecord
from restart_platform.taxonomy.models import InterestArea, Sector
from restart_platform.weights import Component, shares
from youth.models import YoungPerson

from .models import ScoreWeights
from .scoring import (
    COMPONENTS,
    READINESS,
    OpeningRow,
    ScoreResult,
    World,
    YouthRow,
    _circular_interest,
    _km_between,
)


def explain(result: ScoreResult, youth_id: int, opening_id: int) -> list[Component]:
    """Each component of one score: its share in points and a sentence with the numbers."""
    values = result.component_values(youth_id, opening_id)
    i, j = result.index(youth_id, opening_id)
    youth, opening = result.world.youth[i], result.world.openings[j]
    points = shares(values, result.weights, result.total(youth_id, opening_id))
    sentences = {
        "interests": _interests_sentence(result.world, youth, opening),
        "required_skills": _skills_sentence(result.world, youth, opening, required=True),
        "nice_skills": _skills_sentence(result.world, youth, opening, required=False),
        "distance": _distance_sentence(youth, opening),
        "availability": _availability_sentence(youth, opening),
        "readiness": _readiness_sentence(youth),
        "circular": _circular_sentence(result.world, youth, opening),
    }
    return [
        Component(
            name=name,
            label=_label(name),
            value=values[name],
            weight=result.weights[name],
            points=points[name],
            sentence=sentences[name],
        )
        for name in COMPONENTS
    ]


@functools.cache
def _labels(language: str) -> dict[str, str]:
    """The components' names in a language, looked up once per language (a suggestion list
    asks seventy times)."""
    return {name: str(ScoreWeights._meta.get_field(name).verbose_name) for name in COMPONENTS}


def _label(name: str) -> str:
    return _labels(get_language() or "")[name]


def _interests_sentence(world: World, youth: YouthRow, opening: OpeningRow) -> str:
    interests = world.youth_interests.get(youth.id, frozenset())
    fitting = world.sector_interests.get(opening.sector_id, frozenset())
    if shared := interests & fitting:
        areas = ", ".join(sorted(world.term(InterestArea, pk).label for pk in shared))
        return gettext("interested in %(area)s") % {"area": areas}
    if not interests:
        return gettext("no career interests recorded")
    sector = world.term(Sector, opening.sector_id).label
    if not fitting:
        return gettext("no career interests linked to the sector %(sector)s") % {"sector": sector}
    return gettext("career interests do not fit the sector %(sector)s") % {"sector": sector}


def _skills_sentence(world: World, youth: YouthRow, opening: OpeningRow, *, required: bool) -> str:
    wanted = (world.required_skills if required else world.nice_skills).get(opening.id, frozenset())
    held = len(wanted & world.youth_skills.get(youth.id, frozenset()))
    if required:
        if not wanted:
            return gettext("no required skills")
        return gettext("%(held)d of %(required)d required skills") % {
            "held": held,
            "required": len(wanted),
        }
    if not wanted:
        return gettext("no nice-to-have skills")
    return gettext("%(held)d of %(nice)d nice-to-have skills") % {"held": held, "nice": len(wanted)}


def _distance_sentence(youth: YouthRow, opening: OpeningRow) -> str:
    if youth.city_id == opening.city_id:
        return gettext("same city")
    km = _km_between(youth, opening)
    if km is None:
        return gettext("another city, distance unknown")
    numbers = {"km": round(km), "range": youth.travel_range_km}
    if km <= youth.travel_range_km:
        return gettext("%(km)d km, within the travel range of %(range)d km") % numbers
    return gettext("%(km)d km, beyond the travel range of %(range)d km") % numbers


def _availability_sentence(youth: YouthRow, opening: OpeningRow) -> str:
    needed = opening.hours_per_week
    if youth.available_hours is None:
        hours = gettext("hours a week available not recorded")
    else:
        hours = gettext("%(hours)d of %(needed)d hours a week available") % {
            "hours": min(youth.available_hours, needed),
            "needed": needed,
        }
    return f"{hours}; {_start_sentence(youth, opening)}"


def _start_sentence(youth: YouthRow, opening: OpeningRow) -> str:
    if youth.available_from is None:
        return gettext("no date recorded from which the young person is available")
    days_after = (opening.start_date - youth.available_from).days
    if 0 <= days_after < 7:
        return gettext("starts in the week the young person is available")
    if days_after >= 7:
        weeks = days_after // 7
        return ngettext(
            "starts %(weeks)d week after the young person is available",
            "starts %(weeks)d weeks after the young person is available",
            weeks,
        ) % {"weeks": weeks}
    weeks = math.ceil(-days_after / 7)
    return ngettext(
        "starts %(weeks)d week before the young person is available",
        "starts %(weeks)d weeks before the young person is available",
        weeks,
    ) % {"weeks": weeks}


def _readiness_sentence(youth: YouthRow) -> str:
    if youth.latest_outcome == IntakeRecord.Outcome.NOT_NOW and READINESS[youth.journey] > 0:
        return gettext("the latest intake ended with “not now”")
    if youth.journey == YoungPerson.Journey.PROGRAMME and youth.programme_phase:
        return gettext("pre-employment programme, phase %(phase)s") % {
            "phase": youth.programme_phase
        }
    return gettext("journey: %(stage)s") % {"stage": YoungPerson.Journey(youth.journey).label}


def _circular_sentence(world: World, youth: YouthRow, opening: OpeningRow) -> str:
    employer = {
        Employer.Circularity.CIRCULAR: gettext("circular employer"),
        Employer.Circularity.IN_TRANSITION: gettext("employer in transition to circular work"),
        Employer.Circularity.NOT_YET: gettext("employer not (yet) circular"),
    }[opening.circularity]
    if _circular_interest(world, youth) == 1.0:
        interest = gettext("interested in recycling, reuse or repairing")
    else:
        interest = gettext("no interest in recycling, reuse or repairing recorded")
    return f"{employer}; {interest}"
