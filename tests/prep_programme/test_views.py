"""The programme's pages: overview, attendance screen, forms, exports, panel, and who sees what."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from employers.factories import ContactFactory, EmployerFactory
from prep_programme import services
from prep_programme.factories import CohortFactory, SessionFactory
from prep_programme.models import (
    Attendance,
    CoachingTalk,
    EmployerInvolvement,
    Participant,
    PhaseChange,
    Session,
    SkillRating,
)
from restart_platform.stale_edits import FINGERPRINT_FIELD, STALE_MESSAGE
from restart_platform.view_helpers import PAGE_SIZE
from tests.edits import post_edit, shown_as
from tests.names import give_unmistakable_name
from youth.factories import YoungPersonFactory
from youth.models import YoungPerson

from .conftest import place


@pytest.fixture
def running(programme, rotterdam, coord_rotterdam):
    cohort = CohortFactory(programme=programme, city=rotterdam, name="Maasstad najaar")
    cohort.coaches.add(coord_rotterdam)
    return cohort


@pytest.fixture
def participant(running, youth, coord_rotterdam):
    return services.participant_enrol(cohort=running, youth=youth, by=coord_rotterdam)


def many_participants(cohort, worker, count):
    youths = YoungPerson.objects.bulk_create(
        YoungPerson(
            first_name=f"Jongere{n}",
            last_name="Test",
            date_of_birth=dt.date(2005, 1, 1),
            city=cohort.city,
            youth_worker=worker,
            referred_by="self",
        )
        for n in range(count)
    )
    participants = Participant.objects.bulk_create(
        Participant(cohort=cohort, youth=youth, enrolled_on=cohort.starts_on) for youth in youths
    )
    session = SessionFactory(cohort=cohort, date=timezone.localdate())
    Attendance.objects.bulk_create(
        Attendance(session=session, participant=p, status="late", recorded_by=worker)
        for p in participants
    )
    CoachingTalk.objects.bulk_create(
        CoachingTalk(participant=p, coach=worker, self_confidence=3, agreements="x")
        for p in participants
    )


@pytest.mark.parametrize("count", [10, 500])
def test_the_cohort_overview_keeps_its_query_count(
    count, running, jw_rotterdam, coord_rotterdam, client_for, django_assert_max_num_queries
):
    many_participants(running, jw_rotterdam, count)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(19):  # the same at 10 and at 500 (a page at a time)
        response = client.get(reverse("prep_programme:cohort_detail", args=[running.pk]))
    shown = min(count, PAGE_SIZE)
    assert len(response.context["rows"]) == shown
    assert response.content.decode().count('data-testid="participant-row"') == shown
    last = response.context["page"].paginator.num_pages
    response = client.get(
        reverse("prep_programme:cohort_detail", args=[running.pk]), {"page": last}
    )
    assert len(response.context["rows"]) == count - (last - 1) * PAGE_SIZE


@pytest.mark.parametrize("count", [3, 40])
def test_the_cohort_list_keeps_its_query_count(
    count, programme, rotterdam, coord_rotterdam, client_for, django_assert_max_num_queries
):
    for _ in range(count):
        CohortFactory(programme=programme, city=rotterdam)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("prep_programme:cohort_list"))
    assert response.context["page"].paginator.count == count


def a_long_record(participant, *, people, employer, n):
    """n of what the participant page lists, each by someone else: attendance marks, ratings of
    each core skill by every kind of rater, and coaching talks. The phase history cannot grow
    (one step at a time, three phases): the enrolment and a step to phase 2."""
    today = timezone.localdate()
    cohort = participant.cohort
    sessions = Session.objects.bulk_create(
        Session(
            cohort=cohort, kind="training", date=today - dt.timedelta(days=i), starts_at="09:00"
        )
        for i in range(n)
    )
    Attendance.objects.bulk_create(
        Attendance(
            session=session,
            participant=participant,
            status=["present", "late"][i % 2],
            recorded_by=people[i % len(people)],
        )
        for i, session in enumerate(sessions)
    )
    raters = list(SkillRating.Rater)
    SkillRating.objects.bulk_create(
        SkillRating(
            participant=participant,
            skill=skill,
            rating=1 + i % 5,
            rater=raters[i % len(raters)],
            employer=employer if raters[i % len(raters)] == SkillRating.Rater.EMPLOYER else None,
            rated_on=today - dt.timedelta(days=n - i),
            recorded_by=people[i % len(people)],
        )
        for skill in cohort.programme.core_skills.all()
        for i in range(n)
    )
    CoachingTalk.objects.bulk_create(
        CoachingTalk(
            participant=participant,
            coach=people[i % len(people)],
            self_confidence=3,
            agreements="Volgende week op tijd.",
        )
        for i in range(n)
    )
    PhaseChange.objects.create(
        participant=participant,
        from_phase=1,
        to_phase=2,
        changed_by=people[-1],
        criteria_met=False,
        note="Door naar fase 2 ondanks te laat komen.",
    )
    Participant.objects.filter(pk=participant.pk).update(phase=2)


@pytest.mark.parametrize("n", [2, 12])
@pytest.mark.parametrize("role", ["admin", "coord_rotterdam"])
def test_the_participant_page_keeps_its_query_count(
    n, role, participant, cast, client_for, django_assert_max_num_queries
):
    employer = EmployerFactory(city=participant.cohort.city)
    a_long_record(participant, people=list(cast.values()), employer=employer, n=n)
    client = client_for(cast[role])
    # session, user, (a coordinator's cities), the participant, the access log, the core skills,
    # the ratings, the criteria (phases, core skills, marks, coach's ratings), (whether the
    # coordinator manages the cohort), the badge, the talks, the history, the session's save (3)
    with django_assert_max_num_queries({"admin": 16, "coord_rotterdam": 18}[role]):
        response = client.get(reverse("prep_programme:participant_detail", args=[participant.pk]))
    page = response.content.decode()
    assert response.context["progress"].attendance_rate == 100  # present or late, every time
    assert page.count("Volgende week op tijd.") == min(n, 10)  # the latest ten talks
    assert "Door naar fase 2 ondanks te laat komen." in page
    lines = response.context["lines"]
    assert sum(len(series.ratings) for line in lines for series in line.series) == len(lines) * n


def test_the_cohort_list_searches_and_filters(programme, rotterdam, dordrecht, admin, client_for):
    CohortFactory(programme=programme, city=rotterdam, name="Maasstad voorjaar")
    CohortFactory(
        programme=programme,
        city=rotterdam,
        name="Maasstad oud",
        starts_on=dt.date(2024, 1, 1),
        ends_on=dt.date(2024, 6, 1),
    )
    CohortFactory(programme=programme, city=dordrecht, name="Drechtsteden")
    client = client_for(admin)

    def names(**params):
        response = client.get(reverse("prep_programme:cohort_list"), params)
        return sorted(cohort.name for cohort in response.context["page"].object_list)

    assert names(q="maasstad") == ["Maasstad oud", "Maasstad voorjaar"]
    assert names(q="maasstad", when="running") == ["Maasstad voorjaar"]
    assert names(city=dordrecht.pk) == ["Drechtsteden"]


def test_the_overview_shows_progress_attendance_and_who_needs_attention(
    running, participant, coord_rotterdam, client_for
):
    session = SessionFactory(cohort=running, date=timezone.localdate())
    services.attendance_record(
        session=session, marks={participant.pk: ("unexcused", "")}, by=coord_rotterdam
    )
    response = client_for(coord_rotterdam).get(
        reverse("prep_programme:cohort_detail", args=[running.pk])
    )
    [row] = response.context["rows"]
    assert row.progress.attendance_rate == 0
    assert row.progress.percent == 50  # no late arrivals: one of the two criteria holds
    assert "aanwezigheid onder 80%" in response.content.decode()


def test_a_youth_worker_sees_only_their_own_young_people_in_a_cohort(
    running, participant, jw_rotterdam, client_for
):
    from restart_platform.accounts.factories import YouthWorkerFactory

    other_worker = YouthWorkerFactory(username="jw.rotterdam2")
    other = YoungPersonFactory(youth_worker=other_worker, city=running.city)
    services.participant_enrol(cohort=running, youth=other, by=other_worker)
    response = client_for(jw_rotterdam).get(
        reverse("prep_programme:cohort_detail", args=[running.pk])
    )
    assert [row.participant for row in response.context["rows"]] == [participant]
    other_participant = Participant.objects.get(youth=other)
    url = reverse("prep_programme:participant_detail", args=[other_participant.pk])
    assert client_for(jw_rotterdam).get(url).status_code == 404


def test_an_employer_contact_sees_their_cohort_without_its_participants(
    running, participant, employer_contact1, client_for
):
    employer = EmployerFactory(city=running.city)
    ContactFactory(employer=employer, user=employer_contact1)
    EmployerInvolvement.objects.create(cohort=running, employer=employer, kind="session")
    give_unmistakable_name(participant.youth)
    client = client_for(employer_contact1)
    listed = client.get(reverse("prep_programme:cohort_list")).context["page"].object_list
    assert list(listed) == [running]
    response = client.get(reverse("prep_programme:cohort_detail", args=[running.pk]))
    assert response.status_code == 200
    assert participant.youth.last_name not in response.content.decode()
    export = reverse("prep_programme:cohort_export", args=[running.pk, "csv"])
    assert client.get(export).status_code == 404


def test_the_attendance_screen_records_the_whole_cohort_at_once(
    running, participant, coord_rotterdam, jw_rotterdam, client_for
):
    second = services.participant_enrol(
        cohort=running,
        youth=YoungPersonFactory(youth_worker=jw_rotterdam, city=running.city),
        by=coord_rotterdam,
    )
    session = SessionFactory(cohort=running)
    url = reverse("prep_programme:attendance_record", args=[session.pk])
    client = client_for(coord_rotterdam)
    page = client.get(url)
    assert page.content.decode().count('data-testid="attendance-row"') == 2
    response = post_edit(
        client,
        url,
        {
            f"status_{participant.pk}": "late",
            f"reason_{participant.pk}": "",
            f"status_{second.pk}": "excused",
            f"reason_{second.pk}": "Tandarts",
        },
    )
    assert response.status_code == 302
    assert dict(session.attendances.values_list("participant_id", "status")) == {
        participant.pk: "late",
        second.pk: "excused",
    }


def test_the_attendance_screen_refuses_a_missing_choice_with_a_dutch_message(
    running, participant, coord_rotterdam, client_for
):
    session = SessionFactory(cohort=running)
    url = reverse("prep_programme:attendance_record", args=[session.pk])
    response = post_edit(client_for(coord_rotterdam), url, {f"status_{participant.pk}": "asleep"})
    assert response.status_code == 200
    assert "Selecteer een geldige keuze" in response.content.decode()
    assert not Attendance.objects.exists()


def test_a_session_outside_the_cohort_dates_is_refused_on_the_form(
    running, coord_rotterdam, client_for
):
    url = reverse("prep_programme:session_create", args=[running.pk])
    response = client_for(coord_rotterdam).post(
        url,
        {
            "kind": "training",
            "date": (running.ends_on + dt.timedelta(days=3)).isoformat(),
            "starts_at": "09:00",
        },
    )
    assert response.status_code == 200
    assert "binnen de data van de groep" in response.content.decode()


def test_moving_on_shows_the_checklist_and_needs_a_note_when_a_criterion_is_unmet(
    participant, coord_rotterdam, client_for
):
    url = reverse("prep_programme:participant_move_phase", args=[participant.pk])
    client = client_for(coord_rotterdam)
    page = client.get(url).content.decode()
    assert page.count('data-testid="criterion"') == 2
    refused = post_edit(client, url, {"note": ""})
    assert "leg in een notitie uit" in refused.content.decode()
    participant.refresh_from_db()
    assert participant.phase == 1
    assert post_edit(client, url, {"note": "Stabiel ritme na ziekte"}).status_code == 302
    participant.refresh_from_db()
    assert participant.phase == 2


def test_moving_to_phase_3_offers_only_this_young_persons_placements(
    participant, coord_rotterdam, jw_rotterdam, client_for
):
    services.participant_move_phase(
        participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
    )
    url = reverse("prep_programme:participant_move_phase", args=[participant.pk])
    client = client_for(coord_rotterdam)
    assert 'data-testid="no-placement"' in client.get(url).content.decode()
    other = place(
        YoungPersonFactory(youth_worker=jw_rotterdam, city=participant.cohort.city),
        by=coord_rotterdam,
    )
    ours = place(participant.youth, by=coord_rotterdam)
    form = client.get(url, {"placement": str(ours.pk)}).context["form"]
    assert list(form.fields["placement"].queryset) == [ours]
    assert form.initial["placement"] == ours.pk
    response = post_edit(client, url, {"note": "Klaar", "placement": other.pk})
    assert response.status_code == 200  # not offered: refused, nothing moved
    participant.refresh_from_db()
    assert participant.phase == 2
    response = post_edit(client, url, {"note": "Klaar", "placement": ours.pk})
    assert response.status_code == 302
    participant.refresh_from_db()
    assert (participant.phase, participant.placement) == (3, ours)


def test_a_proposed_placement_id_in_unicode_digits_is_ignored(
    participant, coord_rotterdam, client_for
):
    services.participant_move_phase(
        participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
    )
    url = reverse("prep_programme:participant_move_phase", args=[participant.pk])
    response = client_for(coord_rotterdam).get(url, {"placement": "١٢"})
    assert response.status_code == 200
    assert response.context["form"].initial["placement"] is None


def test_a_coach_rates_skills_and_a_rating_outside_1_to_5_is_refused(
    participant, coord_rotterdam, client_for, programme
):
    skill = programme.core_skills.first()
    url = reverse("prep_programme:skills_rate", args=[participant.pk])
    client = client_for(coord_rotterdam)
    refused = client.post(url, {f"rating_{skill.pk}": "9"})
    assert refused.status_code == 200
    assert not SkillRating.objects.exists()
    response = client.post(url, {f"rating_{skill.pk}": "4", f"note_{skill.pk}": "Goed"})
    assert response.status_code == 302
    rating = SkillRating.objects.get()
    assert (rating.rating, rating.rater, rating.note) == (4, "coach", "Goed")
    detail = client.get(reverse("prep_programme:participant_detail", args=[participant.pk]))
    assert "<svg" in detail.content.decode()


def test_a_coach_logs_a_coaching_talk(participant, coord_rotterdam, client_for):
    url = reverse("prep_programme:coaching_log", args=[participant.pk])
    client = client_for(coord_rotterdam)
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    refused = client.post(url, {"held_on": tomorrow, "self_confidence": "3", "agreements": "x"})
    assert refused.status_code == 200
    assert not CoachingTalk.objects.exists()
    today = timezone.localdate().isoformat()
    response = client.post(
        url, {"held_on": today, "self_confidence": "4", "agreements": "Cv afmaken"}
    )
    assert response.status_code == 302
    assert CoachingTalk.objects.get().self_confidence == 4


def test_the_overview_exports_to_csv_and_xlsx(running, participant, coord_rotterdam, client_for):
    client = client_for(coord_rotterdam)
    response = client.get(reverse("prep_programme:cohort_export", args=[running.pk, "csv"]))
    rows = list(csv.reader(io.StringIO(response.content.decode()), delimiter=";"))
    assert len(rows) == 2
    assert rows[1][0] == participant.youth.case_reference
    response = client.get(reverse("prep_programme:cohort_export", args=[running.pk, "xlsx"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.cell(row=2, column=1).value == participant.youth.case_reference
    assert sheet.cell(row=2, column=2).value == 1


def test_the_profile_panel_shows_the_participation(participant, jw_rotterdam, client_for):
    response = client_for(jw_rotterdam).get(
        reverse("prep_programme:youth_detail_panel", args=[participant.youth.pk])
    )
    assert response.status_code == 200
    assert participant.cohort.name in response.content.decode()


def test_admins_read_a_participant_in_the_admin_and_the_look_is_logged(
    participant, admin, client_for
):
    from restart_platform.accounts.models import AccessEvent

    client = client_for(admin)
    for name in ["programme", "cohort", "session", "participant"]:
        assert client.get(reverse(f"admin:prep_programme_{name}_changelist")).status_code == 200
    url = reverse("admin:prep_programme_participant_change", args=[participant.pk])
    assert client.get(url).status_code == 200
    assert AccessEvent.objects.filter(object_id=str(participant.pk), action="admin_view").exists()


def test_the_cohort_figures_give_time_per_phase_share_in_phase_3_and_drop_out_reasons(
    running, coord_rotterdam, jw_rotterdam, client_for
):
    from prep_programme.selectors import cohort_figures

    start = running.starts_on
    youths = [YoungPersonFactory(youth_worker=jw_rotterdam, city=running.city) for _ in range(3)]
    first, second, third = (
        services.participant_enrol(cohort=running, youth=youth, by=coord_rotterdam, on=start)
        for youth in youths
    )
    services.participant_move_phase(
        participant=first, to_phase=2, note="x", by=coord_rotterdam, on=start + dt.timedelta(10)
    )
    services.participant_move_phase(
        participant=first,
        to_phase=3,
        note="x",
        by=coord_rotterdam,
        on=start + dt.timedelta(30),
        placement=place(first.youth, by=coord_rotterdam),
    )
    services.participant_move_phase(
        participant=second, to_phase=2, note="x", by=coord_rotterdam, on=start + dt.timedelta(20)
    )
    services.participant_leave(
        participant=third, reason="Verhuisd", by=coord_rotterdam, on=start + dt.timedelta(6)
    )
    figures = cohort_figures(running, today=timezone.localdate())
    # Phase 1 ended after 10, 20 and 6 days; phase 2 once, after 20 days; phase 3 runs still.
    assert figures.days_per_phase == {1: 12.0, 2: 20.0, 3: None}
    assert (figures.reached_phase_3, figures.participants) == (1, 3)
    assert figures.share_reaching_phase_3 == 33
    assert (figures.left, figures.left_reasons) == (1, ["Verhuisd"])
    page = client_for(coord_rotterdam).get(
        reverse("prep_programme:cohort_detail", args=[running.pk])
    )
    assert "Verhuisd" in page.content.decode()


def test_the_attendance_screen_says_why_a_reason_is_refused(
    running, participant, coord_rotterdam, client_for
):
    session = SessionFactory(cohort=running)
    url = reverse("prep_programme:attendance_record", args=[session.pk])
    response = post_edit(
        client_for(coord_rotterdam),
        url,
        {f"status_{participant.pk}": "excused", f"reason_{participant.pk}": "x" * 201},
    )
    assert response.status_code == 200
    assert 'class="invalid-feedback d-block"' in response.content.decode()
    assert not session.attendances.exists()


def test_a_move_from_a_phase_someone_else_has_moved_on_is_refused_and_can_be_sent_again(
    participant, coord_rotterdam, client_for
):
    """Both saw phase 1's checklist; the second must not move a phase they have not seen."""
    url = reverse("prep_programme:participant_move_phase", args=[participant.pk])
    client = client_for(coord_rotterdam)
    seen = shown_as(client, url)
    services.participant_move_phase(
        participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
    )
    refused = client.post(url, {"note": "Door naar de volgende", **seen})
    assert refused.status_code == 200
    assert str(STALE_MESSAGE) in refused.context["form"].non_field_errors()
    assert refused.context["form"]["note"].value() == "Door naar de volgende"
    participant.refresh_from_db()
    assert participant.phase == 2
    # Sent again from the refused page, it is judged on phase 2 (which needs a placement to
    # move to phase 3), no longer refused as stale.
    again = {FINGERPRINT_FIELD: refused.context["form"][FINGERPRINT_FIELD].value()}
    answer = client.post(url, {"note": "Door naar de volgende", **again})
    assert list(answer.context["form"].errors) == ["placement"]
