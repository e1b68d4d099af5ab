"""A youth worker registers a young person, records consent, plans an intake with an employer
contact (everyone gets the calendar invitation), and a week later records the intake and its
outcome; every page passes axe."""

import datetime as dt

import time_machine
from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from employers.factories import ContactFactory, EmployerFactory
from intake.models import IntakeMeeting, IntakeRecord
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import reminders_dispatch_due
from youth.models import Consent, YoungPerson


def test_youth_worker_registers_a_young_person_plans_an_intake_and_records_its_outcome(
    live_server, jw_rotterdam, coord_rotterdam, employer_contact1, rotterdam, page, login, axe_check
):
    employer = EmployerFactory(name="Reparatiehuis De Maas", city=rotterdam, owner=coord_rotterdam)
    ContactFactory(
        employer=employer, user=employer_contact1, name=employer_contact1.get_full_name()
    )
    login(page, live_server, "jw.rotterdam1")

    # Register.
    page.goto(f"{live_server.url}/youth/new/")
    axe_check(page)
    page.locator("#id_first_name").fill("Samira")
    page.locator("#id_last_name").fill("Verzonnen")
    born = timezone.localdate().replace(year=timezone.localdate().year - 19) - dt.timedelta(days=40)
    page.locator("#id_date_of_birth").fill(born.isoformat())
    page.locator("#id_left_school_on").fill(
        (timezone.localdate() - dt.timedelta(days=60)).isoformat()
    )
    page.locator("#id_referred_by").select_option("youth_work")
    page.locator("main form button[type=submit]").click()
    youth = YoungPerson.objects.get(last_name="Verzonnen")
    expect(page).to_have_url(f"{live_server.url}/youth/{youth.pk}/")
    expect(page.get_by_test_id("consent-missing")).to_be_visible()
    axe_check(page)

    # Consent: registration, and sharing with employers.
    for purpose in ("registration", "share_with_employers"):
        page.locator(f"a[href='/youth/{youth.pk}/consents/new/']").first.click()
        axe_check(page)
        page.locator("#id_purpose").select_option(purpose)
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/youth/{youth.pk}/")
    expect(page.get_by_test_id("consent-missing")).to_have_count(0)
    assert set(Consent.objects.filter(youth=youth).values_list("purpose", flat=True)) == {
        "registration",
        "share_with_employers",
    }

    # Plan the intake with the employer.
    page.locator(f"a[href='/intake/new/?youth={youth.pk}']").first.click()
    axe_check(page)
    starts = timezone.localtime() + dt.timedelta(days=7)
    page.locator("#id_date").fill(starts.date().isoformat())
    page.locator("#id_time").fill("14:30")
    page.locator("#id_place").fill("Werkplaats Reparatiehuis De Maas")
    page.locator("#id_employer_contact").select_option(str(employer_contact1.pk))
    page.locator("#id_third_party").select_option(str(coord_rotterdam.pk))
    page.locator("main form button[type=submit]").click()
    meeting = IntakeMeeting.objects.get(youth=youth)
    expect(page).to_have_url(f"{live_server.url}/intake/{meeting.pk}/")
    axe_check(page)

    # Everyone with an account gets an invitation with the calendar file.
    reminders_dispatch_due()
    invited = {message.to[0]: message for message in mail.outbox if message.attachments}
    assert set(invited) == {jw_rotterdam.email, employer_contact1.email, coord_rotterdam.email}
    filename, ics, mimetype = invited[employer_contact1.email].attachments[0]
    ics = ics.decode() if isinstance(ics, bytes) else ics
    assert filename.endswith(".ics")
    assert mimetype.startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in ics
    assert "Verzonnen" not in ics  # the calendar names references, never the young person
    download = page.request.get(f"{live_server.url}/intake/{meeting.pk}/calendar.ics")
    assert download.ok
    assert "Europe/Amsterdam" in download.text()

    # A week later the meeting has taken place; the youth worker records it.
    # Three hours after the meeting's own start (14:30), whatever the hour the test runs at.
    with time_machine.travel(meeting.starts_at + dt.timedelta(hours=3), tick=True):
        login(page, live_server, "jw.rotterdam1")
        page.set_viewport_size({"width": 390, "height": 844})  # from a phone
        # First who was there: as planned, the employer's contact and the coordinator.
        page.goto(f"{live_server.url}/intake/{meeting.pk}/attendance/")
        axe_check(page)
        expect(page.locator("#id_employer_present")).to_be_checked()
        page.locator("#id_third_party_present").check()
        page.locator("main form button[type=submit]").click()
        expect(page).to_have_url(f"{live_server.url}/intake/{meeting.pk}/")
        page.goto(f"{live_server.url}/intake/{meeting.pk}/record/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, (
            "the form scrolls sideways"
        )
        axe_check(page)
        page.locator("#id_motivation_words").fill("Ik wil laten zien dat ik het kan.")
        choose(page, "motivation_rating", "4")
        page.locator("#id_youth_expectations").fill("Een vaste begeleider.")
        page.locator("#id_employer_expectations").fill("Op tijd komen.")
        page.locator("#id_agreed_expectations").fill("Twee weken meelopen.")
        choose(page, "non_committal", "yes")
        choose(page, "youth_click", "yes")
        choose(page, "employer_click", "yes")
        page.locator("#id_outcome").select_option("programme")
        page.locator("#id_next_step").fill("Start voorschakelprogramma")
        page.locator("#id_next_step_on").fill((starts.date() + dt.timedelta(days=7)).isoformat())
        page.locator("button[name=action][value=finish]").click()
        expect(page).to_have_url(f"{live_server.url}/intake/{meeting.pk}/")
        axe_check(page)

    record = IntakeRecord.objects.get(meeting=meeting)
    assert record.status == IntakeRecord.Status.FINISHED
    assert (
        Reminder.objects.get(key=f"intake.outcome_missing:{meeting.pk}").status
        == Reminder.Status.CANCELLED
    )
    assert Reminder.objects.filter(kind="intake.next_step", status=Reminder.Status.PENDING).exists()
    assert YoungPerson.objects.get(pk=youth.pk).journey == YoungPerson.Journey.PROGRAMME


def choose(page, name: str, value: str) -> None:
    """Tap the button-style label of a radio choice, as a person does on a phone."""
    radio = page.locator(f"input[name={name}][value='{value}']")
    page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    expect(radio).to_be_checked()
