"""The programme's pages tried the way a hostile or careless user would: ids from elsewhere,
year 9999, Unicode digits, 100,000 characters. Each gets a Dutch message or a 404, never a
500, and nothing is saved."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from prep_programme import services
from prep_programme.factories import CohortFactory, SessionFactory
from prep_programme.models import Attendance, CoachingTalk, Participant, Session
from tests.edits import post_edit
from youth.factories import YoungPersonFactory


@pytest.fixture
def running(programme, rotterdam, coord_rotterdam):
    cohort = CohortFactory(programme=programme, city=rotterdam)
    cohort.coaches.add(coord_rotterdam)
    return cohort


@pytest.fixture
def participant(running, youth, coord_rotterdam):
    return services.participant_enrol(cohort=running, youth=youth, by=coord_rotterdam)


@pytest.mark.parametrize(
    ("date", "message"),
    [
        ("9999-01-01", "Geef een datum tussen"),
        ("\u0662\u0660\u0662\u0666-\u0660\u0661-\u0660\u0661", "Voer een geldige datum in"),
        ("", "Dit veld is verplicht"),
    ],
)
def test_a_session_with_an_impossible_date_is_refused(
    date, message, running, coord_rotterdam, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("prep_programme:session_create", args=[running.pk]),
        {"kind": "training", "date": date, "starts_at": "09:00", "title": "x"},
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Session.objects.exists()


def test_a_session_title_of_100000_characters_is_refused(running, coord_rotterdam, client_for):
    response = client_for(coord_rotterdam).post(
        reverse("prep_programme:session_create", args=[running.pk]),
        {
            "kind": "training",
            "date": timezone.localdate().isoformat(),
            "starts_at": "09:00",
            "title": "x" * 100_000,
        },
    )
    assert response.status_code == 200
    assert not Session.objects.exists()


def test_a_coaching_talk_in_year_9999_or_with_a_huge_note_is_refused(
    participant, coord_rotterdam, client_for
):
    url = reverse("prep_programme:coaching_log", args=[participant.pk])
    client = client_for(coord_rotterdam)
    today = timezone.localdate().isoformat()
    for data in (
        {"held_on": "9999-12-31", "self_confidence": "3", "agreements": "x"},
        {"held_on": today, "self_confidence": "\u0663", "agreements": "x"},
        {"held_on": today, "self_confidence": "3", "agreements": "x" * 100_000},
    ):
        assert client.post(url, data).status_code == 200
    assert not CoachingTalk.objects.exists()


def test_attendance_posted_for_a_participant_of_another_cohort_is_not_saved(
    running, participant, programme, coord_rotterdam, jw_rotterdam, client_for
):
    other = CohortFactory(programme=programme, city=running.city, name="Andere")
    stranger = services.participant_enrol(
        cohort=other,
        youth=YoungPersonFactory(youth_worker=jw_rotterdam, city=running.city),
        by=coord_rotterdam,
    )
    session = SessionFactory(cohort=running)
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("prep_programme:attendance_record", args=[session.pk]),
        {f"status_{participant.pk}": "present", f"status_{stranger.pk}": "unexcused"},
    )
    assert response.status_code == 302
    assert list(Attendance.objects.values_list("participant_id", flat=True)) == [participant.pk]


def test_a_note_of_100000_characters_on_a_phase_move_is_refused(
    participant, coord_rotterdam, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("prep_programme:participant_move_phase", args=[participant.pk]),
        {"note": "x" * 100_000},
    )
    assert response.status_code == 200
    assert "niet meer dan 5000 tekens" in response.content.decode()
    participant.refresh_from_db()
    assert participant.phase == 1


def test_enrolling_in_a_cohort_of_another_city_posted_by_hand_is_refused(
    youth, programme, dordrecht, jw_rotterdam, client_for
):
    elsewhere = CohortFactory(programme=programme, city=dordrecht)
    response = client_for(jw_rotterdam).post(
        reverse("prep_programme:participant_enrol", args=[youth.pk]), {"cohort": elsewhere.pk}
    )
    assert response.status_code == 200
    assert not Participant.objects.exists()


@pytest.mark.parametrize("user", ["coord_dordrecht", "jw_rotterdam2", "employer_contact1"])
def test_other_cities_caseloads_and_employers_get_404_on_every_write(
    user, participant, request, client_for
):
    client = client_for(request.getfixturevalue(user))
    for name in (
        "participant_move_phase",
        "skills_rate",
        "coaching_log",
        "participant_leave",
        "participant_finish",
    ):
        url = reverse(f"prep_programme:{name}", args=[participant.pk])
        assert client.post(url, {"note": "x", "reason": "x"}).status_code == 404
    participant.refresh_from_db()
    assert (participant.phase, participant.status) == (1, "active")


def test_editing_a_cohort_in_the_admin_keeps_its_sessions_inside_the_dates(
    running, admin, client_for
):
    SessionFactory(cohort=running, date=running.starts_on + dt.timedelta(days=2))
    starts_on = running.starts_on
    url = reverse("admin:prep_programme_cohort_change", args=[running.pk])
    client = client_for(admin)
    form = client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if name in form.fields and value is not None
    }
    data.update(
        {
            "programme": running.programme_id,
            "city": running.city_id,
            "starts_on": (running.starts_on + dt.timedelta(days=10)).isoformat(),
            "ends_on": running.ends_on.isoformat(),
            "coaches": [coach.pk for coach in running.coaches.all()],
            "involvements-TOTAL_FORMS": "0",
            "involvements-INITIAL_FORMS": "0",
        }
    )
    response = client.post(url, data)
    assert response.status_code == 200
    assert "buiten deze data" in response.content.decode()
    running.refresh_from_db()
    assert running.starts_on == starts_on
