"""An employer's "interested" proposes an intake: the youth worker (and the coordinator) get the
intake form with the young person, the opening, the employer contact and the coordinator filled
in; once the intake is planned, the share is linked to it. Ids from a link are never trusted."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from employers.factories import ContactFactory
from employers.models import Opening
from intake import services as intake_services
from intake.models import IntakeMeeting
from matching import services
from matching.models import Share
from restart_platform.accounts.factories import EmployerContactFactory
from restart_platform.notifications.models import Notification, Reminder
from restart_platform.notifications.services import reminders_dispatch_due
from youth.factories import ConsentFactory
from youth.models import Consent

from .conftest import HTMX, make_opening, make_youth, youth_panel

pytestmark = pytest.mark.django_db

NEW_INTAKE = reverse("intake:intake_create")
SHARES = reverse("matching:matching_home") + "?show=shares"
INTAKE_PLANNERS = ["admin", "coord_rotterdam", "jw_rotterdam"]
NOT_PLANNERS = ["coord_dordrecht", "jw_dordrecht", "employer1"]


@pytest.fixture
def world(cities, sectors, jw_rotterdam, coord_rotterdam, employer_contact1, employer_contact2):
    """A Rotterdam young person (sharing consent) shared by coord_rotterdam for an opening of
    employer 1 (contact employer_contact1); employer 2 (employer_contact2) has its own opening."""
    rotterdam = cities["rotterdam"]
    youth = make_youth(jw_rotterdam, rotterdam, first_name="Imane", skills=["tools"])
    ConsentFactory(youth=youth, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS)
    opening = make_opening(rotterdam, sectors["recycling"], title="Fietsenmaker Katendrecht")
    other_opening = make_opening(rotterdam, sectors["recycling"], title="Sorteren Charlois")
    ContactFactory(employer=opening.employer, user=employer_contact1)
    ContactFactory(employer=other_opening.employer, user=employer_contact2)
    entry = services.shortlist_add(youth=youth, opening=opening, by=coord_rotterdam)
    share = services.share_create(shortlist=entry, by=coord_rotterdam)
    return {"youth": youth, "opening": opening, "other_opening": other_opening, "share": share}


def interested(world, contact) -> Share:
    return services.share_answer(share=world["share"], by=contact, answer="interested")


def schedule(youth, by, **fields) -> IntakeMeeting:
    return intake_services.intake_schedule(
        youth=youth,
        by=by,
        starts_at=timezone.now() + dt.timedelta(days=5),
        place="Buurthuis De Peperklip",
        **fields,
    )


def form_url(youth, **params) -> str:
    query = "&".join(f"{name}={value}" for name, value in {"youth": youth.pk, **params}.items())
    return f"{NEW_INTAKE}?{query}"


# --- The intake form, filled in from a link ---------------------------------------------------


def test_the_intake_form_takes_the_proposed_participants_as_initial_values(
    world, client_for, jw_rotterdam, employer_contact1, coord_rotterdam
):
    url = form_url(
        world["youth"],
        opening=world["opening"].pk,
        employer_contact=employer_contact1.pk,
        third_party=coord_rotterdam.pk,
    )
    response = client_for(jw_rotterdam).get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["opening"] == world["opening"].pk
    assert form.initial["employer_contact"] == employer_contact1.pk
    assert form.initial["third_party"] == coord_rotterdam.pk
    content = response.content.decode()
    assert 'data-testid="intake-proposed"' in content
    assert f'<option value="{employer_contact1.pk}" selected>' in content
    assert f'<option value="{world["opening"].pk}" selected>' in content
    assert "date" not in form.initial  # the date, time and place are for people to choose
    assert "place" not in form.initial


def test_proposed_ids_the_form_does_not_offer_are_ignored(
    world, client_for, jw_rotterdam, jw_dordrecht, coord_dordrecht
):
    closed = make_opening(world["opening"].employer.city, world["opening"].employer.sector)
    Opening.objects.filter(pk=closed.pk).update(status=Opening.Status.CLOSED)
    unlinked_contact = EmployerContactFactory(username="employer.zonder.bedrijf")
    url = form_url(
        world["youth"],
        opening=closed.pk,  # closed: not offered
        employer_contact=unlinked_contact.pk,  # linked to no company: not offered
        third_party=coord_dordrecht.pk,  # not a coordinator of the young person's city
    )
    response = client_for(jw_rotterdam).get(url)
    assert response.status_code == 200
    form = response.context["form"]
    assert not set(form.initial) & {"opening", "employer_contact", "third_party"}
    assert 'data-testid="intake-proposed"' not in response.content.decode()

    # A youth worker is no employer contact, and the young person's own worker no third party.
    url = form_url(world["youth"], employer_contact=jw_dordrecht.pk, third_party=jw_rotterdam.pk)
    form = client_for(jw_rotterdam).get(url).context["form"]
    assert not set(form.initial) & {"employer_contact", "third_party"}


@pytest.mark.parametrize("value", ["abc", "²", "-3", "1.5", "", "99999999999999999999999"])
def test_a_proposed_id_that_is_no_id_is_ignored(value, world, client_for, jw_rotterdam):
    url = form_url(world["youth"], opening=value, employer_contact=value, third_party=value)
    response = client_for(jw_rotterdam).get(url)
    assert response.status_code == 200
    assert not set(response.context["form"].initial) & {"opening", "employer_contact"}


def test_one_valid_id_among_foreign_ones_is_kept_alone(
    world, client_for, jw_rotterdam, employer_contact1
):
    url = form_url(world["youth"], employer_contact=employer_contact1.pk, third_party=99999)
    form = client_for(jw_rotterdam).get(url).context["form"]
    assert form.initial.get("employer_contact") == employer_contact1.pk
    assert "third_party" not in form.initial


def test_what_is_posted_decides_not_what_the_link_proposed(
    world, client_for, jw_rotterdam, employer_contact1, coord_rotterdam
):
    url = form_url(
        world["youth"], employer_contact=employer_contact1.pk, third_party=coord_rotterdam.pk
    )
    day = timezone.localdate() + dt.timedelta(days=3)
    response = client_for(jw_rotterdam).post(
        url, {"date": day, "time": "10:00", "duration_minutes": 60, "place": "Buurthuis"}
    )
    assert response.status_code == 302
    meeting = IntakeMeeting.objects.get(youth=world["youth"])
    assert (meeting.employer_contact, meeting.third_party) == (None, None)


@pytest.mark.parametrize("role", INTAKE_PLANNERS)
def test_who_may_plan_the_intake_opens_the_filled_in_form(
    role, cast, world, client_for, employer_contact1
):
    share = interested(world, employer_contact1)
    response = client_for(cast[role]).get(share.intake_proposal_url)
    assert response.status_code == 200
    assert response.context["form"].initial["employer_contact"] == employer_contact1.pk


@pytest.mark.parametrize("role", NOT_PLANNERS)
def test_anyone_else_gets_404_on_the_filled_in_form(
    role, cast, world, client_for, employer_contact1
):
    share = interested(world, employer_contact1)
    assert client_for(cast[role]).get(share.intake_proposal_url).status_code == 404


# --- The hook: a planned intake is linked to the share ---------------------------------------


def test_planning_the_intake_for_the_opening_links_the_interested_share(
    world, jw_rotterdam, employer_contact1
):
    interested(world, employer_contact1)
    meeting = schedule(
        world["youth"],
        jw_rotterdam,
        opening=world["opening"],
        employer_contact=employer_contact1,
    )
    assert Share.objects.get(pk=world["share"].pk).intake == meeting


def test_planning_it_cancels_the_youth_workers_request_to_plan_it(
    world, jw_rotterdam, employer_contact1
):
    interested(world, employer_contact1)
    key = f"matching.intake_proposed:{world['share'].pk}"
    assert Reminder.objects.get(key=key).status == Reminder.Status.PENDING
    schedule(world["youth"], jw_rotterdam, opening=world["opening"])
    assert Reminder.objects.get(key=key).status == Reminder.Status.CANCELLED


def test_an_intake_about_another_opening_or_none_links_nothing(
    world, jw_rotterdam, employer_contact1, employer_contact2
):
    interested(world, employer_contact1)
    schedule(world["youth"], jw_rotterdam)
    schedule(
        world["youth"],
        jw_rotterdam,
        opening=world["other_opening"],
        employer_contact=employer_contact2,
    )
    assert Share.objects.get(pk=world["share"].pk).intake is None


@pytest.mark.parametrize("answer", ["pending", "not_now", "withdrawn"])
def test_only_an_active_interested_share_is_linked(
    answer, world, jw_rotterdam, employer_contact1, coord_rotterdam
):
    if answer == "not_now":
        services.share_answer(
            share=world["share"], by=employer_contact1, answer="not_now", reason="Vol"
        )
    if answer == "withdrawn":
        interested(world, employer_contact1)
        services.share_withdraw(share=world["share"], by=coord_rotterdam, reason="Verhuisd")
    schedule(world["youth"], jw_rotterdam, opening=world["opening"])
    assert Share.objects.get(pk=world["share"].pk).intake is None


def test_a_share_whose_intake_was_cancelled_takes_the_next_one(
    world, jw_rotterdam, employer_contact1
):
    interested(world, employer_contact1)
    first = schedule(world["youth"], jw_rotterdam, opening=world["opening"])
    intake_services.intake_cancel(meeting=first, by=jw_rotterdam, reason="Ziek")
    second = schedule(world["youth"], jw_rotterdam, opening=world["opening"])
    assert Share.objects.get(pk=world["share"].pk).intake == second


def test_a_second_intake_leaves_the_planned_one_linked(world, jw_rotterdam, employer_contact1):
    interested(world, employer_contact1)
    first = schedule(world["youth"], jw_rotterdam, opening=world["opening"])
    schedule(world["youth"], jw_rotterdam, opening=world["opening"])
    assert Share.objects.get(pk=world["share"].pk).intake == first


def test_an_intake_refused_by_the_intake_rules_links_nothing(
    world, jw_rotterdam, employer_contact1, employer_contact2
):
    interested(world, employer_contact1)
    with pytest.raises(ValidationError, match="opening"):
        # employer 2's contact with employer 1's opening: refused, nothing half-saved
        schedule(
            world["youth"],
            jw_rotterdam,
            opening=world["opening"],
            employer_contact=employer_contact2,
        )
    assert Share.objects.get(pk=world["share"].pk).intake is None
    assert not IntakeMeeting.objects.filter(youth=world["youth"]).exists()


# --- The reminder to the youth worker --------------------------------------------------------


def test_interested_sends_the_youth_worker_the_filled_in_intake_form(
    world, client_for, jw_rotterdam, employer_contact1, coord_rotterdam
):
    share = interested(world, employer_contact1)
    reminders_dispatch_due(now=timezone.now() + dt.timedelta(seconds=1))
    note = Notification.objects.get(user=jw_rotterdam, reminder__kind="matching.intake_proposed")
    assert note.url == share.intake_proposal_url

    opened = client_for(jw_rotterdam).post(
        reverse("notifications:notification_open", args=[note.pk]), follow=True
    )
    form = opened.context["form"]
    assert form.initial == form.initial | {
        "opening": world["opening"].pk,
        "employer_contact": employer_contact1.pk,
        "third_party": coord_rotterdam.pk,
    }
    # The coordinator is still told of the answer, with a link to the shared profiles.
    to_coordinator = Notification.objects.get(
        user=coord_rotterdam, reminder__kind="matching.answered"
    )
    assert to_coordinator.url == SHARES


def test_not_now_after_interested_withdraws_the_request_to_plan_an_intake(world, employer_contact1):
    interested(world, employer_contact1)
    services.share_answer(
        share=world["share"], by=employer_contact1, answer="not_now", reason="Vol"
    )
    reminder = Reminder.objects.get(kind="matching.intake_proposed")
    assert reminder.status == Reminder.Status.CANCELLED


def test_interested_again_once_an_intake_is_planned_asks_for_no_new_one(
    world, jw_rotterdam, employer_contact1
):
    interested(world, employer_contact1)
    schedule(world["youth"], jw_rotterdam, opening=world["opening"])
    services.share_answer(
        share=world["share"], by=employer_contact1, answer="not_now", reason="Vol"
    )
    interested(world, employer_contact1)
    assert not Reminder.objects.filter(
        kind="matching.intake_proposed", status=Reminder.Status.PENDING
    ).exists()


# --- "Plan the intake" where staff see the answer --------------------------------------------


@pytest.mark.parametrize("role", ["admin", "coord_rotterdam"])
def test_the_shared_profiles_list_offers_to_plan_the_intake(
    role, cast, world, client_for, employer_contact1
):
    share = interested(world, employer_contact1)
    content = client_for(cast[role]).get(SHARES).content.decode()
    assert 'data-testid="plan-intake"' in content
    assert f'href="{escape(share.intake_proposal_url)}"' in content


def test_the_shared_profiles_list_shows_the_planned_intake_instead(
    world, client_for, coord_rotterdam, jw_rotterdam, employer_contact1
):
    interested(world, employer_contact1)
    meeting = schedule(world["youth"], jw_rotterdam, opening=world["opening"])
    content = client_for(coord_rotterdam).get(SHARES).content.decode()
    assert 'data-testid="plan-intake"' not in content
    assert f'href="{meeting.get_absolute_url()}"' in content


def test_a_pending_answer_offers_no_intake_yet(world, client_for, coord_rotterdam):
    content = client_for(coord_rotterdam).get(SHARES).content.decode()
    assert 'data-testid="plan-intake"' not in content


def test_another_citys_coordinator_does_not_see_the_share(
    world, client_for, coord_dordrecht, employer_contact1
):
    interested(world, employer_contact1)
    response = client_for(coord_dordrecht).get(SHARES)
    assert list(response.context["page"].object_list) == []
    assert 'data-testid="plan-intake"' not in response.content.decode()


@pytest.mark.parametrize("role", ["jw_rotterdam", "employer1"])
def test_the_shared_profiles_list_is_for_staff_only(role, cast, world, client_for):
    assert client_for(cast[role]).get(SHARES).status_code == 404


@pytest.mark.parametrize("role", INTAKE_PLANNERS)
def test_the_profile_lists_the_interested_employer_with_the_button(
    role, cast, world, client_for, employer_contact1
):
    share = interested(world, employer_contact1)
    response = client_for(cast[role]).get(youth_panel(world["youth"]), headers=HTMX)
    assert response.status_code == 200
    content = response.content.decode()
    assert 'data-testid="employers-interested"' in content
    assert escape(world["opening"].employer.name) in content
    assert f'href="{escape(share.intake_proposal_url)}"' in content


@pytest.mark.parametrize("role", NOT_PLANNERS)
def test_the_profile_with_the_button_is_404_for_everyone_else(
    role, cast, world, client_for, employer_contact1
):
    interested(world, employer_contact1)
    assert client_for(cast[role]).get(world["youth"].get_absolute_url()).status_code == 404
    assert client_for(cast[role]).get(youth_panel(world["youth"]), headers=HTMX).status_code == 404


@pytest.mark.parametrize("state", ["pending", "not_now", "intake_planned", "withdrawn"])
def test_the_profile_lists_no_employer_that_needs_no_intake_planned(
    state, world, client_for, jw_rotterdam, coord_rotterdam, employer_contact1
):
    if state == "not_now":
        services.share_answer(
            share=world["share"], by=employer_contact1, answer="not_now", reason="Vol"
        )
    if state in ("intake_planned", "withdrawn"):
        interested(world, employer_contact1)
    if state == "intake_planned":
        schedule(world["youth"], jw_rotterdam, opening=world["opening"])
    if state == "withdrawn":
        services.share_withdraw(share=world["share"], by=coord_rotterdam, reason="Verhuisd")
    panel = client_for(coord_rotterdam).get(youth_panel(world["youth"]), headers=HTMX)
    content = panel.content.decode()
    assert 'data-testid="employers-interested"' not in content
    assert 'data-testid="plan-intake"' not in content


def test_the_profile_panel_keeps_its_query_count_however_many_employers_are_interested(
    world, cities, sectors, client_for, jw_rotterdam, coord_rotterdam, employer_contact1
):
    interested(world, employer_contact1)
    client = client_for(jw_rotterdam)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(youth_panel(world["youth"]), headers=HTMX).status_code == 200
        return len(captured)

    one = queries()
    for k in range(4):
        opening = make_opening(cities["rotterdam"], sectors["recycling"], title=f"Vacature {k}")
        contact = EmployerContactFactory(username=f"employer.extra{k}")
        ContactFactory(employer=opening.employer, user=contact)
        entry = services.shortlist_add(youth=world["youth"], opening=opening, by=coord_rotterdam)
        share = services.share_create(shortlist=entry, by=coord_rotterdam)
        services.share_answer(share=share, by=contact, answer="interested")
    response = client.get(youth_panel(world["youth"]), headers=HTMX)
    assert response.content.decode().count('data-testid="employer-interested"') == 5
    assert queries() == one


# --- From the button to a planned intake, through the pages -----------------------------------


def test_the_coordinator_plans_the_intake_from_the_button_and_the_share_is_linked(
    world, client_for, coord_rotterdam, employer_contact1, jw_rotterdam
):
    share = interested(world, employer_contact1)
    client = client_for(coord_rotterdam)
    url = share.intake_proposal_url
    form = client.get(url).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None}
    data |= {
        "date": timezone.localdate() + dt.timedelta(days=4),
        "time": "15:00",
        "duration_minutes": 60,
        "place": "Fietsenmakerij, Katendrechtse Lagedijk 1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    meeting = IntakeMeeting.objects.get(youth=world["youth"])
    assert (meeting.opening, meeting.employer_contact, meeting.third_party) == (
        world["opening"],
        employer_contact1,
        coord_rotterdam,
    )
    assert meeting.youth_worker == jw_rotterdam
    assert Share.objects.get(pk=share.pk).intake == meeting
