"""Skill ratings by the coach, by the young person themself (recorded by the coach) and by an
employer at a workplace visit; the chart tells them apart; matching reads the coach's only."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from employers.factories import ContactFactory, EmployerFactory
from prep_programme import services
from prep_programme.criteria import measure_one
from prep_programme.factories import CohortFactory
from prep_programme.models import EmployerInvolvement, SkillRating
from youth.models import YouthSkill


@pytest.fixture
def running(programme, rotterdam, coord_rotterdam):
    cohort = CohortFactory(programme=programme, city=rotterdam)
    cohort.coaches.add(coord_rotterdam)
    return cohort


@pytest.fixture
def participant(running, youth, coord_rotterdam):
    return services.participant_enrol(cohort=running, youth=youth, by=coord_rotterdam)


@pytest.fixture
def involved(running, employer_contact1):
    """employer_contact1's company hosted a workplace visit of the cohort."""
    employer = EmployerFactory(city=running.city)
    ContactFactory(employer=employer, user=employer_contact1)
    EmployerInvolvement.objects.create(cohort=running, employer=employer, kind="visit")
    return employer


@pytest.fixture
def not_involved(running, employer_contact2):
    employer = EmployerFactory(city=running.city, kvk_number="87654321")
    ContactFactory(employer=employer, user=employer_contact2)
    return employer


def test_the_coach_records_a_self_assessment_that_matching_does_not_read(
    participant, coord_rotterdam, client_for, programme
):
    skill = programme.core_skills.first()
    services.participant_move_phase(
        participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
    )
    participant.refresh_from_db()
    url = reverse("prep_programme:skills_rate", args=[participant.pk])
    response = client_for(coord_rotterdam).post(
        url, {"rater": "self", f"rating_{skill.pk}": "5", f"note_{skill.pk}": "Zegt zelf"}
    )
    assert response.status_code == 302
    rating = SkillRating.objects.get()
    assert (rating.rater, rating.recorded_by, rating.rating) == ("self", coord_rotterdam, 5)
    assert not YouthSkill.objects.filter(youth=participant.youth, skill=skill).exists()
    check = next(
        c
        for c in measure_one(participant, day=timezone.localdate()).checks
        if skill.label in c.label
    )
    assert check.measured != "5 / 5"  # the criteria read the coach's ratings only


def test_a_rater_posted_by_hand_outside_coach_and_self_is_refused(
    participant, coord_rotterdam, client_for, programme
):
    skill = programme.core_skills.first()
    url = reverse("prep_programme:skills_rate", args=[participant.pk])
    response = client_for(coord_rotterdam).post(
        url, {"rater": "employer", f"rating_{skill.pk}": "4"}
    )
    assert response.status_code == 200
    assert not SkillRating.objects.exists()


