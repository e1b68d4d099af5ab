"""Youth workers plan intakes: who may see them, the list, planning, changing and cancelling."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from intake import services
from intake.calendar import meeting_ics
from intake.models import IntakeMeeting, IntakeRecord
from restart_platform.accounts.models import AccessEvent
from tests.edits import post_edit
from tests.employers.factories import EmployerFactory, OpeningFactory
from youth.factories import YoungPersonFactory
from youth.models import YoungPerson

from .conftest import YOUTH_FIRST_NAME, YOUTH_LAST_NAME, next_week

pytestmark = pytest.mark.django_db

MEETING_VIEWS = [
    "intake:intake_detail",
    "intake:intake_edit",
    "intake:intake_cancel",
    "intake:intake_record",
    "intake:intake_ics",
]
ALLOWED = ["admin", "coord_rotterdam", "jw_rotterdam"]
REFUSED = ["jw_rotterdam2", "coord_dordrecht"]
EMPLOYERS = ["employer_contact1", "employer_contact2"]


@pytest.fixture
def people(cast, jw_rotterdam2):
    return {
        **cast,
        "jw_rotterdam2": jw_rotterdam2,
        "employer_contact1": cast["employer1"],
        "employer_contact2": cast["employer2"],
    }


def looks_at(meeting, user) -> list[str]:
    return list(
        AccessEvent.objects.filter(
            actor=user,
            content_type=ContentType.objects.get_for_model(IntakeMeeting),
            object_id=str(meeting.pk),
        ).values_list("outcome", flat=True)
    )


def schedule_data(**overrides) -> dict:
    starts = timezone.localtime(next_week())
    data = {
        "date": starts.date().isoformat(),
        "time": "14:30",
        "duration_minutes": 60,
        "place": "Jongerencentrum De Kiem",
        "employer_contact": "",
        "opening": "",
        "third_party": "",
        "third_party_name": "",
    }
    return {**data, **overrides}


# --- Who may see what ---------------------------------------------------------------------


@pytest.mark.parametrize("name", MEETING_VIEWS)
@pytest.mark.parametrize("role", ALLOWED)
def test_admin_city_coordinator_and_own_youth_worker_reach_every_intake_page(
    name, role, people, client_for, meeting
):
    response = client_for(people[role]).get(reverse(name, args=[meeting.pk]))
    assert response.status_code == 200
    assert looks_at(meeting, people[role]) == [AccessEvent.Outcome.ALLOWED]


@pytest.mark.parametrize("name", MEETING_VIEWS)
@pytest.mark.parametrize("role", REFUSED)
def test_another_youth_worker_and_the_other_citys_coordinator_get_404_and_it_is_logged(
    name, role, people, client_for, meeting
):
    response = client_for(people[role]).get(reverse(name, args=[meeting.pk]))
    assert response.status_code == 404
    assert looks_at(meeting, people[role]) == [AccessEvent.Outcome.DENIED]


@pytest.mark.parametrize("name", MEETING_VIEWS)
@pytest.mark.parametrize("role", EMPLOYERS)
def test_employer_contacts_get_404_even_on_an_intake_they_take_part_in(
    name, role, people, client_for, meeting
):
    assert meeting.employer_contact == people["employer_contact1"]
    response = client_for(people[role]).get(reverse(name, args=[meeting.pk]))
    assert response.status_code == 404


@pytest.mark.parametrize("role", EMPLOYERS)
@pytest.mark.parametrize("name", ["intake:intake_list", "intake:intake_create"])
def test_employer_contacts_get_404_on_the_list_and_the_planning_page(
    name, role, people, client_for
):
    assert client_for(people[role]).get(reverse(name)).status_code == 404


@pytest.mark.parametrize("role", REFUSED + EMPLOYERS)
def test_posting_to_an_intake_out_of_scope_changes_nothing(role, people, client_for, meeting):
    client = client_for(people[role])
    client.post(reverse("intake:intake_cancel", args=[meeting.pk]), {"cancel_reason": "Weg"})
    post_edit(
        client,
        reverse("intake:intake_edit", args=[meeting.pk]),
        schedule_data(place="Ergens anders"),
    )
    post_edit(
        client,
        reverse("intake:intake_record", args=[meeting.pk]),
        {"version": 0, "motivation_words": "x", "action": "draft"},
    )
    meeting.refresh_from_db()
    assert meeting.status == IntakeMeeting.Status.SCHEDULED
    assert meeting.place == "Jongerencentrum De Kiem, Kruiskade 10"
    assert not IntakeRecord.objects.exists()


@pytest.mark.parametrize("role", ALLOWED)
def test_planning_for_a_visible_young_person_is_open_and_the_look_is_logged(
    role, people, client_for, youth
):
    url = reverse("intake:intake_create") + f"?youth={youth.pk}"
    response = client_for(people[role]).get(url)
    assert response.status_code == 200
    assert response.context["youth"] == youth
    assert AccessEvent.objects.filter(
        actor=people[role],
        content_type=ContentType.objects.get_for_model(YoungPerson),
        object_id=str(youth.pk),
        outcome=AccessEvent.Outcome.ALLOWED,
    ).exists()


@pytest.mark.parametrize("role", REFUSED)
def test_planning_for_a_young_person_out_of_scope_gets_404(role, people, client_for, youth):
    url = reverse("intake:intake_create") + f"?youth={youth.pk}"
    client = client_for(people[role])
    assert client.get(url).status_code == 404
    assert client.post(url, schedule_data()).status_code == 404
    assert not IntakeMeeting.objects.exists()


@pytest.mark.parametrize("value", ["999999", "abc", ""])
def test_planning_for_a_missing_young_person_gets_404(value, client_for, jw_rotterdam):
    url = reverse("intake:intake_create") + f"?youth={value}"
    assert client_for(jw_rotterdam).get(url).status_code == 404


def test_without_a_young_person_the_planning_page_offers_only_visible_ones(
    client_for, jw_rotterdam, jw_dordrecht, youth
):
    YoungPersonFactory(youth_worker=jw_dordrecht)
    response = client_for(jw_rotterdam).get(reverse("intake:intake_create"))
    assert response.status_code == 200
    assert list(response.context["picker"].fields["youth"].queryset) == [youth]


# --- The list -----------------------------------------------------------------------------


def test_the_list_shows_only_the_intakes_a_user_may_see(
    client_for, jw_rotterdam, jw_rotterdam2, coord_dordrecht, meeting
):
    def references(user):
        response = client_for(user).get(reverse("intake:intake_list"))
        return [m.reference for m in response.context["page"]]

    assert references(jw_rotterdam) == [meeting.reference]
    assert references(jw_rotterdam2) == []
    assert references(coord_dordrecht) == []


def test_the_list_shows_reference_young_person_employer_third_party_and_record_status(
    client_for, jw_rotterdam, meeting
):
    html = client_for(jw_rotterdam).get(reverse("intake:intake_list")).content.decode()
    assert meeting.reference in html
    assert meeting.youth.case_reference in html
    assert reverse("youth:youth_detail", args=[meeting.youth.pk]) in html
    assert "Kringloop Maasstad" in html
    assert str(meeting.third_party) in html


def test_the_list_names_the_openings_employer_when_there_is_no_employer_contact(
    client_for, coord_rotterdam, youth, rotterdam, jw_rotterdam
):
    opening = OpeningFactory(employer=EmployerFactory(name="Witgoed Zuid", city=rotterdam))
    IntakeMeeting.objects.create(
        youth=youth,
        youth_worker=jw_rotterdam,
        created_by=jw_rotterdam,
        starts_at=next_week(),
        place="Zuid",
        opening=opening,
    )
    html = client_for(coord_rotterdam).get(reverse("intake:intake_list")).content.decode()
    assert "Witgoed Zuid" in html


def test_the_list_filters_by_when_status_awaiting_outcome_and_search(
    client_for, coord_rotterdam, meeting, youth, jw_rotterdam
):
    held = IntakeMeeting.objects.create(
        youth=youth,
        youth_worker=jw_rotterdam,
        created_by=jw_rotterdam,
        starts_at=timezone.now() - dt.timedelta(days=3),
        place="Wijkcentrum Oost",
    )
    cancelled = IntakeMeeting.objects.create(
        youth=youth,
        youth_worker=jw_rotterdam,
        created_by=jw_rotterdam,
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="Wijkcentrum West",
        status=IntakeMeeting.Status.CANCELLED,
        cancel_reason="Ziek",
    )
    client = client_for(coord_rotterdam)

    def page(**params):
        response = client.get(reverse("intake:intake_list"), params)
        return {m.pk for m in response.context["page"]}

    assert page() == {meeting.pk, held.pk, cancelled.pk}
    assert page(when="upcoming") == {meeting.pk}
    assert page(when="past") == {held.pk}
    assert page(status="cancelled") == {cancelled.pk}
    assert page(awaiting_outcome="on") == {held.pk}
    assert page(q="oost") == {held.pk}
    assert page(q=YOUTH_LAST_NAME.lower()) == {meeting.pk, held.pk, cancelled.pk}


def test_the_list_marks_an_intake_that_is_held_but_has_no_outcome(
    client_for, coord_rotterdam, youth, jw_rotterdam
):
    IntakeMeeting.objects.create(
        youth=youth,
        youth_worker=jw_rotterdam,
        created_by=jw_rotterdam,
        starts_at=timezone.now() - dt.timedelta(days=1),
        place="Oost",
    )
    html = client_for(coord_rotterdam).get(reverse("intake:intake_list")).content.decode()
    assert 'data-testid="awaiting-outcome"' in html


def test_the_city_filter_is_for_staff_and_narrows_to_the_city(
    client_for, admin, jw_rotterdam, jw_dordrecht, meeting, dordrecht
):
    other = IntakeMeeting.objects.create(
        youth=YoungPersonFactory(youth_worker=jw_dordrecht),
        youth_worker=jw_dordrecht,
        created_by=jw_dordrecht,
        starts_at=next_week(),
        place="Dordrecht",
    )
    response = client_for(admin).get(reverse("intake:intake_list"), {"city": dordrecht.pk})
    assert [m.pk for m in response.context["page"]] == [other.pk]
    assert (
        "city"
        not in client_for(jw_rotterdam).get(reverse("intake:intake_list")).context["form"].fields
    )


@pytest.mark.parametrize("params", [{"page": "zz"}, {"city": "x"}, {"when": "nooit"}])
def test_bad_list_parameters_give_a_page_not_an_error(params, client_for, coord_rotterdam):
    assert client_for(coord_rotterdam).get(reverse("intake:intake_list"), params).status_code == 200


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_intake_list_keeps_its_query_count(
    rows,
    client_for,
    coord_rotterdam,
    jw_rotterdam,
    employer_account,
    opening,
    django_assert_max_num_queries,
):
    young_people = [YoungPersonFactory(youth_worker=jw_rotterdam) for _ in range(3)]
    IntakeMeeting.objects.bulk_create(
        IntakeMeeting(
            youth=young_people[i % 3],
            youth_worker=jw_rotterdam,
            created_by=jw_rotterdam,
            starts_at=timezone.now() + dt.timedelta(days=(i % 40) - 20, hours=i % 7),
            place=f"Plek {i}",
            employer_contact=employer_account if i % 2 else None,
            opening=opening if i % 3 == 0 else None,
            third_party=coord_rotterdam if i % 4 == 0 else None,
        )
        for i in range(rows)
    )
    IntakeRecord.objects.bulk_create(
        IntakeRecord(meeting=meeting) for meeting in IntakeMeeting.objects.all()[:5]
    )
    client = client_for(coord_rotterdam)
    # The page's eleven (its keys, count and rows among them), and four for the people around
    # the meetings shown (third party, employer contact, their contact record and company),
    # fetched for the page, not per row.
    with django_assert_max_num_queries(15):
        response = client.get(reverse("intake:intake_list"))
    assert response.status_code == 200
    assert len(response.context["page"].object_list) == min(rows, 25)


# --- Planning -----------------------------------------------------------------------------


def test_a_youth_worker_plans_an_intake_and_the_invitations_are_on_their_way(
    client_for, jw_rotterdam, youth, employer_account, opening, coord_rotterdam
):
    url = reverse("intake:intake_create") + f"?youth={youth.pk}"
    data = schedule_data(
        employer_contact=employer_account.pk,
        opening=opening.pk,
        third_party=coord_rotterdam.pk,
        third_party_name="  Fatima Bakker, jobcoach gemeente ",
    )
    response = client_for(jw_rotterdam).post(url, data, follow=True)
    meeting = IntakeMeeting.objects.get()
    assert response.redirect_chain[-1][0] == meeting.get_absolute_url()
    with translation.override(jw_rotterdam.language):
        expected = gettext("The invitations are on their way.")
    assert [str(m) for m in response.context["messages"]] == [expected]
    local = timezone.localtime(meeting.starts_at)
    assert (local.date(), local.hour, local.minute) == (
        timezone.localtime(next_week()).date(),
        14,
        30,
    )
    assert str(local.tzinfo) == "Europe/Amsterdam"
    assert meeting.youth_worker == jw_rotterdam
    assert meeting.employer_contact == employer_account
    assert meeting.opening == opening
    assert meeting.third_party == coord_rotterdam
    assert meeting.third_party_name == "Fatima Bakker, jobcoach gemeente"
    youth.refresh_from_db()
    assert youth.journey == YoungPerson.Journey.INTAKE


def test_the_time_is_read_as_amsterdam_time_in_winter_and_summer(
    client_for, jw_rotterdam, youth, employer_account
):
    client = client_for(jw_rotterdam)
    url = reverse("intake:intake_create") + f"?youth={youth.pk}"
    year = timezone.localdate().year + 1
    for day, utc_hour in [(dt.date(year, 1, 15), 9), (dt.date(year, 7, 15), 8)]:
        data = schedule_data(
            date=day.isoformat(), time="10:00", employer_contact=employer_account.pk
        )
        assert client.post(url, data).status_code == 302
        assert IntakeMeeting.objects.latest("pk").starts_at.astimezone(dt.UTC).hour == utc_hour


def test_an_intake_in_the_past_is_refused_at_the_date(
    client_for, jw_rotterdam, youth, employer_account
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    url = reverse("intake:intake_create") + f"?youth={youth.pk}"
    data = schedule_data(date=yesterday.isoformat(), employer_contact=employer_account.pk)
    response = client_for(jw_rotterdam).post(url, data)
    assert response.status_code == 200
    assert "date" in response.context["form"].errors
    assert not IntakeMeeting.objects.exists()


def test_an_opening_of_another_company_is_refused_at_the_opening(
    client_for, coord_rotterdam, youth, employer_account, rotterdam
):
    elsewhere = OpeningFactory(employer=EmployerFactory(name="Ander Bedrijf", city=rotterdam))
    url = reverse("intake:intake_create") + f"?youth={youth.pk}"
    data = schedule_data(employer_contact=employer_account.pk, opening=elsewhere.pk)
    response = client_for(coord_rotterdam).post(url, data)
    assert response.status_code == 200
    assert "opening" in response.context["form"].errors
    assert not IntakeMeeting.objects.exists()


def test_only_employer_contacts_linked_to_a_company_are_offered(
    client_for, jw_rotterdam, youth, employer_account, employer_contact2
):
    response = client_for(jw_rotterdam).get(reverse("intake:intake_create") + f"?youth={youth.pk}")
    field = response.context["form"].fields["employer_contact"]
    assert list(field.queryset) == [employer_account]
    assert field.label_from_instance(employer_account).endswith("— Kringloop Maasstad")


def test_third_parties_offered_are_only_the_coordinators_of_the_young_persons_city(
    client_for,
    jw_rotterdam,
    jw_rotterdam2,
    youth,
    coord_rotterdam,
    coord_dordrecht,
    employer_contact1,
):
    response = client_for(jw_rotterdam).get(reverse("intake:intake_create") + f"?youth={youth.pk}")
    offered = set(response.context["form"].fields["third_party"].queryset)
    assert offered == {coord_rotterdam}
    assert not {jw_rotterdam, jw_rotterdam2, coord_dordrecht, employer_contact1} & offered


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"date": "gisteren"}, "date"),
        ({"time": "25:99"}, "time"),
        ({"duration_minutes": "5"}, "duration_minutes"),
        ({"duration_minutes": "500"}, "duration_minutes"),
        ({"place": ""}, "place"),
        ({"employer_contact": "999999"}, "employer_contact"),
        ({"third_party": "999999"}, "third_party"),
    ],
)
def test_bad_input_gives_form_errors_not_a_server_error(
    overrides, field, client_for, jw_rotterdam, youth, employer_account
):
    url = reverse("intake:intake_create") + f"?youth={youth.pk}"
    data = schedule_data(employer_contact=employer_account.pk) | overrides
    response = client_for(jw_rotterdam).post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not IntakeMeeting.objects.exists()


# --- The intake, changed and cancelled ----------------------------------------------------


def test_the_detail_shows_when_where_who_and_that_there_is_no_record_yet(
    client_for, jw_rotterdam, meeting
):
    response = client_for(jw_rotterdam).get(meeting.get_absolute_url())
    html = response.content.decode()
    assert response.context["record"] is None
    assert meeting.place in html
    assert str(meeting.third_party) in html
    assert str(meeting.employer_contact) in html
    assert reverse("intake:intake_ics", args=[meeting.pk]) in html
    assert reverse("intake:intake_edit", args=[meeting.pk]) in html
    assert reverse("intake:intake_cancel", args=[meeting.pk]) in html
    assert 'data-testid="no-record"' in html
    assert reverse("intake:intake_record", args=[meeting.pk]) in html


def test_a_cancelled_intake_offers_no_change_or_cancel(client_for, jw_rotterdam, meeting):
    services.intake_cancel(meeting=meeting, by=jw_rotterdam, reason="Ziek")
    client = client_for(jw_rotterdam)
    html = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("intake:intake_edit", args=[meeting.pk]) not in html
    assert reverse("intake:intake_cancel", args=[meeting.pk]) not in html
    assert client.get(reverse("intake:intake_edit", args=[meeting.pk])).status_code == 302
    assert client.get(reverse("intake:intake_cancel", args=[meeting.pk])).status_code == 302


def test_the_edit_form_starts_from_the_meeting_in_local_time(client_for, jw_rotterdam, meeting):
    form = (
        client_for(jw_rotterdam)
        .get(reverse("intake:intake_edit", args=[meeting.pk]))
        .context["form"]
    )
    assert form["time"].value().strftime("%H:%M") == "14:00"
    assert form["place"].value() == meeting.place
    assert form["employer_contact"].value() == meeting.employer_contact_id


def test_changing_an_intake_saves_it_and_bumps_its_sequence(
    client_for, jw_rotterdam, meeting, employer_account, opening, coord_rotterdam
):
    data = schedule_data(
        time="15:00",
        place="Werkplaats Kringloop Maasstad",
        employer_contact=employer_account.pk,
        opening=opening.pk,
        third_party=coord_rotterdam.pk,
    )
    response = post_edit(
        client_for(jw_rotterdam), reverse("intake:intake_edit", args=[meeting.pk]), data
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.place == "Werkplaats Kringloop Maasstad"
    assert timezone.localtime(meeting.starts_at).hour == 15
    assert meeting.sequence == 1


def test_moving_an_intake_into_the_past_is_refused(
    client_for, jw_rotterdam, meeting, employer_account
):
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    data = schedule_data(date=yesterday.isoformat(), employer_contact=employer_account.pk)
    response = post_edit(
        client_for(jw_rotterdam), reverse("intake:intake_edit", args=[meeting.pk]), data
    )
    assert "date" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.sequence == 0


def test_cancelling_asks_first_and_needs_a_reason(client_for, jw_rotterdam, meeting):
    client = client_for(jw_rotterdam)
    url = reverse("intake:intake_cancel", args=[meeting.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"cancel_reason": "   "})
    assert "cancel_reason" in response.context["form"].errors
    meeting.refresh_from_db()
    assert meeting.status == IntakeMeeting.Status.SCHEDULED
    assert client.post(url, {"cancel_reason": "Werkgever ziek"}).status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.cancel_reason) == ("cancelled", "Werkgever ziek")


# --- The calendar file --------------------------------------------------------------------


def test_the_calendar_download_is_an_ics_attachment_named_for_the_reference(
    client_for, jw_rotterdam, meeting
):
    response = client_for(jw_rotterdam).get(reverse("intake:intake_ics", args=[meeting.pk]))
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert (
        response["Content-Disposition"] == f'attachment; filename="intake-{meeting.reference}.ics"'
    )
    body = response.content.decode()
    assert body.startswith("BEGIN:VCALENDAR")
    assert "METHOD:REQUEST" in body
    assert "Europe/Amsterdam" in body
    assert meeting.reference in body


def test_the_calendar_file_names_no_young_person_only_references(meeting):
    ics = meeting_ics(meeting).decode()
    assert meeting.reference in ics
    assert YOUTH_FIRST_NAME not in ics
    assert YOUTH_LAST_NAME not in ics
    assert meeting.youth.email not in ics


def test_pages_have_no_inline_script_or_style(client_for, jw_rotterdam, meeting, youth):
    client = client_for(jw_rotterdam)
    for url in [
        reverse("intake:intake_list"),
        reverse("intake:intake_create"),
        reverse("intake:intake_create") + f"?youth={youth.pk}",
        meeting.get_absolute_url(),
        reverse("intake:intake_edit", args=[meeting.pk]),
        reverse("intake:intake_cancel", args=[meeting.pk]),
        reverse("intake:intake_record", args=[meeting.pk]),
    ]:
        html = client.get(url).content.decode()
        assert "<script>" not in html, url
        assert " style=" not in html, url
        assert "<style" not in html, url
        assert html.count("<h1") == 1, url


def test_an_intake_without_an_employer_contact_is_allowed(client_for, jw_rotterdam, youth):
    data = schedule_data(employer_contact="")
    response = client_for(jw_rotterdam).post(
        f"{reverse('intake:intake_create')}?youth={youth.pk}", data
    )
    assert response.status_code == 302
    assert IntakeMeeting.objects.get().employer_contact is None
