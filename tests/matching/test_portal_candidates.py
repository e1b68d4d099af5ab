"""The employer's candidates in the portal: only the profiles shared with their own employer,
minimised, by token; an answer (interested, or not now with a reason) reaches the coordinator,
and "interested" asks the youth worker to plan an intake."""

import datetime as dt
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format

from employers.factories import ContactFactory
from employers.models import Opening
from intake import services as intake_services
from intake.factories import IntakeMeetingFactory, IntakeRecordFactory
from intake.models import IntakeMeeting, IntakeRecord
from matching import services
from matching.models import Placement, Share
from restart_platform.accounts.factories import EmployerContactFactory
from restart_platform.accounts.models import AccessEvent
from restart_platform.notifications.models import Notification, Reminder
from restart_platform.notifications.services import reminders_dispatch_due
from restart_platform.taxonomy.models import InterestArea
from tests.edits import shown_of
from youth.factories import (
    BarrierFactory,
    ConsentFactory,
    ContactMomentFactory,
    NetworkFactorFactory,
)
from youth.models import Consent, YoungPerson
from youth.services import consent_withdraw

from .conftest import make_opening, make_youth

pytestmark = pytest.mark.django_db

LIST = reverse("candidates:candidate_list")
NOT_EMPLOYERS = ["admin", "coord_rotterdam", "coord_dordrecht", "jw_rotterdam", "jw_dordrecht"]

# What an employer must never see of a young person, each as a string found nowhere else.
CANARIES = {
    "email": "kanarie.mail@example.org",
    "phone": "06 98765432",
    "address": "Kanariestraat 77",
    "postcode": "9876 QX",
    "last_name": "Kanarievogelaar",
    "last_school": "Kanariecollege",
    "notes": "kanarie-notitie over thuis",
}
BARRIER_NOTE = "kanarie-barrière schulden"
NETWORK_NOTE = "kanarie-netwerk oom"
CONTACT_SUMMARY = "kanarie-contactgesprek"
INTAKE_DRIVERS = "kanarie-drijfveren"
BORN = dt.date(2006, 2, 27)
BORN_FORMATS = ["27-02-2006", "27-2-2006", "2006-02-27", "27/02/2006", "02/27/2006", "27 februari"]


def canary_youth(jw, home) -> YoungPerson:
    youth = make_youth(
        jw,
        home,
        interests=["technology"],
        skills=["tools", "safety"],
        first_name="Noor",
        preferred_name="",
        date_of_birth=BORN,
        journey=YoungPerson.Journey.PROGRAMME,
        travel_range_km=40,
        available_hours=32,
        available_days=["mon", "wed"],
        ambitions="Ik wil later mijn eigen werkplaats.",
        **CANARIES,
    )
    BarrierFactory(youth=youth, note=BARRIER_NOTE)
    NetworkFactorFactory(youth=youth, description=NETWORK_NOTE)
    ContactMomentFactory(youth=youth, summary=CONTACT_SUMMARY)
    IntakeRecordFactory(
        meeting__youth=youth,
        status=IntakeRecord.Status.FINISHED,
        outcome=IntakeRecord.Outcome.PROGRAMME,
        next_step="Starten in het programma",
        next_step_on=timezone.localdate(),
        finished_at=timezone.now(),
        motivation_words="Ik wil graag met mijn handen werken.",
        motivation_drivers=INTAKE_DRIVERS,
    )
    ConsentFactory(youth=youth, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS)
    return youth


def share_of(youth, opening, by) -> Share:
    entry = services.shortlist_add(youth=youth, opening=opening, by=by)
    return services.share_create(shortlist=entry, by=by)


@pytest.fixture
def world(cities, sectors, jw_rotterdam, coord_rotterdam, employer_contact1, employer_contact2):
    """Employer 1 (contact employer_contact1) has a candidate shared with it; employer 2
    (employer_contact2) has its own opening and nothing shared."""
    rotterdam = cities["rotterdam"]
    youth = canary_youth(jw_rotterdam, rotterdam)
    opening = make_opening(
        rotterdam, sectors["recycling"], required=["tools", "safety"], title="Demontage Waalhaven"
    )
    other_opening = make_opening(rotterdam, sectors["recycling"], title="Sorteren Maasvlakte")
    ContactFactory(employer=opening.employer, user=employer_contact1)
    ContactFactory(employer=other_opening.employer, user=employer_contact2)
    share = share_of(youth, opening, coord_rotterdam)
    return {"youth": youth, "opening": opening, "other_opening": other_opening, "share": share}


