"""Placements and their follow-ups: the rules of the service (and of the database beneath it),
the reminders at 1, 3, 6 and 12 months, the retention figures, the pages per role, seed_demo."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from employers.models import Employer, Opening
from employers.services import employer_move_stage
from matching import selectors, services
from matching.models import FollowUp, Placement
from matching.services import placements
from restart_platform.accounts.models import AccessEvent
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import morning_of, reminders_dispatch_due
from tests.edits import post_edit
from tests.employers.factories import ContactFactory, EmployerFactory, OpeningFactory
from tests.names import give_unmistakable_name
from youth.factories import YoungPersonFactory
from youth.models import JourneyChange, YoungPerson

pytestmark = pytest.mark.django_db

ALLOWED = ["admin", "coord_rotterdam"]
REFUSED = ["coord_dordrecht", "jw_rotterdam", "jw_dordrecht", "employer1"]
AMSTERDAM = ZoneInfo("Europe/Amsterdam")


@pytest.fixture
def employer(rotterdam, coord_rotterdam, employer_contact1):
    employer = EmployerFactory(
        name="Kringloop Maasstad", city=rotterdam, owner=coord_rotterdam, stage="committed"
    )
    ContactFactory(employer=employer, user=employer_contact1)
    return employer


@pytest.fixture
def opening(employer):
    return OpeningFactory(employer=employer, title="Medewerker demontage", places=2)


@pytest.fixture
def youth(jw_rotterdam, rotterdam):
    return YoungPersonFactory(
        first_name="Xanthippe", last_name="de Boer", youth_worker=jw_rotterdam, city=rotterdam
    )


def make_youth(worker, home, **fields):
    return YoungPersonFactory(youth_worker=worker, city=home, **fields)


def place(youth, opening, by, *, start_date=None, **fields) -> Placement:
    return services.placement_create(
        youth=youth,
        opening=opening,
        by=by,
        start_date=start_date or timezone.localdate(),
        hours_per_week=fields.pop("hours_per_week", 32),
        agreement=fields.pop("agreement", Placement.Agreement.EMPLOYMENT),
    )


def follow_up(placement, month) -> FollowUp:
    return placement.follow_ups.get(month=month)


def reminder(placement, month) -> Reminder:
    return Reminder.objects.get(key=f"matching.follow_up:{placement.pk}:{month}")


# The service: a placement and what it changes


def test_a_placement_fills_a_place_moves_the_journey_and_plans_four_follow_ups(
    youth, opening, coord_rotterdam
):
    start = dt.date(2027, 1, 31)
    placement = place(youth, opening, coord_rotterdam, start_date=start)

    opening.refresh_from_db()
    youth.refresh_from_db()
    assert (opening.filled_places, opening.status) == (1, Opening.Status.OPEN)
    assert youth.journey == YoungPerson.Journey.PLACED
    assert JourneyChange.objects.filter(youth=youth, to_status="placed").count() == 1
    due = dict(placement.follow_ups.values_list("month", "due_on"))
    assert due == {
        1: dt.date(2027, 2, 28),  # a month after the 31st ends on the last day of February
        3: dt.date(2027, 4, 30),
        6: dt.date(2027, 7, 31),
        12: dt.date(2028, 1, 31),
    }
    for month, due_on in due.items():
        planned = reminder(placement, month)
        assert planned.status == Reminder.Status.PENDING
        assert planned.due_at == morning_of(due_on)
        assert planned.target == placement
        assert planned.recipient_role == "coordinator"
        assert planned.city == youth.city


def test_the_last_place_makes_the_opening_filled(youth, opening, coord_rotterdam, jw_rotterdam):
    place(youth, opening, coord_rotterdam)
    place(make_youth(jw_rotterdam, youth.city), opening, coord_rotterdam)
    opening.refresh_from_db()
    assert (opening.filled_places, opening.status) == (2, Opening.Status.FILLED)


def test_a_placement_on_a_full_opening_is_refused_with_a_message(
    youth, opening, coord_rotterdam, jw_rotterdam
):
    Opening.objects.filter(pk=opening.pk).update(places=1, filled_places=1)
    with pytest.raises(ValidationError) as refused:
        place(youth, opening, coord_rotterdam)
    assert "opening" in refused.value.message_dict
    assert not Placement.objects.exists()
    youth.refresh_from_db()
    assert youth.journey == YoungPerson.Journey.REGISTERED


@pytest.mark.parametrize("status", [Opening.Status.CLOSED, Opening.Status.FILLED])
def test_a_placement_on_a_closed_or_filled_opening_is_refused_with_a_message(
    youth, opening, coord_rotterdam, status
):
    Opening.objects.filter(pk=opening.pk).update(status=status)
    with pytest.raises(ValidationError) as refused:
        place(youth, opening, coord_rotterdam)
    assert refused.value.message_dict["opening"]
    opening.refresh_from_db()
    assert opening.filled_places == 0
    assert not Placement.objects.exists()


def test_the_database_refuses_overfilling_even_when_the_service_is_bypassed(opening):
    with pytest.raises(IntegrityError), transaction.atomic():
        Opening.objects.filter(pk=opening.pk).update(filled_places=F("places") + 1)
    opening.refresh_from_db()
    assert opening.filled_places == 0


def test_a_second_active_placement_for_the_same_young_person_is_refused(
    youth, opening, coord_rotterdam, employer
):
    place(youth, opening, coord_rotterdam)
    other = OpeningFactory(employer=employer, title="Magazijnmedewerker")
    with pytest.raises(ValidationError) as refused:
        place(youth, other, coord_rotterdam)
    assert "youth" in refused.value.message_dict
    other.refresh_from_db()
    assert other.filled_places == 0
    assert Placement.objects.count() == 1


def test_the_database_refuses_a_second_active_placement(youth, opening, coord_rotterdam):
    first = place(youth, opening, coord_rotterdam)
    with pytest.raises(IntegrityError), transaction.atomic():
        Placement.objects.create(
            youth=youth,
            opening=first.opening,
            start_date=timezone.localdate(),
            hours_per_week=20,
            agreement=Placement.Agreement.OTHER,
            created_by=coord_rotterdam,
        )
    assert Placement.objects.count() == 1


def test_a_young_person_may_be_placed_again_after_the_placement_ended(
    youth, opening, coord_rotterdam
):
    first = place(youth, opening, coord_rotterdam, start_date=timezone.localdate())
    services.placement_end(
        placement=first, by=coord_rotterdam, ended_on=timezone.localdate(), reason="Verhuisd"
    )
    second = place(youth, opening, coord_rotterdam)
    assert second.status == Placement.Status.ACTIVE
    assert Placement.objects.count() == 2


@pytest.mark.parametrize("role", ["coord_dordrecht", "jw_rotterdam", "employer1"])
def test_only_an_admin_or_the_citys_coordinator_may_place_a_young_person(
    youth, opening, cast, role
):
    with pytest.raises(ValidationError) as refused:
        place(youth, opening, cast[role])
    assert "youth" in refused.value.message_dict
    assert not Placement.objects.exists()


def test_a_placement_with_impossible_hours_is_refused(youth, opening, coord_rotterdam):
    with pytest.raises(ValidationError) as refused:
        place(youth, opening, coord_rotterdam, hours_per_week=0)
    assert "hours_per_week" in refused.value.message_dict


def test_a_failure_midway_leaves_nothing(youth, opening, coord_rotterdam, monkeypatch):
    def broken(placement):
        raise RuntimeError("the outbox is broken")

    monkeypatch.setattr(placements, "_plan_follow_ups", broken)
    with pytest.raises(RuntimeError):
        place(youth, opening, coord_rotterdam)

    opening.refresh_from_db()
    youth.refresh_from_db()
    assert not Placement.objects.exists()
    assert not FollowUp.objects.exists()
    assert opening.filled_places == 0
    assert youth.journey == YoungPerson.Journey.REGISTERED
    assert not JourneyChange.objects.filter(to_status="placed").exists()
    assert not Reminder.objects.filter(kind="matching.follow_up").exists()


# Ending a placement, answering follow-ups


def test_ending_a_placement_frees_its_place_and_stops_its_follow_ups(
    youth, opening, coord_rotterdam, jw_rotterdam
):
    placement = place(youth, opening, coord_rotterdam)
    place(make_youth(jw_rotterdam, youth.city), opening, coord_rotterdam)
    services.placement_end(
        placement=placement,
        by=coord_rotterdam,
        ended_on=timezone.localdate(),
        reason="Niet komen opdagen",
    )

    placement.refresh_from_db()
    opening.refresh_from_db()
    youth.refresh_from_db()
    assert placement.status == Placement.Status.ENDED
    assert placement.end_reason == "Niet komen opdagen"
    assert (opening.filled_places, opening.status) == (1, Opening.Status.OPEN)
    assert youth.journey == YoungPerson.Journey.PLACED  # the next step is decided on the profile
    assert {reminder(placement, month).status for month in FollowUp.MONTHS} == {"cancelled"}


def test_ending_a_placement_of_a_closed_opening_leaves_it_closed(youth, opening, coord_rotterdam):
    placement = place(youth, opening, coord_rotterdam)
    Opening.objects.filter(pk=opening.pk).update(status=Opening.Status.CLOSED)
    services.placement_end(
        placement=placement, by=coord_rotterdam, ended_on=timezone.localdate(), reason="Gestopt"
    )
    opening.refresh_from_db()
    assert (opening.filled_places, opening.status) == (0, Opening.Status.CLOSED)


@pytest.mark.parametrize(
    ("days", "reason", "field"),
    [(0, " ", "reason"), (1, "Gestopt", "ended_on"), (-1, "Gestopt", "ended_on")],
)
def test_an_end_needs_a_reason_and_a_date_between_the_start_and_today(
    youth, opening, coord_rotterdam, days, reason, field
):
    today = timezone.localdate()
    placement = place(youth, opening, coord_rotterdam, start_date=today)
    with pytest.raises(ValidationError) as refused:
        services.placement_end(
            placement=placement,
            by=coord_rotterdam,
            ended_on=today + dt.timedelta(days=days),
            reason=reason,
        )
    assert field in refused.value.message_dict
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


def test_a_placement_ends_only_once(youth, opening, coord_rotterdam):
    placement = place(youth, opening, coord_rotterdam)
    services.placement_end(
        placement=placement, by=coord_rotterdam, ended_on=timezone.localdate(), reason="Gestopt"
    )
    with pytest.raises(ValidationError):
        services.placement_end(
            placement=placement, by=coord_rotterdam, ended_on=timezone.localdate(), reason="Nog"
        )
    opening.refresh_from_db()
    assert opening.filled_places == 0


def test_follow_up_reminders_are_sent_once_each_at_their_due_date_to_the_employers_owner(
    youth, opening, coord_rotterdam
):
    give_unmistakable_name(youth)
    start = dt.date(2027, 3, 1)
    with time_machine.travel(dt.datetime(2027, 3, 1, 10, tzinfo=AMSTERDAM), tick=False):
        placement = place(youth, opening, coord_rotterdam, start_date=start)
        assert reminders_dispatch_due() == 0
    for sent, month in enumerate(FollowUp.MONTHS, start=1):
        due = morning_of(start + relativedelta(months=month))
        with time_machine.travel(due - dt.timedelta(minutes=1), tick=False):
            assert reminders_dispatch_due() == 0
        with time_machine.travel(due + dt.timedelta(minutes=1), tick=False):
            reminders_dispatch_due()
            reminders_dispatch_due()
        assert len(mail.outbox) == sent
        assert mail.outbox[-1].to == [coord_rotterdam.email]
        assert youth.case_reference in mail.outbox[-1].subject
        assert youth.first_name not in mail.outbox[-1].subject + mail.outbox[-1].body
        assert reminder(placement, month).status == Reminder.Status.SENT


def test_answering_a_follow_up_cancels_its_own_reminder_and_no_other(
    youth, opening, coord_rotterdam
):
    start = dt.date(2027, 3, 1)
    with time_machine.travel(dt.datetime(2027, 3, 1, 10, tzinfo=AMSTERDAM), tick=False):
        placement = place(youth, opening, coord_rotterdam, start_date=start)
    with time_machine.travel(dt.datetime(2027, 4, 1, 8, tzinfo=AMSTERDAM), tick=False):
        services.follow_up_answer(
            follow_up=follow_up(placement, 1), by=coord_rotterdam, still_there=True
        )
        assert reminders_dispatch_due() == 0  # answered before its reminder went out
    assert reminder(placement, 1).status == Reminder.Status.CANCELLED
    assert [reminder(placement, month).status for month in (3, 6, 12)] == ["pending"] * 3
    answered = follow_up(placement, 1)
    assert (answered.still_there, answered.answered_by) == (True, coord_rotterdam)
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


def test_not_there_without_a_reason_is_refused(youth, opening, coord_rotterdam):
    placement = place(
        youth, opening, coord_rotterdam, start_date=timezone.localdate() - relativedelta(months=2)
    )
    with pytest.raises(ValidationError) as refused:
        services.follow_up_answer(
            follow_up=follow_up(placement, 1), by=coord_rotterdam, still_there=False, reason="  "
        )
    assert "reason" in refused.value.message_dict
    assert follow_up(placement, 1).answered_at is None
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


def test_not_there_ends_the_placement_today_and_stops_the_later_follow_ups(
    youth, opening, coord_rotterdam
):
    today = timezone.localdate()
    placement = place(youth, opening, coord_rotterdam, start_date=today - relativedelta(months=4))
    services.follow_up_answer(
        follow_up=follow_up(placement, 1), by=coord_rotterdam, still_there=True
    )
    services.follow_up_answer(
        follow_up=follow_up(placement, 3),
        by=coord_rotterdam,
        still_there=False,
        reason="Vond het werk te zwaar",
    )
    placement.refresh_from_db()
    opening.refresh_from_db()
    assert (placement.status, placement.ended_on) == (Placement.Status.ENDED, today)
    assert placement.end_reason == "Vond het werk te zwaar"
    assert opening.filled_places == 0
    assert [reminder(placement, month).status for month in (6, 12)] == ["cancelled"] * 2
    with pytest.raises(ValidationError):  # the placement ended: no later answers
        services.follow_up_answer(
            follow_up=follow_up(placement, 6), by=coord_rotterdam, still_there=True
        )


def test_a_follow_up_is_answered_once_and_not_before_it_is_due(youth, opening, coord_rotterdam):
    placement = place(
        youth, opening, coord_rotterdam, start_date=timezone.localdate() - relativedelta(months=2)
    )
    with pytest.raises(ValidationError):
        services.follow_up_answer(
            follow_up=follow_up(placement, 3), by=coord_rotterdam, still_there=True
        )
    services.follow_up_answer(
        follow_up=follow_up(placement, 1), by=coord_rotterdam, still_there=True
    )
    with pytest.raises(ValidationError):
        services.follow_up_answer(
            follow_up=follow_up(placement, 1), by=coord_rotterdam, still_there=False, reason="x"
        )
    assert follow_up(placement, 1).still_there is True


# Retention


def test_retention_figures_count_who_stayed_and_who_left_before_each_month(
    rotterdam, dordrecht, jw_rotterdam, jw_dordrecht, coord_rotterdam, coord_dordrecht, admin
):
    today = timezone.localdate()
    start = today - relativedelta(months=7)
    opening = OpeningFactory(employer=EmployerFactory(city=rotterdam), places=10)

    def placed(worker, home, by, answers, where=opening):
        placement = place(make_youth(worker, home), where, by, start_date=start)
        for month, still_there in answers:
            services.follow_up_answer(
                follow_up=follow_up(placement, month),
                by=by,
                still_there=still_there,
                reason="" if still_there else "Gestopt",
            )
        return placement

    placed(jw_rotterdam, rotterdam, coord_rotterdam, [(1, True), (3, True), (6, True)])
    placed(jw_rotterdam, rotterdam, coord_rotterdam, [(1, True), (3, False)])  # 6 left earlier
    placed(jw_rotterdam, rotterdam, coord_rotterdam, [(1, False)])  # 3 and 6 left earlier
    placed(jw_rotterdam, rotterdam, coord_rotterdam, [(1, True)])  # 3 and 6 not known yet
    ended = placed(jw_rotterdam, rotterdam, coord_rotterdam, [(1, True)])
    services.placement_end(
        placement=ended,
        by=coord_rotterdam,
        ended_on=start + relativedelta(months=2),  # before the 3-month follow-up
        reason="Verhuisd",
    )
    dordrecht_opening = OpeningFactory(employer=EmployerFactory(city=dordrecht), places=1)
    placed(jw_dordrecht, dordrecht, coord_dordrecht, [(1, True)], where=dordrecht_opening)

    figures = selectors.retention_figures(coord_rotterdam)
    assert {month: (f["still_there"], f["known"]) for month, f in figures.items()} == {
        1: (4, 5),
        3: (1, 4),
        6: (1, 4),
        12: (0, 0),
    }
    assert [figures[month]["percentage"] for month in FollowUp.MONTHS] == [80, 25, 25, None]
    assert [figures[month]["awaiting"] for month in FollowUp.MONTHS] == [0, 1, 1, 0]
    assert selectors.retention_figures(admin)[1]["still_there"] == 5
    assert selectors.retention_figures(coord_dordrecht)[1]["known"] == 1


def test_retention_figures_take_one_query(
    coord_rotterdam, youth, opening, django_assert_num_queries
):
    place(youth, opening, coord_rotterdam, start_date=timezone.localdate() - relativedelta(years=1))
    with django_assert_num_queries(1):
        selectors.retention_figures(coord_rotterdam)


# The employer's pipeline


def test_an_employer_may_become_active_only_once_a_young_person_was_placed_there(
    youth, opening, employer, coord_rotterdam
):
    with pytest.raises(ValidationError):
        employer_move_stage(employer=employer, to_stage=Employer.Stage.ACTIVE, by=coord_rotterdam)
    placement = place(youth, opening, coord_rotterdam)
    services.placement_end(
        placement=placement, by=coord_rotterdam, ended_on=timezone.localdate(), reason="Gestopt"
    )  # an ended placement still counts: someone was taken on
    employer_move_stage(employer=employer, to_stage=Employer.Stage.ACTIVE, by=coord_rotterdam)
    employer.refresh_from_db()
    assert employer.stage == Employer.Stage.ACTIVE


def test_the_opening_form_refuses_fewer_places_than_are_filled(
    youth, opening, coord_rotterdam, jw_rotterdam, client_for
):
    place(youth, opening, coord_rotterdam)
    place(make_youth(jw_rotterdam, youth.city), opening, coord_rotterdam)
    data = {
        "kind": opening.kind,
        "title": opening.title,
        "description": opening.description,
        "hours_per_week": opening.hours_per_week,
        "start_date": opening.start_date.isoformat(),
        "location": opening.location,
        "places": 1,
        "status": Opening.Status.FILLED,
    }
    response = post_edit(
        client_for(coord_rotterdam), reverse("employers:opening_edit", args=[opening.pk]), data
    )
    assert response.status_code == 200
    assert "places" in response.context["form"].errors
    opening.refresh_from_db()
    assert (opening.places, opening.filled_places) == (2, 2)
    response = post_edit(
        client_for(coord_rotterdam),
        reverse("employers:opening_edit", args=[opening.pk]),
        {**data, "places": 3},
    )
    assert response.status_code == 302
    opening.refresh_from_db()
    assert (opening.places, opening.filled_places) == (3, 2)  # the form never sets the count


# The pages, per role


@pytest.fixture
def placement(youth, opening, coord_rotterdam):
    return place(
        youth, opening, coord_rotterdam, start_date=timezone.localdate() - relativedelta(months=2)
    )


def answer_data(placement, month, still_there, reason=""):
    prefix = f"follow-up-{follow_up(placement, month).pk}"
    return {f"{prefix}-still_there": still_there, f"{prefix}-reason": reason}


@pytest.mark.parametrize("role", ALLOWED)
def test_admin_and_the_citys_coordinator_see_the_placements(role, cast, placement, client_for):
    response = client_for(cast[role]).get(reverse("matching:placement_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == [placement]
    assert [f["month"] for f in response.context["retention"]] == [1, 3, 6, 12]


def test_the_other_citys_coordinator_sees_no_placement_of_this_city(
    coord_dordrecht, placement, client_for
):
    response = client_for(coord_dordrecht).get(reverse("matching:placement_list"))
    assert response.status_code == 200
    assert list(response.context["page"]) == []


@pytest.mark.parametrize("role", ["jw_rotterdam", "jw_dordrecht", "employer1"])
def test_youth_workers_and_employer_contacts_get_404_on_the_placements_list(
    role, cast, placement, client_for
):
    assert client_for(cast[role]).get(reverse("matching:placement_list")).status_code == 404


@pytest.mark.parametrize("role", ALLOWED)
def test_admin_and_the_citys_coordinator_see_the_placement_and_the_look_is_logged(
    role, cast, placement, client_for
):
    response = client_for(cast[role]).get(reverse("matching:placement_detail", args=[placement.pk]))
    assert response.status_code == 200
    assert response.context["placement"] == placement
    forms = {f.month: form for f, form in response.context["follow_ups"]}
    assert forms[1] is not None  # due: it may be answered
    assert forms[3] is forms[6] is forms[12] is None
    assert AccessEvent.objects.filter(
        actor=cast[role], object_id=str(placement.pk), outcome=AccessEvent.Outcome.ALLOWED
    ).exists()


@pytest.mark.parametrize("role", REFUSED)
def test_others_get_404_on_the_placement(role, cast, placement, client_for):
    response = client_for(cast[role]).get(reverse("matching:placement_detail", args=[placement.pk]))
    assert response.status_code == 404


def test_the_other_citys_coordinator_is_logged_as_refused(coord_dordrecht, placement, client_for):
    client_for(coord_dordrecht).get(reverse("matching:placement_detail", args=[placement.pk]))
    assert AccessEvent.objects.filter(
        actor=coord_dordrecht, object_id=str(placement.pk), outcome=AccessEvent.Outcome.DENIED
    ).exists()


@pytest.mark.parametrize("role", ALLOWED)
def test_admin_and_the_citys_coordinator_may_record_a_placement(
    role, cast, youth, opening, client_for
):
    client = client_for(cast[role])
    response = client.get(
        reverse("matching:placement_create"), {"youth": youth.pk, "opening": opening.pk}
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert youth in form.fields["youth"].queryset
    assert opening in form.fields["opening"].queryset
    assert form.initial["start_date"] == opening.start_date
    assert form.initial["hours_per_week"] == opening.hours_per_week
    response = client.post(
        reverse("matching:placement_create"),
        {
            "youth": youth.pk,
            "opening": opening.pk,
            "start_date": opening.start_date.isoformat(),
            "hours_per_week": 24,
            "agreement": Placement.Agreement.BBL,
        },
    )
    placement = Placement.objects.get()
    assert response.status_code == 302
    assert response["Location"] == placement.get_absolute_url()
    assert (placement.youth, placement.opening, placement.hours_per_week) == (youth, opening, 24)
    assert placement.created_by == cast[role]


def test_the_other_citys_coordinator_cannot_choose_this_citys_young_person(
    coord_dordrecht, youth, opening, client_for
):
    client = client_for(coord_dordrecht)
    form = client.get(reverse("matching:placement_create")).context["form"]
    assert youth not in form.fields["youth"].queryset
    response = client.post(
        reverse("matching:placement_create"),
        {
            "youth": youth.pk,
            "opening": opening.pk,
            "start_date": "2027-01-04",
            "hours_per_week": 24,
            "agreement": Placement.Agreement.EMPLOYMENT,
        },
    )
    assert response.status_code == 200
    assert "youth" in response.context["form"].errors
    assert not Placement.objects.exists()


@pytest.mark.parametrize("role", ["jw_rotterdam", "jw_dordrecht", "employer1"])
def test_youth_workers_and_employer_contacts_get_404_on_recording_a_placement(
    role, cast, youth, opening, client_for
):
    client = client_for(cast[role])
    assert client.get(reverse("matching:placement_create")).status_code == 404
    response = client.post(
        reverse("matching:placement_create"),
        {
            "youth": youth.pk,
            "opening": opening.pk,
            "start_date": "2027-01-04",
            "hours_per_week": 24,
            "agreement": Placement.Agreement.EMPLOYMENT,
        },
    )
    assert response.status_code == 404
    assert not Placement.objects.exists()


def test_placed_young_people_and_full_openings_are_not_offered(
    placement, youth, opening, coord_rotterdam, client_for
):
    Opening.objects.filter(pk=opening.pk).update(places=1)
    form = client_for(coord_rotterdam).get(reverse("matching:placement_create")).context["form"]
    assert youth not in form.fields["youth"].queryset
    assert opening not in form.fields["opening"].queryset


def test_bad_input_on_the_placement_form_gives_form_errors(
    youth, opening, coord_rotterdam, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("matching:placement_create"),
        {"youth": "x", "opening": "", "start_date": "morgen", "hours_per_week": 99},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {
        "youth",
        "opening",
        "start_date",
        "hours_per_week",
        "agreement",
    }
    assert not Placement.objects.exists()


@pytest.mark.parametrize("role", ALLOWED)
def test_admin_and_the_citys_coordinator_may_end_a_placement_after_confirming(
    role, cast, placement, client_for
):
    client = client_for(cast[role])
    url = reverse("matching:placement_end", args=[placement.pk])
    assert client.get(url).status_code == 200
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE  # asking changes nothing
    response = client.post(
        url, {"ended_on": timezone.localdate().isoformat(), "reason": "Nieuwe baan gevonden"}
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.status, placement.end_reason) == ("ended", "Nieuwe baan gevonden")


def test_ending_without_a_reason_or_in_the_future_gives_form_errors(
    placement, coord_rotterdam, client_for
):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client_for(coord_rotterdam).post(
        reverse("matching:placement_end", args=[placement.pk]),
        {"ended_on": tomorrow.isoformat(), "reason": ""},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"ended_on", "reason"}
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


@pytest.mark.parametrize("role", REFUSED)
def test_others_get_404_on_ending_a_placement(role, cast, placement, client_for):
    client = client_for(cast[role])
    url = reverse("matching:placement_end", args=[placement.pk])
    assert client.get(url).status_code == 404
    response = client.post(url, {"ended_on": timezone.localdate().isoformat(), "reason": "x"})
    assert response.status_code == 404
    placement.refresh_from_db()
    assert placement.status == Placement.Status.ACTIVE


@pytest.mark.parametrize("role", ALLOWED)
def test_admin_and_the_citys_coordinator_may_answer_a_follow_up(role, cast, placement, client_for):
    response = client_for(cast[role]).post(
        reverse("matching:follow_up_answer", args=[follow_up(placement, 1).pk]),
        answer_data(placement, 1, "yes"),
    )
    assert response.status_code == 302
    assert follow_up(placement, 1).still_there is True


@pytest.mark.parametrize("role", REFUSED)
def test_others_get_404_on_answering_a_follow_up(role, cast, placement, client_for):
    response = client_for(cast[role]).post(
        reverse("matching:follow_up_answer", args=[follow_up(placement, 1).pk]),
        answer_data(placement, 1, "yes"),
    )
    assert response.status_code == 404
    assert follow_up(placement, 1).answered_at is None


def test_not_there_without_a_reason_gives_a_form_error_on_the_page(
    placement, coord_rotterdam, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("matching:follow_up_answer", args=[follow_up(placement, 1).pk]),
        answer_data(placement, 1, "no"),
    )
    assert response.status_code == 200
    forms = {f.month: form for f, form in response.context["follow_ups"]}
    assert "reason" in forms[1].errors
    assert follow_up(placement, 1).answered_at is None


def test_not_there_with_a_reason_ends_the_placement_from_the_page(
    placement, coord_rotterdam, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("matching:follow_up_answer", args=[follow_up(placement, 1).pk]),
        answer_data(placement, 1, "no", "Te ver reizen"),
    )
    assert response.status_code == 302
    placement.refresh_from_db()
    assert (placement.status, placement.end_reason) == ("ended", "Te ver reizen")


def test_answering_a_follow_up_not_yet_due_is_refused_with_a_message(
    placement, coord_rotterdam, client_for
):
    response = client_for(coord_rotterdam).post(
        reverse("matching:follow_up_answer", args=[follow_up(placement, 3).pk]),
        answer_data(placement, 3, "yes"),
        follow=True,
    )
    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert follow_up(placement, 3).answered_at is None


def test_a_follow_up_cannot_be_answered_by_get(placement, coord_rotterdam, client_for):
    response = client_for(coord_rotterdam).get(
        reverse("matching:follow_up_answer", args=[follow_up(placement, 1).pk])
    )
    assert response.status_code == 405


@pytest.mark.parametrize(
    "name", ["placement_list", "placement_create", "placement_detail", "placement_end"]
)
def test_no_placement_page_has_an_inline_script_or_style(
    name, placement, coord_rotterdam, client_for
):
    args = [] if name in {"placement_list", "placement_create"} else [placement.pk]
    html = client_for(coord_rotterdam).get(reverse(f"matching:{name}", args=args)).content.decode()
    assert "<script>" not in html
    assert " style=" not in html
    assert "<style" not in html
    assert html.count("<h1") == 1


# The list: filters and query budget


def test_the_list_filters_on_status_city_and_follow_up_due(
    placement, opening, coord_rotterdam, admin, jw_rotterdam, client_for
):
    fresh = place(make_youth(jw_rotterdam, placement.youth.city), opening, coord_rotterdam)
    client = client_for(admin)
    url = reverse("matching:placement_list")
    assert list(client.get(url, {"follow_up_due": "on"}).context["page"]) == [placement]
    assert list(client.get(url, {"status": "ended"}).context["page"]) == []
    assert set(client.get(url, {"city": placement.youth.city_id}).context["page"]) == {
        placement,
        fresh,
    }
    assert list(client.get(url, {"q": fresh.youth.last_name}).context["page"]) == [fresh]


def many_placements(count, worker, home, by):
    opening = OpeningFactory(employer=EmployerFactory(city=home, owner=by), places=count)
    youth = YoungPerson.objects.bulk_create(
        YoungPersonFactory.build(youth_worker=worker, city=home) for _ in range(count)
    )
    start = timezone.localdate() - relativedelta(months=2)
    placements = Placement.objects.bulk_create(
        Placement(
            youth=person,
            opening=opening,
            start_date=start,
            hours_per_week=24,
            agreement=Placement.Agreement.EMPLOYMENT,
            created_by=by,
        )
        for person in youth
    )
    FollowUp.objects.bulk_create(
        FollowUp(placement=placement, month=month, due_on=start + relativedelta(months=month))
        for placement in placements
        for month in FollowUp.MONTHS
    )


@pytest.mark.parametrize("rows", [5, 50])
def test_the_placements_list_keeps_its_query_count(
    client_for, coord_rotterdam, jw_rotterdam, rotterdam, django_assert_max_num_queries, rows
):
    many_placements(rows, jw_rotterdam, rotterdam, coord_rotterdam)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("matching:placement_list"), {"follow_up_due": "on"})
    assert response.status_code == 200
    assert len(response.context["page"]) == min(rows, 25)


@pytest.mark.parametrize("n", [2, 4])  # four follow-ups at most: at 1, 3, 6 and 12 months
@pytest.mark.parametrize("role", ["admin", "coord_rotterdam"])
def test_the_placement_detail_keeps_its_query_count(
    n, role, cast, client_for, youth, opening, django_assert_max_num_queries
):
    """n follow-ups, all due: half answered, each by someone else, half with a form to answer."""
    start = timezone.localdate() - relativedelta(months=13)
    placement = Placement.objects.create(
        youth=youth,
        opening=opening,
        start_date=start,
        hours_per_week=24,
        agreement=Placement.Agreement.EMPLOYMENT,
        created_by=cast["coord_rotterdam"],
    )
    answerers = [cast["admin"], cast["coord_rotterdam"], cast["coord_rotterdam2"]]
    FollowUp.objects.bulk_create(
        FollowUp(
            placement=placement,
            month=month,
            due_on=start + relativedelta(months=month),
            **(
                {"still_there": True, "answered_at": timezone.now(), "answered_by": answerers[i]}
                if i < n // 2
                else {}
            ),
        )
        for i, month in enumerate(FollowUp.MONTHS[:n])
    )
    client = client_for(cast[role])
    # session, user, (a coordinator's cities), the placement with its people, its follow-ups with
    # who answered them, the access log, the badge, the session's save (3 with savepoints)
    with django_assert_max_num_queries({"admin": 9, "coord_rotterdam": 10}[role]):
        response = client.get(reverse("matching:placement_detail", args=[placement.pk]))
    assert response.content.decode().count('data-testid="follow-up"') == n
    forms = [form for _follow_up, form in response.context["follow_ups"] if form]
    assert len(forms) == n - n // 2


# The demo data


def test_seed_demo_runs_twice_and_makes_placements_at_every_follow_up_stage():
    call_command("seed_demo")
    call_command("seed_demo")
    placements = Placement.objects.all()
    # Matching's demo makes twelve; the programme's demo adds the phase-3 placements of its
    # cohorts (one per city), each linked to its participation.
    programme_placements = placements.filter(prep_participations__isnull=False).distinct()
    assert placements.count() - programme_placements.count() == 12
    assert programme_placements.count() == 2
    answered = FollowUp.objects.filter(answered_at__isnull=False)
    assert set(answered.values_list("month", flat=True)) == {1, 3, 6, 12}
    assert FollowUp.objects.filter(still_there=False).exclude(reason="").exists()
    assert placements.filter(status=Placement.Status.ENDED).exists()
    assert not Reminder.objects.filter(
        kind="matching.follow_up",
        status=Reminder.Status.PENDING,
        key__in=[f"matching.follow_up:{f.placement_id}:{f.month}" for f in answered],
    ).exists()
    employers = Employer.objects.filter(openings__placements__isnull=False).distinct()
    assert set(employers.values_list("stage", flat=True)) == {Employer.Stage.ACTIVE}
    for opening in Opening.objects.filter(placements__isnull=False).distinct():
        active = opening.placements.filter(status=Placement.Status.ACTIVE).count()
        assert opening.filled_places == active
