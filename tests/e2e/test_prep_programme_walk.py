"""A coach records a session's attendance for the whole cohort from a phone, rates skills and
logs a coaching talk; the coordinator moves a participant to phase 2 with the checklist shown.
Every page passes axe."""

from django.utils import timezone
from playwright.sync_api import expect

from prep_programme import services
from prep_programme.factories import CohortFactory, standard_programme
from prep_programme.models import Attendance, CoachingTalk, Participant, SkillRating
from youth.factories import YoungPersonFactory


def test_a_coach_records_attendance_rates_skills_logs_coaching_and_moves_a_participant_on(
    live_server, coord_rotterdam, jw_rotterdam, rotterdam, page, login, axe_check
):
    cohort = CohortFactory(programme=standard_programme(), city=rotterdam, name="Maasstad najaar")
    cohort.coaches.add(coord_rotterdam)
    participants = [
        services.participant_enrol(
            cohort=cohort,
            youth=YoungPersonFactory(
                youth_worker=jw_rotterdam, city=rotterdam, first_name=name, last_name="Verzonnen"
            ),
            by=coord_rotterdam,
        )
        for name in ["Amira", "Bram", "Cem"]
    ]
    login(page, live_server, "coord.rotterdam")

    # The overview, then a session planned and its attendance recorded from a phone.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}/prep/")
    page.get_by_role("link", name="Maasstad najaar").click()
    expect(page.get_by_test_id("participant-row")).to_have_count(3)
    axe_check(page)
    page.goto(f"{live_server.url}/prep/cohorts/{cohort.pk}/sessions/new/")
    axe_check(page)
    page.locator("#id_kind").select_option("training")
    page.locator("#id_date").fill(timezone.localdate().isoformat())
    page.locator("#id_starts_at").fill("09:30")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("attendance-row")).to_have_count(3)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390, "scrolls sideways"
    axe_check(page)
    bram = participants[1]
    page.locator(f"input[name=status_{bram.pk}][value=late]").check()
    page.locator(f"input[name=reason_{bram.pk}]").fill("Bus te laat")
    page.get_by_role("button", name="Aanwezigheid opslaan").click()
    expect(page).to_have_url(f"{live_server.url}/prep/cohorts/{cohort.pk}/")
    assert dict(Attendance.objects.values_list("participant_id", "status")) == {
        participants[0].pk: "present",
        bram.pk: "late",
        participants[2].pk: "present",
    }

    # Rate skills and log a coaching talk for Amira.
    page.set_viewport_size({"width": 1280, "height": 900})
    amira = participants[0]
    page.goto(f"{live_server.url}/prep/participants/{amira.pk}/ratings/")
    axe_check(page)
    for skill in cohort.programme.core_skills.all():
        page.locator(f"#id_rating_{skill.pk}").select_option("4")
    page.get_by_role("button", name="Beoordelingen opslaan").click()
    expect(page.get_by_test_id("skill-chart").first).to_be_visible()
    axe_check(page)
    assert SkillRating.objects.filter(participant=amira).count() == 4
    page.get_by_role("link", name="Coachgesprek vastleggen").click()
    axe_check(page)
    page.locator("#id_self_confidence").select_option("3")
    page.locator("#id_agreements").fill("Elke dag om half tien aanwezig")
    page.get_by_role("button", name="Gesprek opslaan").click()
    expect(page).to_have_url(f"{live_server.url}/prep/participants/{amira.pk}/")
    assert CoachingTalk.objects.filter(participant=amira).exists()

    # Move Amira to phase 2: the checklist shows the measured values; one session is 100 %.
    page.get_by_role("link", name="Naar fase 2").click()
    expect(page.get_by_test_id("criterion")).to_have_count(2)
    expect(page.get_by_test_id("checklist")).to_contain_text("100%")
    axe_check(page)
    page.get_by_role("button", name="Naar fase 2").click()
    expect(page).to_have_url(f"{live_server.url}/prep/participants/{amira.pk}/")
    assert Participant.objects.get(pk=amira.pk).phase == 2
    assert amira.phase_changes.latest("pk").criteria_met is True


def test_an_involved_employer_rates_after_a_visit_and_the_coach_sees_the_employer_line(
    live_server,
    coord_rotterdam,
    jw_rotterdam,
    employer_contact1,
    rotterdam,
    page,
    login,
    axe_check,
):
    from employers.factories import ContactFactory, EmployerFactory
    from prep_programme.models import EmployerInvolvement

    cohort = CohortFactory(programme=standard_programme(), city=rotterdam, name="Maasstad najaar")
    cohort.coaches.add(coord_rotterdam)
    employer = EmployerFactory(city=rotterdam, name="Demontage Zuid")
    ContactFactory(employer=employer, user=employer_contact1)
    EmployerInvolvement.objects.create(cohort=cohort, employer=employer, kind="visit")
    dana = services.participant_enrol(
        cohort=cohort,
        youth=YoungPersonFactory(
            youth_worker=jw_rotterdam, city=rotterdam, first_name="Dana", last_name="Verzonnen"
        ),
        by=coord_rotterdam,
    )
    skill = cohort.programme.core_skills.first()

    login(page, live_server, "employer.demo1")
    page.goto(f"{live_server.url}/prep/")
    page.get_by_role("link", name="Maasstad najaar").click()
    axe_check(page)
    page.get_by_role("link", name="Deelnemers beoordelen").click()
    axe_check(page)
    page.locator("#id_participant").select_option(str(dana.pk))
    page.locator(f"#id_rating_{skill.pk}").select_option("4")
    page.locator(f"#id_note_{skill.pk}").fill("Werkt netjes en vraagt door")
    page.get_by_role("button", name="Beoordelingen opslaan").click()
    expect(page.get_by_test_id("own-rating")).to_have_count(1)
    axe_check(page)
    assert SkillRating.objects.get(participant=dana).rater == "employer"

    page.context.clear_cookies()
    login(page, live_server, "coord.rotterdam")
    page.goto(f"{live_server.url}/prep/participants/{dana.pk}/")
    expect(page.locator('polyline[data-rater="employer"]')).to_have_count(1)
    axe_check(page)