def detail_url(share) -> str:
    return reverse("candidates:candidate_detail", args=[share.token])


def answer_url(share) -> str:
    return reverse("candidates:candidate_answer", args=[share.token])


def answered_as_shown(share) -> dict:
    """The answer form's fingerprint, as the candidate's page shows the share now."""
    return shown_of(share, "answer", "answer_reason")


# --- What the employer sees --------------------------------------------------------------------


def test_the_employer_sees_the_candidate_shared_with_them_minimised(
    world, client_for, employer_contact1
):
    client = client_for(employer_contact1)
    [row] = client.get(LIST).context["rows"]
    assert row["share"] == world["share"]
    assert row["profile"]["name"] == "Noor K."

    page = client.get(detail_url(world["share"])).content.decode()
    for shown in ("Noor K.", "Rotterdam", "Ik wil graag met mijn handen werken.", "32"):
        assert shown in page


def test_no_portal_page_shows_a_detail_a_shared_profile_must_not_show(
    world, client_for, employer_contact1
):
    client = client_for(employer_contact1)
    share = world["share"]
    pages = [
        client.get(LIST),
        client.get(detail_url(share)),
        client.post(answer_url(share), {"answer": "not_now", "reason": ""}),  # form errors
        client.get(reverse("portal:portal_home")),
    ]
    services.share_answer(share=share, by=employer_contact1, answer="interested")
    pages += [client.get(LIST), client.get(detail_url(share))]
    reminders_dispatch_due(now=timezone.now() + dt.timedelta(seconds=1))
    pages.append(client.get(reverse("notifications:notification_list")))

    forbidden = [
        *CANARIES.values(),
        BARRIER_NOTE,
        NETWORK_NOTE,
        CONTACT_SUMMARY,
        INTAKE_DRIVERS,
        *BORN_FORMATS,
        world["youth"].case_reference,
    ]
    texts = [response.content.decode() for response in pages]
    texts += [m.subject + m.body for m in mail.outbox if employer_contact1.email in m.to]
    for response in pages:
        assert response.status_code == 200
    for text in texts:
        for canary in forbidden:
            assert canary not in text, canary


def test_a_withdrawn_share_shows_as_no_longer_available_and_its_page_answers_404(
    world, client_for, employer_contact1, coord_rotterdam
):
    services.share_withdraw(share=world["share"], by=coord_rotterdam, reason="Verhuisd")
    client = client_for(employer_contact1)
    response = client.get(LIST)
    [row] = response.context["rows"]
    assert row["profile"] is None
    # As a word: the contact's own invented name in the menu may start with it ("Noortje").
    assert not re.search(r"\bNoor\b", response.content.decode())
    assert 'data-testid="no-longer-available"' in response.content.decode()
    assert client.get(detail_url(world["share"])).status_code == 404


def test_withdrawing_the_consent_takes_the_candidate_away_from_the_employer_at_once(
    world, client_for, employer_contact1, jw_rotterdam
):
    consent = Consent.objects.get(youth=world["youth"], purpose="share_with_employers")
    consent_withdraw(consent=consent, by=jw_rotterdam)
    client = client_for(employer_contact1)
    assert client.get(detail_url(world["share"])).status_code == 404
    assert client.post(answer_url(world["share"]), {"answer": "interested"}).status_code == 404


