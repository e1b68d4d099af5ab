"""On a phone, a youth worker records a held intake with an employer who has no portal account
(a name and a role are enough) and a job coach as third party with authority, then finishes
the record; every page passes axe-core."""

import datetime as dt

from django.utils import timezone
from playwright.sync_api import expect

from intake.factories import IntakeMeetingFactory
from intake.models import IntakeMeeting, IntakeRecord
from intake.selectors import fidelity_counts
from youth.factories import YoungPersonFactory

PHONE = {"width": 390, "height": 844}


def test_youth_worker_logs_a_held_intake_with_an_employer_without_an_account_on_a_phone(
    live_server, jw_rotterdam, page, login, axe_check
):
    youth = YoungPersonFactory(youth_worker=jw_rotterdam, first_name="Ilias")
    meeting = IntakeMeetingFactory(youth=youth, starts_at=timezone.now() - dt.timedelta(hours=3))
    login(page, live_server, "jw.rotterdam1")
    page.set_viewport_size(PHONE)

    page.goto(f"{live_server.url}/intake/{meeting.pk}/")
    page.get_by_test_id("attendance-link").click()
    expect(page).to_have_url(f"{live_server.url}/intake/{meeting.pk}/attendance/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)

    # Ticked "employer present" without saying who: a clear Dutch message, nothing saved.
    page.locator("#id_employer_present").check()
    page.locator("main form button[type=submit]").click()
    expect(page.locator(".invalid-feedback").first).to_contain_text("naam en rol")
    axe_check(page)
    assert IntakeMeeting.objects.get(pk=meeting.pk).status == IntakeMeeting.Status.SCHEDULED

    page.locator("#id_present_employer_name").fill("Sandra Visser")
    page.locator("#id_present_employer_role").fill("Teamleider werkplaats")
    page.locator("#id_third_party_present").check()
    page.locator("#id_third_party_name").fill("Fatima Bakker, jobcoach")
    page.locator("#id_third_party_authority").select_option("job_coach")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(f"{live_server.url}/intake/{meeting.pk}/")
    expect(page.get_by_test_id("present")).to_contain_text("Sandra Visser, Teamleider werkplaats")
    axe_check(page)

    page.goto(f"{live_server.url}/intake/{meeting.pk}/record/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    axe_check(page)
    page.locator("#id_motivation_words").fill("Ik wil met mijn handen werken.")
    page.locator("#id_no_barriers_found").check()
    page.locator("#id_outcome").select_option("programme")
    page.locator("#id_next_step").fill("Start voorschakelprogramma")
    page.locator("#id_next_step_on").fill((timezone.localdate() + dt.timedelta(days=7)).isoformat())
    page.locator("button[name=action][value=finish]").click()  # non-committal not answered
    expect(page.locator(".invalid-feedback").first).to_contain_text("vrijblijvend")
    axe_check(page)
    radio = page.locator("input[name=non_committal][value='yes']")
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    page.locator("button[name=action][value=finish]").click()
    expect(page).to_have_url(f"{live_server.url}/intake/{meeting.pk}/")
    expect(page.get_by_test_id("non-committal")).to_have_text("Ja")
    axe_check(page)

    meeting.refresh_from_db()
    assert (meeting.status, meeting.employer_present, meeting.present_contact) == (
        IntakeMeeting.Status.HELD,
        True,
        None,
    )
    assert IntakeRecord.objects.get(meeting=meeting).status == IntakeRecord.Status.FINISHED
    counts = fidelity_counts(IntakeMeeting.objects.filter(pk=meeting.pk))
    assert (counts.held_employer_present, counts.held_third_party_present) == (1, 1)
    assert (counts.non_committal_yes, counts.no_barriers_found) == (1, 1)