def test_an_involved_employer_rates_a_participant_and_sees_only_their_own_ratings(
    running, participant, involved, employer_contact1, coord_rotterdam, client_for, programme
):
    skill = programme.core_skills.first()
    services.skills_rate(
        participant=participant,
        ratings={skill: (2, "Geheime notitie van de coach")},
        rater="coach",
        by=coord_rotterdam,
    )
    client = client_for(employer_contact1)
    url = reverse("prep_programme:employer_rate", args=[running.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Geheime notitie" not in page.content.decode()
    assert list(page.context["form"].fields["participant"].queryset) == [participant]
    response = client.post(
        url,
        {
            "participant": participant.pk,
            "rated_on": timezone.localdate().isoformat(),
            f"rating_{skill.pk}": "4",
            f"note_{skill.pk}": "Werkt netjes",
        },
    )
    assert response.status_code == 302
    rating = SkillRating.objects.get(rater="employer")
    assert (rating.employer, rating.recorded_by, rating.rating) == (involved, employer_contact1, 4)
    assert EmployerInvolvement.objects.filter(cohort=running, employer=involved, kind="rated")
    page = client.get(url).content.decode()
    assert page.count('data-testid="own-rating"') == 1
    assert "Werkt netjes" in page
    assert "Geheime notitie" not in page
    # The participant's own page stays closed to the employer.
    detail = reverse("prep_programme:participant_detail", args=[participant.pk])
    assert client.get(detail).status_code == 404


def test_an_employer_not_involved_gets_404_and_cannot_rate_by_hand(
    running, participant, involved, not_involved, employer_contact2, client_for, programme
):
    skill = programme.core_skills.first()
    client = client_for(employer_contact2)
    url = reverse("prep_programme:employer_rate", args=[running.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url,
        {
            "participant": participant.pk,
            "rated_on": timezone.localdate().isoformat(),
            f"rating_{skill.pk}": "1",
        },
    )
    assert response.status_code == 404
    with pytest.raises(ValidationError):
        services.skills_rate(
            participant=participant,
            ratings={skill: (1, "")},
            rater="employer",
            employer=involved,  # another employer's name, posted by hand
            by=employer_contact2,
        )
    assert not SkillRating.objects.exists()


def test_an_employer_cannot_rate_a_participant_of_another_cohort(
    running,
    participant,
    involved,
    employer_contact1,
    client_for,
    programme,
    coord_rotterdam,
    jw_rotterdam,
):
    from youth.factories import YoungPersonFactory

    other_cohort = CohortFactory(programme=programme, city=running.city, name="Andere groep")
    stranger = services.participant_enrol(
        cohort=other_cohort,
        youth=YoungPersonFactory(youth_worker=jw_rotterdam, city=running.city),
        by=coord_rotterdam,
    )
    skill = programme.core_skills.first()
    url = reverse("prep_programme:employer_rate", args=[running.pk])
    response = client_for(employer_contact1).post(
        url,
        {
            "participant": stranger.pk,
            "rated_on": timezone.localdate().isoformat(),
            f"rating_{skill.pk}": "3",
        },
    )
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not SkillRating.objects.exists()


@pytest.mark.parametrize(
    ("rated_on", "rating", "message"),
    [
        ("9999-12-31", "3", "niet in de toekomst"),
        ("1999-12-31", "3", "Geef een datum tussen"),
        ("2026-13-01", "3", "Voer een geldige datum in"),
        ("\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661", "3", "Voer een geldige datum in"),
        ("today", "6", "Selecteer een geldige keuze"),
        ("today", "\u0663", "Selecteer een geldige keuze"),
    ],
)
def test_the_employer_form_refuses_bad_input_in_dutch(
    rated_on,
    rating,
    message,
    running,
    participant,
    involved,
    employer_contact1,
    client_for,
    programme,
):
    skill = programme.core_skills.first()
    rated_on = timezone.localdate().isoformat() if rated_on == "today" else rated_on
    response = client_for(employer_contact1).post(
        reverse("prep_programme:employer_rate", args=[running.pk]),
        {
            "participant": participant.pk,
            "rated_on": rated_on,
            f"rating_{skill.pk}": rating,
            f"note_{skill.pk}": "x",
        },
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SkillRating.objects.exists()


def test_a_note_of_100000_characters_is_refused(
    running, participant, involved, employer_contact1, client_for, programme
):
    skill = programme.core_skills.first()
    response = client_for(employer_contact1).post(
        reverse("prep_programme:employer_rate", args=[running.pk]),
        {
            "participant": participant.pk,
            "rated_on": timezone.localdate().isoformat(),
            f"rating_{skill.pk}": "3",
            f"note_{skill.pk}": "x" * 100_000,
        },
    )
    assert response.status_code == 200
    assert "niet meer dan 300 tekens" in response.content.decode()
    assert not SkillRating.objects.exists()


def test_the_chart_draws_one_line_per_rater(
    participant, involved, employer_contact1, coord_rotterdam, client_for, programme
):
    skill = programme.core_skills.first()
    today = timezone.localdate()
    for rater, by, employer, days in [
        ("coach", coord_rotterdam, None, 20),
        ("coach", coord_rotterdam, None, 5),
        ("self", coord_rotterdam, None, 10),
        ("employer", employer_contact1, involved, 3),
    ]:
        services.skills_rate(
            participant=participant,
            ratings={skill: (3, "")},
            rater=rater,
            by=by,
            employer=employer,
            on=today - dt.timedelta(days=days),
        )
    page = client_for(coord_rotterdam).get(
        reverse("prep_programme:participant_detail", args=[participant.pk])
    )
    html = page.content.decode()
    for rater in ("coach", "self", "employer"):
        assert f'data-rater="{rater}"' in html
    [line] = [line for line in page.context["lines"] if line.skill == skill.label]
    assert [series.rater for series in line.series] == ["coach", "self", "employer"]
    assert line.latest == 3