def test_a_consent_withdrawn_in_the_admin_hides_the_candidate_at_once(
    world, client_for, employer_contact1, admin
):
    consent = Consent.objects.get(youth=world["youth"], purpose="share_with_employers")
    response = client_for(admin).post(
        reverse("admin:youth_consent_changelist"),
        {"action": "withdraw", "_selected_action": [consent.pk]},
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert (consent.withdrawn_on, consent.withdrawn_by) == (timezone.localdate(), admin)
    client = client_for(employer_contact1)
    assert client.get(detail_url(world["share"])).status_code == 404
    assert client.get(LIST).context["rows"][0]["profile"] is None


def test_a_consent_withdrawn_around_the_service_still_hides_the_candidate(
    world, client_for, employer_contact1
):
    # A raw update stops no share; the portal reads the consent itself, at every look.
    Consent.objects.filter(youth=world["youth"]).update(withdrawn_on=timezone.localdate())
    assert Share.objects.get(pk=world["share"].pk).status == Share.Status.ACTIVE
    client = client_for(employer_contact1)
    assert client.get(detail_url(world["share"])).status_code == 404
    assert client.post(answer_url(world["share"]), {"answer": "interested"}).status_code == 404
    [row] = client.get(LIST).context["rows"]
    assert (row["profile"], row["status"]) == (None, "withdrawn")
    with pytest.raises(ValidationError):
        services.share_answer(share=world["share"], by=employer_contact1, answer="interested")


def test_every_look_at_a_candidate_is_logged(world, client_for, employer_contact1):
    client = client_for(employer_contact1)
    looks = AccessEvent.objects.filter(
        actor=employer_contact1,
        content_type=ContentType.objects.get_for_model(YoungPerson),
        object_id=str(world["youth"].pk),
        outcome=AccessEvent.Outcome.ALLOWED,
    )
    client.get(LIST)
    assert looks.count() == 1
    client.get(detail_url(world["share"]))
    assert looks.count() == 2


# --- Another employer --------------------------------------------------------------------------


def test_another_employers_contact_gets_404_on_the_candidate_and_it_is_logged(
    world, client_for, employer_contact2
):
    client = client_for(employer_contact2)
    assert client.get(detail_url(world["share"])).status_code == 404
    assert client.get(LIST).context["rows"] == []
    assert AccessEvent.objects.filter(
        actor=employer_contact2, outcome=AccessEvent.Outcome.DENIED
    ).exists()


def test_answering_for_a_candidate_not_shared_with_them_is_refused(
    world, client_for, employer_contact2
):
    response = client_for(employer_contact2).post(
        answer_url(world["share"]), {"answer": "interested", **answered_as_shown(world["share"])}
    )
    assert response.status_code == 404
    share = Share.objects.get()
    assert share.answer == Share.Answer.PENDING
    assert not Reminder.objects.filter(kind="matching.answered").exists()


def test_the_service_refuses_an_answer_from_another_employer(world, employer_contact2):
    with pytest.raises(ValidationError):
        services.share_answer(share=world["share"], by=employer_contact2, answer="interested")


def test_an_unknown_token_answers_404(world, client_for, employer_contact1):
    client = client_for(employer_contact1)
    url = reverse("candidates:candidate_detail", args=["00000000-0000-4000-8000-000000000000"])
    assert client.get(url).status_code == 404


def test_an_employer_contact_without_an_employer_gets_404(world, client_for):
    loose = EmployerContactFactory(username="employer.los")
    assert client_for(loose).get(LIST).status_code == 404


@pytest.mark.parametrize("role", NOT_EMPLOYERS)
def test_only_employer_contacts_open_the_candidate_pages(role, cast, world, client_for):
    client = client_for(cast[role])
    assert client.get(LIST).status_code == 404
    assert client.get(detail_url(world["share"])).status_code == 404
    assert client.post(answer_url(world["share"]), {"answer": "interested"}).status_code == 404


def test_the_candidates_are_in_the_navigation_and_on_the_portal_home(
    world, client_for, employer_contact1, coord_rotterdam
):
    home = client_for(employer_contact1).get(reverse("portal:portal_home"))
    assert LIST in [item["url"] for item in home.context["nav_items"]]
    assert f'href="{LIST}"' in home.content.decode()
    staff_home = client_for(coord_rotterdam).get(reverse("dashboard:home"))
    assert LIST not in [item["url"] for item in staff_home.context["nav_items"]]


# --- Answering ---------------------------------------------------------------------------------


def test_interested_asks_the_youth_worker_to_plan_an_intake_and_tells_the_coordinator(
    world, client_for, employer_contact1, coord_rotterdam, jw_rotterdam
):
    response = client_for(employer_contact1).post(
        answer_url(world["share"]), {"answer": "interested", **answered_as_shown(world["share"])}
    )
    assert response.status_code == 302
    share = Share.objects.get()
    assert (share.answer, share.answered_by) == (Share.Answer.INTERESTED, employer_contact1)
    assert share.answered_at is not None
    assert share.intake is None

    reminders_dispatch_due(now=timezone.now() + dt.timedelta(seconds=1))
    to_worker = Notification.objects.get(
        user=jw_rotterdam, reminder__kind="matching.intake_proposed"
    )
    assert to_worker.url == share.intake_proposal_url
    assert to_worker.url.startswith(reverse("intake:intake_create") + "?")
    to_coordinator = Notification.objects.get(
        user=coord_rotterdam, reminder__kind="matching.answered"
    )
    assert to_coordinator.url.startswith(reverse("matching:matching_home"))
    assert {m.to[0] for m in mail.outbox} >= {jw_rotterdam.email, coord_rotterdam.email}


def test_not_now_with_a_reason_is_recorded_and_the_coordinator_hears_of_it(
    world, client_for, employer_contact1, coord_rotterdam
):
    client_for(employer_contact1).post(
        answer_url(world["share"]),
        {
            "answer": "not_now",
            "reason": "Geen plek tot de zomer",
            **answered_as_shown(world["share"]),
        },
    )
    share = Share.objects.get()
    assert (share.answer, share.answer_reason) == (Share.Answer.NOT_NOW, "Geen plek tot de zomer")
    assert not Reminder.objects.filter(kind="matching.intake_proposed").exists()

    reminders_dispatch_due(now=timezone.now() + dt.timedelta(seconds=1))
    assert Notification.objects.filter(
        user=coord_rotterdam, reminder__kind="matching.answered"
    ).exists()
    page = client_for(coord_rotterdam).get(reverse("matching:matching_home"), {"show": "shares"})
    assert "Geen plek tot de zomer" in page.content.decode()


def test_not_now_without_a_reason_is_refused(world, client_for, employer_contact1):
    response = client_for(employer_contact1).post(
        answer_url(world["share"]), {"answer": "not_now", "reason": "  "}
    )
    assert response.status_code == 200
    assert "reason" in response.context["form"].errors
    assert Share.objects.get().answer == Share.Answer.PENDING
    assert not Reminder.objects.filter(kind="matching.answered").exists()


def test_a_made_up_answer_is_a_form_error(world, client_for, employer_contact1):
    response = client_for(employer_contact1).post(answer_url(world["share"]), {"answer": "maybe"})
    assert "answer" in response.context["form"].errors
    assert Share.objects.get().answer == Share.Answer.PENDING


def test_the_answer_page_only_takes_posts(world, client_for, employer_contact1):
    assert client_for(employer_contact1).get(answer_url(world["share"])).status_code == 405


def test_the_same_answer_twice_tells_the_coordinator_once(world, employer_contact1):
    services.share_answer(share=world["share"], by=employer_contact1, answer="interested")
    services.share_answer(share=world["share"], by=employer_contact1, answer="interested")
    assert Reminder.objects.filter(kind="matching.answered").count() == 1


def test_an_employer_may_change_their_answer_and_the_coordinator_hears_each(
    world, employer_contact1
):
    services.share_answer(
        share=world["share"], by=employer_contact1, answer="not_now", reason="Te druk"
    )
    services.share_answer(share=world["share"], by=employer_contact1, answer="interested")
    share = Share.objects.get()
    assert (share.answer, share.answer_reason) == (Share.Answer.INTERESTED, "")
    assert Reminder.objects.filter(kind="matching.answered").count() == 2


# --- Where each candidate stands ---------------------------------------------------------------

INTAKE_PLACE = "Werkplaats Waalhaven 12"
THIRD_PARTY_NAME = "kanarie-derde-partij"  # on the intake, never in the portal
NOT_NOW_REASON = "Geen plek tot de zomer"
STATES = ["waiting", "interested", "intake_planned", "not_now", "placed"]


def intake_start() -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=7)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(14, 30)))


