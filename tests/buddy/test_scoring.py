"""The pairing score: each component on fixed inputs, the explanations, the weights, fairness."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from buddy.explanations import Terms, explain
from buddy.factories import MentorFactory
from buddy.models import BuddyProfile, HelpKind, Mentor, PairScoreWeights
from buddy.scoring import (
    MentorSide,
    YouthSide,
    age_gap_value,
    interests_value,
    needs_value,
    score,
    score_mentors,
    work_fields_value,
)
from employers.factories import EmployerFactory
from restart_platform.taxonomy.models import InterestArea, PersonalInterest, Skill
from youth.factories import YoungPersonFactory
from youth.models import YoungPerson

TODAY = dt.date(2026, 12, 1)
NEVER_READ = (
    "first_name",
    "last_name",
    "preferred_name",
    "name",
    "email",
    "gender",
    "ethnicity",
    "nationality",
    "religion",
    "photo",
)


def youth_side(**fields) -> YouthSide:
    values = {
        "id": 1,
        "age": 19,
        "career_interests": frozenset(),
        "personal_interests": frozenset(),
        "skills_to_learn": frozenset(),
        "help_needed": frozenset(),
    }
    return YouthSide(**{**values, **fields})


def mentor_side(**fields) -> MentorSide:
    values = {
        "id": 2,
        "age": 34,
        "skills": frozenset(),
        "help_with": frozenset(),
        "work_fields": frozenset(),
        "personal_interests": frozenset(),
    }
    return MentorSide(**{**values, **fields})


# --- The components on fixed inputs ----------------------------------------------------------


def test_the_age_gap_is_best_at_fifteen_years():
    assert age_gap_value(15) == 1.0
    assert all(age_gap_value(gap) < 1.0 for gap in (0, 5, 14, 16, 25, 40))


def test_the_age_gap_falls_off_smoothly_and_evenly_on_both_sides():
    for off in range(1, 20):
        assert age_gap_value(15 - off) == pytest.approx(age_gap_value(15 + off))
        assert age_gap_value(15 + off) < age_gap_value(15 + off - 1)
        # Smooth: one year more never costs more than a tenth.
        assert age_gap_value(15 + off - 1) - age_gap_value(15 + off) < 0.1
    assert age_gap_value(22) == pytest.approx(0.6065, abs=1e-4)
    assert age_gap_value(1) == pytest.approx(0.1353, abs=1e-4)


def test_shared_personal_interests_count_half_for_one_and_fully_from_two():
    youth = youth_side(personal_interests=frozenset({1, 2, 3}))
    assert interests_value(youth, mentor_side(personal_interests=frozenset({7}))) == 0.0
    assert interests_value(youth, mentor_side(personal_interests=frozenset({1, 7}))) == 0.5
    assert interests_value(youth, mentor_side(personal_interests=frozenset({1, 2}))) == 1.0
    assert interests_value(youth, mentor_side(personal_interests=frozenset({1, 2, 3}))) == 1.0


def test_personal_interests_missing_on_one_side_score_the_middle():
    youth = youth_side(personal_interests=frozenset({1}))
    assert interests_value(youth, mentor_side()) == 0.5
    assert interests_value(youth_side(), mentor_side(personal_interests=frozenset({1}))) == 0.5


def test_needs_fit_is_the_share_of_skills_and_help_the_mentor_covers():
    youth = youth_side(
        skills_to_learn=frozenset({10, 11, 12}), help_needed=frozenset({"practical"})
    )
    mentor = mentor_side(skills=frozenset({10, 11, 99}), help_with=frozenset({"practical"}))
    assert needs_value(youth, mentor) == 0.75
    assert needs_value(youth, mentor_side(skills=frozenset({99}))) == 0.0
    assert needs_value(youth_side(), mentor) == 0.5  # nothing asked: neither fit nor misfit


def test_work_fields_count_the_career_interests_the_mentor_can_show():
    youth = youth_side(career_interests=frozenset({1, 2}))
    assert work_fields_value(youth, mentor_side(work_fields=frozenset({2, 5}))) == 0.5
    assert work_fields_value(youth, mentor_side(work_fields=frozenset({1, 2}))) == 1.0
    assert work_fields_value(youth, mentor_side()) == 0.0


def test_the_total_is_the_weighted_mean_out_of_a_hundred():
    youth = youth_side(age=20, skills_to_learn=frozenset({1, 2}))
    mentor = mentor_side(age=35, skills=frozenset({1}))
    weights = {"needs": 40, "work_fields": 20, "interests": 20, "age_gap": 20}
    # needs 0.5, work fields 0.5 (none recorded), interests 0.5 (none recorded), age gap 1.0
    assert score(youth, mentor, weights).total == 60.0
    only_age = {"needs": 0, "work_fields": 0, "interests": 0, "age_gap": 1}
    assert score(youth, mentor, only_age).total == 100.0


# --- From the database -----------------------------------------------------------------------


@pytest.fixture
def english():
    with translation.override("en"):
        yield


def terms(model, *slugs):
    return list(model.objects.filter(slug__in=slugs))


@pytest.fixture
def world(db, jw_rotterdam):
    youth = YoungPersonFactory(youth_worker=jw_rotterdam, date_of_birth=dt.date(2007, 6, 1))
    youth.interests.set(terms(InterestArea, "technology"))
    profile = BuddyProfile.objects.create(youth=youth, help_needed=[HelpKind.PRACTICAL])
    profile.personal_interests.set(terms(PersonalInterest, "music", "cooking", "gaming"))
    profile.skills_to_learn.set(terms(Skill, "tools", "safety"))
    employer = EmployerFactory()
    close = MentorFactory(employer=employer, birth_year=1992, help_with=[HelpKind.PRACTICAL])
    close.skills.set(terms(Skill, "tools", "safety"))
    close.work_fields.set(terms(InterestArea, "technology"))
    close.personal_interests.set(terms(PersonalInterest, "music", "cooking"))
    far = MentorFactory(employer=employer, birth_year=1966)
    far.personal_interests.set(terms(PersonalInterest, "football"))
    return youth, close, far


def test_the_best_fitting_mentor_comes_first_with_every_component_explained(world, english):
    youth, close, far = world
    first, second = score_mentors(
        youth.pk, [far.pk, close.pk], PairScoreWeights.load(), today=TODAY
    )
    assert (first.mentor.id, second.mentor.id) == (close.pk, far.pk)
    assert first.components == {
        "needs": 1.0,
        "work_fields": 1.0,
        "interests": 1.0,
        "age_gap": 1.0,  # 34 this year, the young person 19
    }
    assert first.total == 100.0
    why = explain(second, Terms())
    assert [component.sentence for component in why] == [
        "covers 0 of 3 needs",
        "works in none of the young person's fields of interest",
        "no personal interests in common",
        "41 years older (about 15 works best)",
    ]
    assert sum(component.points for component in why) == pytest.approx(second.total)
    sentences = [component.sentence for component in explain(first)]
    assert sentences[0] == (
        "covers 3 of 3 needs: Working safely (VCA), Working with tools, "
        "Practical matters (bank account, insurance, ID)"
    )
    assert sentences[2] == "2 personal interests in common: Cooking, Music"


def test_the_weights_in_the_admin_change_the_scores(world):
    youth, close, far = world
    PairScoreWeights.load()
    PairScoreWeights.objects.filter(pk=1).update(needs=0, work_fields=0, interests=0, age_gap=1)
    scores = score_mentors(youth.pk, [close.pk, far.pk], PairScoreWeights.load(), today=TODAY)
    assert [result.total for result in scores] == [100.0, pytest.approx(100 * 0.0003, abs=0.1)]
    with pytest.raises(ValueError, match="above zero"):
        score_mentors(
            youth.pk,
            [close.pk],
            PairScoreWeights(needs=0, work_fields=0, interests=0, age_gap=0),
            today=TODAY,
        )


def test_scoring_takes_the_same_queries_for_two_or_twenty_mentors(world, django_assert_num_queries):
    youth, close, far = world
    employer = close.employer
    for _ in range(18):
        MentorFactory(employer=employer).personal_interests.set(terms(PersonalInterest, "music"))
    weights = PairScoreWeights.load()
    everyone = list(Mentor.objects.values_list("pk", flat=True))
    with django_assert_num_queries(9):  # the young person 5, the mentors 4
        score_mentors(youth.pk, [close.pk, far.pk], weights, today=TODAY)
    with django_assert_num_queries(9):
        assert len(score_mentors(youth.pk, everyone, weights, today=TODAY)) == 20


# --- Fairness ----------------------------------------------------------------------------------


def test_changing_names_and_contact_details_changes_no_score_and_none_is_read(world):
    youth, close, far = world
    weights = PairScoreWeights.load()
    before = score_mentors(youth.pk, [close.pk, far.pk], weights, today=TODAY)
    YoungPerson.objects.filter(pk=youth.pk).update(
        first_name="Mohammed", last_name="El Amrani", preferred_name="Mo"
    )
    Mentor.objects.filter(pk=close.pk).update(name="Priya Ramdin", email="p@example.org")
    Mentor.objects.filter(pk=far.pk).update(name="Jerzy Kowalski")

    with CaptureQueriesContext(connection) as queries:
        after = score_mentors(youth.pk, [close.pk, far.pk], weights, today=TODAY)

    assert [(r.mentor.id, r.components, r.total) for r in before] == [
        (r.mentor.id, r.components, r.total) for r in after
    ]
    read = " ".join(query["sql"] for query in queries.captured_queries).lower()
    for column in NEVER_READ:
        assert f'"{column}"' not in read
