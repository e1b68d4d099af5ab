"""The pairing score of a mentor for a young person: four components, each from 0 to 1, weighted
into a score from 0 to 100 (the pattern of `matching.scoring`). The sentence per component that
says why is in `buddy.explanations`.

    needs        the share of the young person's needs (skills to learn, kinds of help) that
                 the mentor's knowledge and offer of help cover
    work_fields  the share of the young person's career interests the mentor's work fields show
    interests    shared personal interests: one counts half, two or more count fully
    age_gap      best at 15 years older, falling off smoothly (a bell curve) on both sides

Only the rows below are read, through `load_world`, in a fixed number of queries whatever the
number of mentors. Name, gender, ethnicity, nationality, religion and photo are never inputs:
the loader does not read them, so no score can depend on them.
"""

import datetime as dt
import math
from collections.abc import Iterable
from dataclasses import dataclass

from youth.models import YoungPerson, age_on

from .models import WEIGHT_FIELDS, BuddyProfile, Mentor, PairScoreWeights

COMPONENTS = WEIGHT_FIELDS

IDEAL_AGE_GAP = 15  # years: the literature's mentor is about 15 years older
AGE_GAP_SPREAD = 7.0  # years off the ideal at which the component has fallen to about 0.61
SHARED_INTERESTS_FOR_FULL = 2
# A side with nothing recorded is neither a fit nor a misfit: it scores the middle.
NOTHING_RECORDED = 0.5


@dataclass(frozen=True)
class YouthSide:
    id: int
    age: int
    career_interests: frozenset[int]
    personal_interests: frozenset[int]
    skills_to_learn: frozenset[int]
    help_needed: frozenset[str]


@dataclass(frozen=True)
class MentorSide:
    id: int
    age: int
    skills: frozenset[int]
    help_with: frozenset[str]
    work_fields: frozenset[int]
    personal_interests: frozenset[int]


@dataclass(frozen=True)
class PairScore:
    youth: YouthSide
    mentor: MentorSide
    components: dict[str, float]  # name -> 0 to 1
    weights: dict[str, int]
    total: float  # 0 to 100, one decimal


def _grouped(pairs: Iterable[tuple[int, int]]) -> dict[int, frozenset[int]]:
    groups: dict[int, set[int]] = {}
    for owner, term in pairs:
        groups.setdefault(owner, set()).add(term)
    return {owner: frozenset(terms) for owner, terms in groups.items()}


def load_youth(youth_id: int, *, today: dt.date) -> YouthSide:
    """Five queries: the birth date, the career interests and the buddy profile's three lists."""
    birth = YoungPerson.objects.filter(pk=youth_id).values_list("date_of_birth", flat=True).get()
    profile = (
        BuddyProfile.objects.filter(youth_id=youth_id).values_list("pk", "help_needed").first()
    )
    profile_id, help_needed = profile or (None, [])
    through = BuddyProfile.personal_interests.through
    return YouthSide(
        id=youth_id,
        age=age_on(birth, today),
        career_interests=frozenset(
            YoungPerson.interests.through.objects.filter(youngperson_id=youth_id).values_list(
                "interestarea_id", flat=True
            )
        ),
        personal_interests=frozenset(
            through.objects.filter(buddyprofile_id=profile_id).values_list(
                "personalinterest_id", flat=True
            )
        ),
        skills_to_learn=frozenset(
            BuddyProfile.skills_to_learn.through.objects.filter(
                buddyprofile_id=profile_id
            ).values_list("skill_id", flat=True)
        ),
        help_needed=frozenset(help_needed),
    )


def load_mentors(mentor_ids: Iterable[int], *, today: dt.date) -> list[MentorSide]:
    """Four queries, whatever the number of mentors; they keep the order they were given in."""
    mentor_ids = list(dict.fromkeys(mentor_ids))
    rows = {
        pk: (birth_year, help_with)
        for pk, birth_year, help_with in Mentor.objects.filter(pk__in=mentor_ids)
        .order_by()
        .values_list("pk", "birth_year", "help_with")
    }
    skills = _grouped(
        Mentor.skills.through.objects.filter(mentor_id__in=rows).values_list(
            "mentor_id", "skill_id"
        )
    )
    fields = _grouped(
        Mentor.work_fields.through.objects.filter(mentor_id__in=rows).values_list(
            "mentor_id", "interestarea_id"
        )
    )
    hobbies = _grouped(
        Mentor.personal_interests.through.objects.filter(mentor_id__in=rows).values_list(
            "mentor_id", "personalinterest_id"
        )
    )
    return [
        MentorSide(
            id=pk,
            # Only the year is kept: the mentor's age is the age they reach this year.
            age=today.year - rows[pk][0],
            skills=skills.get(pk, frozenset()),
            help_with=frozenset(rows[pk][1]),
            work_fields=fields.get(pk, frozenset()),
            personal_interests=hobbies.get(pk, frozenset()),
        )
        for pk in mentor_ids
        if pk in rows
    ]


# --- The components ------------------------------------------------------------------------------


def needs_value(youth: YouthSide, mentor: MentorSide) -> float:
    needs = len(youth.skills_to_learn) + len(youth.help_needed)
    if not needs:
        return NOTHING_RECORDED
    covered = len(youth.skills_to_learn & mentor.skills) + len(youth.help_needed & mentor.help_with)
    return covered / needs


def work_fields_value(youth: YouthSide, mentor: MentorSide) -> float:
    if not youth.career_interests:
        return NOTHING_RECORDED
    return len(youth.career_interests & mentor.work_fields) / len(youth.career_interests)


def interests_value(youth: YouthSide, mentor: MentorSide) -> float:
    if not (youth.personal_interests and mentor.personal_interests):
        return NOTHING_RECORDED
    shared = len(youth.personal_interests & mentor.personal_interests)
    return min(shared, SHARED_INTERESTS_FOR_FULL) / SHARED_INTERESTS_FOR_FULL


def age_gap_value(gap: float) -> float:
    """1 at 15 years, smoothly less on either side: 0.61 at 8 or 22, 0.14 at 1 or 29."""
    return math.exp(-0.5 * ((gap - IDEAL_AGE_GAP) / AGE_GAP_SPREAD) ** 2)


def components_of(youth: YouthSide, mentor: MentorSide) -> dict[str, float]:
    return {
        "needs": needs_value(youth, mentor),
        "work_fields": work_fields_value(youth, mentor),
        "interests": interests_value(youth, mentor),
        "age_gap": age_gap_value(mentor.age - youth.age),
    }


def weights_of(weights: PairScoreWeights) -> dict[str, int]:
    values = weights.as_dict()
    if sum(values.values()) <= 0:
        raise ValueError("At least one score weight must be above zero.")
    return values


def score(youth: YouthSide, mentor: MentorSide, weights: dict[str, int]) -> PairScore:
    components = components_of(youth, mentor)
    weighted = sum(weights[name] * components[name] for name in COMPONENTS)
    total = math.floor(1000.0 * weighted / sum(weights.values()) + 0.5) / 10
    return PairScore(youth, mentor, components, weights, total)


def score_mentors(
    youth_id: int, mentor_ids: Iterable[int], weights: PairScoreWeights, *, today: dt.date
) -> list[PairScore]:
    """Every mentor's score for the young person, best first, then by mentor id."""
    values = weights_of(weights)
    youth = load_youth(youth_id, today=today)
    scores = [score(youth, mentor, values) for mentor in load_mentors(mentor_ids, today=today)]
    return sorted(scores, key=lambda result: (-result.total, result.mentor.id))