def plan_intake(share, by) -> IntakeMeeting:
    return intake_services.intake_schedule(
        youth=share.youth,
        by=by,
        starts_at=intake_start(),
        place=INTAKE_PLACE,
        opening=share.opening,
        employer_contact=share.answered_by,
        third_party_name=THIRD_PARTY_NAME,
    )


def place(youth, opening, by) -> Placement:
    return services.placement_create(
        youth=youth,
        opening=opening,
        by=by,
        start_date=timezone.localdate() + dt.timedelta(days=14),
        hours_per_week=32,
        agreement=Placement.Agreement.EMPLOYMENT,
    )


def bring_to(state, world, *, contact, jw, coord) -> None:
    """Take the world's share to one of the portal's states, the way people do."""
    share = world["share"]
    if state == "waiting":
        return
    if state == "not_now":
        services.share_answer(share=share, by=contact, answer="not_now", reason=NOT_NOW_REASON)
        return
    share = services.share_answer(share=share, by=contact, answer="interested")
    if state in ("intake_planned", "placed"):
        plan_intake(share, jw)
    if state == "placed":
        place(world["youth"], world["opening"], coord)


def status_on_pages(client, share) -> tuple[str, str]:
    [row] = client.get(LIST).context["rows"]
    return row["status"], client.get(detail_url(share)).context["status"]


@pytest.mark.parametrize("state", STATES)
def test_the_portal_tells_the_employer_where_each_candidate_stands(
    state, world, client_for, employer_contact1, jw_rotterdam, coord_rotterdam
):
    bring_to(state, world, contact=employer_contact1, jw=jw_rotterdam, coord=coord_rotterdam)
    client = client_for(employer_contact1)
    assert status_on_pages(client, world["share"]) == (state, state)
    for page in (client.get(LIST), client.get(detail_url(world["share"]))):
        assert f'data-status="{state}"' in page.content.decode()


def test_a_planned_intake_shows_its_day_time_and_place(
    world, client_for, employer_contact1, jw_rotterdam, coord_rotterdam
):
    bring_to(
        "intake_planned", world, contact=employer_contact1, jw=jw_rotterdam, coord=coord_rotterdam
    )
    page = client_for(employer_contact1).get(detail_url(world["share"])).content.decode()
    assert INTAKE_PLACE in page
    with translation.override("nl"):  # the portal speaks Dutch by default
        day = date_format(timezone.localtime(intake_start()), "l j F Y")
    assert day in page  # e.g. "dinsdag 8 december 2026"
    assert "14:30" in page


def test_not_now_shows_the_employers_own_reason(world, client_for, employer_contact1):
    services.share_answer(
        share=world["share"], by=employer_contact1, answer="not_now", reason=NOT_NOW_REASON
    )
    page = client_for(employer_contact1).get(LIST).content.decode()
    assert NOT_NOW_REASON in page


def test_a_placed_candidate_has_no_answer_form_any_more(
    world, client_for, employer_contact1, jw_rotterdam, coord_rotterdam
):
    bring_to("placed", world, contact=employer_contact1, jw=jw_rotterdam, coord=coord_rotterdam)
    response = client_for(employer_contact1).get(detail_url(world["share"]))
    assert answer_url(world["share"]) not in response.content.decode()


def test_a_cancelled_intake_puts_the_candidate_back_to_an_intake_being_planned(
    world, client_for, employer_contact1, jw_rotterdam, coord_rotterdam
):
    bring_to(
        "intake_planned", world, contact=employer_contact1, jw=jw_rotterdam, coord=coord_rotterdam
    )
    meeting = Share.objects.get().intake
    intake_services.intake_cancel(meeting=meeting, by=jw_rotterdam, reason="Ziek")
    client = client_for(employer_contact1)
    assert status_on_pages(client, world["share"]) == ("interested", "interested")


def test_a_placement_at_another_opening_of_the_same_employer_counts_as_placed(
    world, client_for, employer_contact1, coord_rotterdam, sectors
):
    second = make_opening(world["opening"].employer.city, sectors["recycling"])
    Opening.objects.filter(pk=second.pk).update(employer=world["opening"].employer)
    second.refresh_from_db()
    place(world["youth"], second, coord_rotterdam)
    client = client_for(employer_contact1)
    assert status_on_pages(client, world["share"]) == ("placed", "placed")


def test_a_placement_with_another_employer_is_not_told(
    world, client_for, employer_contact1, coord_rotterdam
):
    place(world["youth"], world["other_opening"], coord_rotterdam)
    client = client_for(employer_contact1)
    assert status_on_pages(client, world["share"]) == ("waiting", "waiting")
    assert world["other_opening"].title not in client.get(LIST).content.decode()


def test_a_withdrawn_candidate_is_listed_as_withdrawn_only(
    world, client_for, employer_contact1, coord_rotterdam
):
    services.share_withdraw(share=world["share"], by=coord_rotterdam, reason="Verhuisd")
    response = client_for(employer_contact1).get(LIST)
    [row] = response.context["rows"]
    assert row["status"] == "withdrawn"
    assert 'data-status="withdrawn"' in response.content.decode()


@pytest.mark.parametrize("state", [*STATES, "withdrawn"])
def test_no_portal_page_shows_a_forbidden_detail_in_any_state(
    state, world, client_for, employer_contact1, jw_rotterdam, coord_rotterdam
):
    if state == "withdrawn":
        bring_to(
            "intake_planned",
            world,
            contact=employer_contact1,
            jw=jw_rotterdam,
            coord=coord_rotterdam,
        )
        services.share_withdraw(share=world["share"], by=coord_rotterdam, reason="Verhuisd")
    else:
        bring_to(state, world, contact=employer_contact1, jw=jw_rotterdam, coord=coord_rotterdam)
    client = client_for(employer_contact1)
    pages = [client.get(LIST), client.get(reverse("portal:portal_home"))]
    if state != "withdrawn":
        pages.append(client.get(detail_url(world["share"])))
    forbidden = [
        *CANARIES.values(),
        BARRIER_NOTE,
        NETWORK_NOTE,
        CONTACT_SUMMARY,
        INTAKE_DRIVERS,
        THIRD_PARTY_NAME,
        *BORN_FORMATS,
        world["youth"].case_reference,
    ]
    for response in pages:
        assert response.status_code == 200
        text = response.content.decode()
        for canary in forbidden:
            assert canary not in text, canary


# --- Query budget ------------------------------------------------------------------------------


def many_candidates(count, *, employer_opening, jw, coord, rotterdam):
    YoungPerson.objects.bulk_create(
        YoungPerson(
            first_name=f"Kandidaat{i:03d}",
            last_name="Test",
            date_of_birth=BORN,
            youth_worker=jw,
            city=rotterdam,
            referred_by="rmc",
        )
        for i in range(count)
    )
    youths = list(YoungPerson.objects.filter(first_name__startswith="Kandidaat"))
    Consent.objects.bulk_create(  # a share stands on the consent to share, read live
        Consent(
            youth=youth,
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
            given_on=timezone.localdate(),
            recorded_by=jw,
        )
        for youth in youths
    )
    Share.objects.bulk_create(  # the first young people's shares are the newest: on page one
        Share(youth=youth, opening=employer_opening, shared_by=coord) for youth in reversed(youths)
    )
    for youth in youths[:3]:  # some with interests, skills and an intake record
        youth.interests.set(InterestArea.objects.all()[:2])
        IntakeRecordFactory(meeting__youth=youth, motivation_words="Graag!")
    Share.objects.filter(youth__in=youths[:2]).update(
        status=Share.Status.WITHDRAWN, withdrawn_at=timezone.now(), withdrawn_reason="Weg"
    )
    # And every other state the portal tells: interested, an intake planned, not now, placed.
    Share.objects.filter(youth__in=youths[2:5]).update(
        answer=Share.Answer.INTERESTED, answered_at=timezone.now()
    )
    for youth in youths[3:5]:
        meeting = IntakeMeetingFactory(youth=youth, opening=employer_opening)
        Share.objects.filter(youth=youth).update(intake=meeting)
    Placement.objects.create(
        youth=youths[4],
        opening=employer_opening,
        start_date=timezone.localdate(),
        hours_per_week=32,
        agreement=Placement.Agreement.EMPLOYMENT,
        created_by=coord,
    )
    Share.objects.filter(youth=youths[-1]).update(
        answer=Share.Answer.NOT_NOW, answer_reason="Vol", answered_at=timezone.now()
    )


@pytest.mark.parametrize("rows", [5, 50])
def test_the_candidate_list_keeps_its_query_count(
    rows,
    cities,
    sectors,
    jw_rotterdam,
    coord_rotterdam,
    employer_contact1,
    client_for,
    django_assert_max_num_queries,
):
    opening = make_opening(cities["rotterdam"], sectors["recycling"])
    Opening.objects.filter(pk=opening.pk).update(places=rows)
    ContactFactory(employer=opening.employer, user=employer_contact1)
    many_candidates(
        rows,
        employer_opening=opening,
        jw=jw_rotterdam,
        coord=coord_rotterdam,
        rotterdam=cities["rotterdam"],
    )
    client = client_for(employer_contact1)
    with django_assert_max_num_queries(13):
        response = client.get(LIST)
    assert len(response.context["rows"]) == min(rows, 25)
    statuses = {row["status"] for row in response.context["rows"]}
    assert statuses >= {"withdrawn", "interested", "intake_planned", "placed"}


def test_an_ended_placement_no_longer_reads_placed_and_the_answer_form_is_back(
    world, client_for, employer_contact1, coord_rotterdam
):
    placement = place(world["youth"], world["opening"], coord_rotterdam)
    Placement.objects.filter(pk=placement.pk).update(start_date=timezone.localdate())
    placement.refresh_from_db()
    services.placement_end(
        placement=placement, by=coord_rotterdam, ended_on=timezone.localdate(), reason="Verhuisd"
    )
    client = client_for(employer_contact1)
    assert status_on_pages(client, world["share"]) == ("waiting", "waiting")
    assert answer_url(world["share"]) in client.get(detail_url(world["share"])).content.decode()
