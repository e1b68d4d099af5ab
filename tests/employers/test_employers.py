"""Coordinators recruit employers: the list, the record, the pipeline and the follow-ups."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from employers import services
from employers.models import DemandProfile, Employer, Interaction, OwnerChange, StageChange
from restart_platform.accounts.factories import CoordinatorFactory
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import reminders_dispatch_due
from restart_platform.taxonomy.models import Sector, Skill
from tests.edits import post_edit, shown_of
from tests.employers.factories import (
    ContactFactory,
    EmployerFactory,
    InteractionFactory,
    OpeningFactory,
)

pytestmark = pytest.mark.django_db

STAFF_URLS = [
    ("employers:employer_list", None),
    ("employers:employer_create", None),
    ("employers:employer_pipeline", None),
    ("employers:employer_detail", "employer"),
    ("employers:employer_edit", "employer"),
    ("employers:contact_create", "employer"),
    ("employers:demand_edit", "employer"),
    ("employers:contact_edit", "contact"),
    ("employers:contact_delete", "contact"),
]


@pytest.fixture
def employer(coord_rotterdam, rotterdam):
    return EmployerFactory(name="Kringloop Maasstad", city=rotterdam, owner=coord_rotterdam)


@pytest.fixture
def contact(employer):
    return ContactFactory(employer=employer)


def new_employer_data(city, owner, **overrides):
    data = {
        "name": "Reparatiecentrum Zuid",
        "kvk_number": "87654321",
        "city": city.pk,
        "postcode": "3072ab",
        "sector": Sector.objects.get(slug="repair").pk,
        "circularity": "circular",
        "found_via": "network",
        "owner": owner.pk,
    }
    return {**data, **overrides}


@pytest.mark.parametrize(("name", "record"), STAFF_URLS)
@pytest.mark.parametrize("role", ["admin", "coord_rotterdam"])
def test_staff_of_the_city_reach_every_employer_page(
    name, record, role, cast, client_for, employer, contact
):
    args = [{"employer": employer, "contact": contact}[record].pk] if record else None
    assert client_for(cast[role]).get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize(("name", "record"), STAFF_URLS)
@pytest.mark.parametrize("role", ["jw_rotterdam", "employer1"])
def test_youth_workers_and_employer_contacts_get_404_on_employer_pages(
    name, record, role, cast, client_for, employer, contact
):
    ContactFactory(
        employer=employer, user=cast["employer1"]
    )  # even their own employer's coordinator pages
    args = [{"employer": employer, "contact": contact}[record].pk] if record else None
    assert client_for(cast[role]).get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize(("name", "record"), [url for url in STAFF_URLS if url[1]])
def test_the_coordinator_of_the_other_city_gets_404_on_a_rotterdam_employer(
    name, record, coord_dordrecht, client_for, employer, contact
):
    args = [{"employer": employer, "contact": contact}[record].pk]
    assert client_for(coord_dordrecht).get(reverse(name, args=args)).status_code == 404


@pytest.mark.parametrize(
    "name",
    [
        "employers:employer_move_stage",
        "employers:employer_next_action",
        "employers:interaction_create",
    ],
)
def test_the_coordinator_of_the_other_city_cannot_post_to_a_rotterdam_employer(
    name, coord_dordrecht, client_for, employer
):
    response = client_for(coord_dordrecht).post(
        reverse(name, args=[employer.pk]), {"stage": "contacted"}
    )
    assert response.status_code == 404
    employer.refresh_from_db()
    assert employer.stage == Employer.Stage.LEAD


def test_the_list_shows_only_the_coordinators_own_city(
    client_for, coord_rotterdam, employer, dordrecht
):
    EmployerFactory(name="Dordtse Demontage", city=dordrecht)
    names = [
        e.name
        for e in client_for(coord_rotterdam).get(reverse("employers:employer_list")).context["page"]
    ]
    assert names == ["Kringloop Maasstad"]


def test_the_list_searches_filters_and_sorts(client_for, coord_rotterdam, rotterdam):
    EmployerFactory(
        name="Alfa Recycling", city=rotterdam, owner=coord_rotterdam, circularity="in_transition"
    )
    EmployerFactory(
        name="Beta Reparatie", city=rotterdam, owner=coord_rotterdam, kvk_number="55550000"
    )
    client = client_for(coord_rotterdam)

    def page(**params):
        return [
            e.name for e in client.get(reverse("employers:employer_list"), params).context["page"]
        ]

    assert page(q="alfa") == ["Alfa Recycling"]
    assert page(q="5555") == ["Beta Reparatie"]
    assert page(circularity="in_transition") == ["Alfa Recycling"]
    assert page(sort="-created_at")[0] == "Beta Reparatie"


def test_the_list_finds_leads_without_contact_for_30_days(client_for, coord_rotterdam, rotterdam):
    quiet = EmployerFactory(name="Stil Bedrijf", city=rotterdam, owner=coord_rotterdam)
    busy = EmployerFactory(name="Druk Bedrijf", city=rotterdam, owner=coord_rotterdam)
    Employer.objects.update(created_at=timezone.now() - dt.timedelta(days=60))
    InteractionFactory(employer=quiet, date=timezone.localdate() - dt.timedelta(days=31))
    InteractionFactory(employer=busy, date=timezone.localdate() - dt.timedelta(days=2))
    names = [
        e.name
        for e in client_for(coord_rotterdam)
        .get(reverse("employers:employer_list"), {"stale": "on"})
        .context["page"]
    ]
    assert names == ["Stil Bedrijf"]


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_employer_list_keeps_its_query_count(
    client_for, coord_rotterdam, rotterdam, django_assert_max_num_queries, rows
):
    _many_employers(rows, rotterdam, coord_rotterdam)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("employers:employer_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("rows", [10, 1000])
def test_the_pipeline_board_keeps_its_query_count(
    client_for, coord_rotterdam, rotterdam, django_assert_max_num_queries, rows
):
    _many_employers(rows, rotterdam, coord_rotterdam)
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("employers:employer_pipeline"))
    assert sum(column["count"] for column in response.context["columns"]) == rows


def test_a_column_shows_its_first_cards_in_name_order_and_counts_them_all(
    client_for, coord_rotterdam, rotterdam
):
    from employers.views.employers import BOARD_CARDS_PER_COLUMN

    _many_employers(5 * (BOARD_CARDS_PER_COLUMN + 4), rotterdam, coord_rotterdam)
    response = client_for(coord_rotterdam).get(
        reverse("employers:employer_pipeline"), {"circularity": "circular"}
    )
    for column in response.context["columns"]:
        names = [employer.name for employer in column["employers"]]
        expected = sorted(
            Employer.objects.filter(stage=column["stage"]).values_list("name", flat=True)
        )
        assert column["count"] == len(expected)
        assert names == expected[:BOARD_CARDS_PER_COLUMN]
    full = [column for column in response.context["columns"] if column["count"]]
    assert len(full) == 5
    assert all(column["count"] == BOARD_CARDS_PER_COLUMN + 4 for column in full)


def _many_employers(count, city, owner):
    sector = Sector.objects.first()
    Employer.objects.bulk_create(
        Employer(
            name=f"Werkgever {i:04d}",
            kvk_number=f"{20_000_000 + i:08d}",
            city=city,
            sector=sector,
            circularity="circular",
            owner=owner,
            stage=Employer.Stage.values[i % 5],
        )
        for i in range(count)
    )
    for employer in Employer.objects.all()[:20]:
        InteractionFactory(employer=employer)


def test_a_coordinator_registers_an_employer_as_a_lead_with_its_history(
    client_for, coord_rotterdam, rotterdam
):
    response = client_for(coord_rotterdam).post(
        reverse("employers:employer_create"), new_employer_data(rotterdam, coord_rotterdam)
    )
    employer = Employer.objects.get(kvk_number="87654321")
    assert response.status_code == 302
    assert employer.stage == Employer.Stage.LEAD
    assert employer.postcode == "3072 AB"
    assert StageChange.objects.get(employer=employer).to_stage == "lead"
    assert OwnerChange.objects.get(employer=employer).owner == coord_rotterdam


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"kvk_number": "1234567"}, "kvk_number"),
        ({"kvk_number": "1234567a"}, "kvk_number"),
        ({"postcode": "0123 AB"}, "postcode"),
        ({"name": ""}, "name"),
        ({"website": "geen url"}, "website"),
    ],
)
def test_bad_employer_details_are_refused_with_a_message(
    client_for, coord_rotterdam, rotterdam, overrides, field
):
    data = new_employer_data(rotterdam, coord_rotterdam, **overrides)
    response = client_for(coord_rotterdam).post(reverse("employers:employer_create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not Employer.objects.exists()


def test_a_duplicate_kvk_number_is_refused(client_for, coord_rotterdam, rotterdam, employer):
    data = new_employer_data(
        rotterdam, coord_rotterdam, kvk_number=employer.kvk_number, name="Heel Andere Naam"
    )
    response = client_for(coord_rotterdam).post(reverse("employers:employer_create"), data)
    assert "kvk_number" in response.context["form"].errors
    assert Employer.objects.count() == 1


def test_a_very_similar_name_in_the_same_city_is_shown_before_saving(
    client_for, coord_rotterdam, rotterdam, employer
):
    client = client_for(coord_rotterdam)
    data = new_employer_data(rotterdam, coord_rotterdam, name="Kringloop Maasstad B.V.")
    first = client.post(reverse("employers:employer_create"), data)
    assert first.status_code == 200
    assert first.context["form"].possible_duplicates == [employer]
    assert Employer.objects.count() == 1
    confirmed = client.post(
        reverse("employers:employer_create"), {**data, "confirm_not_duplicate": "on"}
    )
    assert confirmed.status_code == 302
    assert Employer.objects.count() == 2


def test_the_same_name_in_another_city_is_no_duplicate(
    client_for, coord_dordrecht, dordrecht, employer
):
    data = new_employer_data(dordrecht, coord_dordrecht, name="Kringloop Maasstad")
    assert (
        client_for(coord_dordrecht).post(reverse("employers:employer_create"), data).status_code
        == 302
    )


def test_the_duplicate_check_names_no_employer_of_another_city(
    coord_dordrecht, dordrecht, employer
):
    from employers.selectors import possible_duplicates

    same_city = EmployerFactory(name="Kringloop Maasstad", city=dordrecht, kvk_number="55555555")
    found = possible_duplicates(
        coord_dordrecht,
        name="Kringloop Maasstad BV",
        kvk_number=employer.kvk_number,  # Rotterdam's: still not named to Dordrecht
        city_id=dordrecht.pk,
    )
    assert found == [same_city]


def test_the_owner_must_be_a_coordinator_of_the_employers_city(
    client_for, admin, coord_dordrecht, rotterdam
):
    data = new_employer_data(rotterdam, coord_dordrecht)
    response = client_for(admin).post(reverse("employers:employer_create"), data)
    assert "owner" in response.context["form"].errors


def test_a_coordinator_cannot_register_an_employer_in_the_other_city(
    client_for, coord_dordrecht, rotterdam, coord_rotterdam
):
    response = client_for(coord_dordrecht).post(
        reverse("employers:employer_create"), new_employer_data(rotterdam, coord_rotterdam)
    )
    assert "city" in response.context["form"].errors


def test_a_new_owner_gets_a_dated_history_row_and_the_next_action_reminder(
    employer, coord_rotterdam, rotterdam
):
    services.employer_set_next_action(
        employer=employer,
        action="Bellen",
        due=timezone.localdate() + dt.timedelta(days=2),
        by=coord_rotterdam,
    )
    colleague = CoordinatorFactory(username="coord.rotterdam2", cities=[rotterdam])
    services.employer_update(employer=employer, by=coord_rotterdam, owner=colleague)
    latest = OwnerChange.objects.filter(employer=employer).first()
    assert (latest.owner, latest.changed_by) == (colleague, coord_rotterdam)
    reminder = Reminder.objects.get(kind="employers.next_action")
    with time_machine.travel(reminder.due_at + dt.timedelta(minutes=1), tick=False):
        reminders_dispatch_due()
    assert mail.outbox[0].to == [colleague.email]  # the reminder follows the relationship


class TestPipeline:
    def test_each_stage_change_is_recorded_with_date_and_author(self, employer, coord_rotterdam):
        for stage in ["contacted", "meeting_planned", "interested", "committed"]:
            services.employer_move_stage(employer=employer, to_stage=stage, by=coord_rotterdam)
        changes = list(
            StageChange.objects.filter(employer=employer)
            .order_by("pk")
            .values_list("from_stage", "to_stage", "changed_by__username")
        )
        assert changes[-1] == ("interested", "committed", "coord.rotterdam")
        assert len(changes) == 4

    def test_skipping_to_active_without_a_placement_is_refused(self, employer, coord_rotterdam):
        with pytest.raises(ValidationError):
            services.employer_move_stage(employer=employer, to_stage="active", by=coord_rotterdam)
        employer.refresh_from_db()
        assert employer.stage == "lead"
        assert StageChange.objects.filter(employer=employer).count() == 0

    def test_an_employer_with_a_placement_may_become_active(self, employer, coord_rotterdam):
        services.employer_record_placement(employer=employer, on=dt.date(2026, 11, 2))
        services.employer_move_stage(employer=employer, to_stage="active", by=coord_rotterdam)
        assert Employer.objects.get(pk=employer.pk).stage == "active"

    def test_declining_needs_a_reason(self, employer, coord_rotterdam):
        with pytest.raises(ValidationError):
            services.employer_move_stage(employer=employer, to_stage="declined", by=coord_rotterdam)
        services.employer_move_stage(
            employer=employer, to_stage="declined", by=coord_rotterdam, reason="Geen tijd"
        )
        assert Employer.objects.get(pk=employer.pk).declined_reason == "Geen tijd"

    def test_the_database_refuses_a_declined_employer_without_a_reason(self, employer):
        with pytest.raises(IntegrityError), transaction.atomic():
            Employer.objects.filter(pk=employer.pk).update(stage="declined", declined_reason="")

    def test_the_board_moves_a_card_without_a_page_reload(
        self, client_for, coord_rotterdam, employer
    ):
        response = client_for(coord_rotterdam).post(
            reverse("employers:employer_move_stage", args=[employer.pk]),
            {"stage": "contacted", "filters": "", **shown_of(employer, "stage")},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert "<html" not in response.content.decode()  # a fragment: the board, not a page
        columns = {column["stage"]: column for column in response.context["columns"]}
        assert columns["contacted"]["employers"] == [employer]

    def test_the_board_says_why_a_move_was_refused(self, client_for, coord_rotterdam, employer):
        response = client_for(coord_rotterdam).post(
            reverse("employers:employer_move_stage", args=[employer.pk]),
            {"stage": "active"},
            HTTP_HX_REQUEST="true",
        )
        assert response.status_code == 200
        assert response.context["error"]
        assert Employer.objects.get(pk=employer.pk).stage == "lead"

    def test_the_board_filters_by_city_circularity_and_owner(
        self, client_for, admin, employer, dordrecht
    ):
        EmployerFactory(name="Dordtse Demontage", city=dordrecht, circularity="not_yet")
        client = client_for(admin)

        def board(**params):
            columns = client.get(reverse("employers:employer_pipeline"), params).context["columns"]
            return sorted(employer.name for column in columns for employer in column["employers"])

        assert board(city=dordrecht.pk) == ["Dordtse Demontage"]
        assert board(circularity="circular") == ["Kringloop Maasstad"]
        assert board(owner=employer.owner.pk) == ["Kringloop Maasstad"]


class TestFollowUps:
    def test_the_owner_gets_a_reminder_on_the_next_action_due_date(self, employer, coord_rotterdam):
        due = timezone.localdate() + dt.timedelta(days=3)
        services.employer_set_next_action(
            employer=employer, action="Bezoek plannen", due=due, by=coord_rotterdam
        )
        reminder = Reminder.objects.get(kind="employers.next_action")
        assert timezone.localtime(reminder.due_at).date() == due
        assert reminders_dispatch_due() == 0
        with time_machine.travel(reminder.due_at + dt.timedelta(minutes=1), tick=False):
            assert reminders_dispatch_due() == 1
        assert mail.outbox[0].to == [coord_rotterdam.email]
        assert "Kringloop Maasstad" in mail.outbox[0].subject

    def test_a_moved_due_date_replaces_the_old_reminder(self, employer, coord_rotterdam):
        first, later = (
            timezone.localdate() + dt.timedelta(days=1),
            timezone.localdate() + dt.timedelta(days=5),
        )
        services.employer_set_next_action(
            employer=employer, action="Bellen", due=first, by=coord_rotterdam
        )
        services.employer_set_next_action(
            employer=employer, action="Bellen", due=later, by=coord_rotterdam
        )
        reminder = Reminder.objects.get(kind="employers.next_action")
        assert timezone.localtime(reminder.due_at).date() == later
        with time_machine.travel(
            timezone.localtime(reminder.due_at) - dt.timedelta(days=2), tick=False
        ):
            assert reminders_dispatch_due() == 0  # the old date passes without a reminder
        with time_machine.travel(reminder.due_at, tick=False):
            assert reminders_dispatch_due() == 1

    def test_clearing_the_next_action_cancels_its_reminder(self, employer, coord_rotterdam):
        services.employer_set_next_action(
            employer=employer,
            action="Bellen",
            due=timezone.localdate() + dt.timedelta(days=1),
            by=coord_rotterdam,
        )
        services.employer_set_next_action(
            employer=employer, action="", due=None, by=coord_rotterdam
        )
        assert Reminder.objects.get().status == Reminder.Status.CANCELLED

    def test_a_next_action_in_the_past_or_without_a_date_is_refused(
        self, client_for, coord_rotterdam, employer
    ):
        client = client_for(coord_rotterdam)
        url = reverse("employers:employer_next_action", args=[employer.pk])
        shown = shown_of(employer, "next_action", "next_action_due")
        client.post(url, {"next_action": "Bellen", "next_action_due": "2000-01-01", **shown})
        client.post(url, {"next_action": "Bellen", "next_action_due": "", **shown})
        assert not Reminder.objects.exists()

    def test_the_weekly_digest_reaches_each_coordinator_with_quiet_leads_once(
        self, employer, coord_rotterdam, coord_dordrecht, dordrecht
    ):
        EmployerFactory(
            city=dordrecht, owner=coord_dordrecht, stage="committed"
        )  # not a lead: not in the digest
        Employer.objects.update(created_at=timezone.now() - dt.timedelta(days=45))
        InteractionFactory(employer=employer, date=timezone.localdate() - dt.timedelta(days=40))
        assert services.employers_plan_stale_digests() == 1
        assert (
            services.employers_plan_stale_digests() == 1
        )  # run twice in one week: still one reminder
        assert Reminder.objects.filter(kind="employers.stale_digest").count() == 1
        reminders_dispatch_due()
        assert [message.to for message in mail.outbox] == [[coord_rotterdam.email]]
        assert "stale=1" in Reminder.objects.get().link

    def test_a_lead_with_recent_contact_is_not_in_the_digest(self, employer):
        Employer.objects.update(created_at=timezone.now() - dt.timedelta(days=45))
        InteractionFactory(employer=employer, date=timezone.localdate() - dt.timedelta(days=10))
        assert services.employers_plan_stale_digests() == 0

    def test_the_digest_task_is_scheduled_weekly(self):
        from django_celery_beat.models import PeriodicTask

        task = PeriodicTask.objects.get(task="employers.tasks.plan_stale_digests")
        assert (task.crontab.day_of_week, task.crontab.hour) == ("1", "7")


class TestContactsAndInteractions:
    def test_a_coordinator_logs_an_interaction(self, client_for, coord_rotterdam, employer):
        client_for(coord_rotterdam).post(
            reverse("employers:interaction_create", args=[employer.pk]),
            {
                "kind": "visit",
                "date": timezone.localdate().isoformat(),
                "summary": "Rondleiding werkplaats",
            },
        )
        interaction = Interaction.objects.get()
        assert (interaction.author, interaction.kind) == (coord_rotterdam, "visit")

    def test_an_interaction_in_the_future_is_refused(self, client_for, coord_rotterdam, employer):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        client_for(coord_rotterdam).post(
            reverse("employers:interaction_create", args=[employer.pk]),
            {"kind": "visit", "date": tomorrow.isoformat(), "summary": "x"},
        )
        assert not Interaction.objects.exists()

    def test_a_contact_person_is_added_edited_and_removed_after_confirmation(
        self, client_for, coord_rotterdam, employer
    ):
        client = client_for(coord_rotterdam)
        client.post(
            reverse("employers:contact_create", args=[employer.pk]),
            {"name": "Sanne de Vries", "email": "sanne@example.org"},
        )
        contact = employer.contacts.get()
        post_edit(
            client,
            reverse("employers:contact_edit", args=[contact.pk]),
            {"name": "Sanne de Vries", "phone": "010 123 45 67"},
        )
        contact.refresh_from_db()
        assert contact.phone == "010 123 45 67"
        assert (
            client.get(reverse("employers:contact_delete", args=[contact.pk])).status_code == 200
        )  # asks first
        assert employer.contacts.exists()
        client.post(reverse("employers:contact_delete", args=[contact.pk]))
        assert not employer.contacts.exists()

    def test_one_account_belongs_to_one_employer(self, employer, employer_contact1, dordrecht):
        ContactFactory(employer=employer, user=employer_contact1)
        with pytest.raises(IntegrityError), transaction.atomic():
            ContactFactory(employer=EmployerFactory(city=dordrecht), user=employer_contact1)


class TestDemandProfile:
    def test_a_coordinator_fills_in_the_demand_profile(self, client_for, coord_rotterdam, employer):
        skills = Skill.objects.filter(slug__in=["dismantling", "punctuality"])
        response = post_edit(
            client_for(coord_rotterdam),
            reverse("employers:demand_edit", args=[employer.pk]),
            {
                "roles": "Demontage",
                "skills": [s.pk for s in skills],
                "openings_12_months": 2,
                "openings_24_months": 5,
                "expected_retirements": 3,
                "offers_jobs": "on",
                "offers_learning_work_places": "on",
                "diploma_track": "mbo-1",
            },
        )
        assert response.status_code == 302
        profile = DemandProfile.objects.get(employer=employer)
        assert set(profile.skills.values_list("slug", flat=True)) == {"dismantling", "punctuality"}
        page = client_for(coord_rotterdam).get(employer.get_absolute_url()).content.decode()
        assert "mbo-1" in page

    def test_fewer_openings_in_24_months_than_in_12_is_refused(
        self, client_for, coord_rotterdam, employer
    ):
        response = post_edit(
            client_for(coord_rotterdam),
            reverse("employers:demand_edit", args=[employer.pk]),
            {"openings_12_months": 5, "openings_24_months": 2, "expected_retirements": 0},
        )
        assert "openings_24_months" in response.context["form"].errors
        assert not DemandProfile.objects.exists()


@pytest.mark.parametrize("n", [2, 20])
def test_the_employer_page_keeps_its_query_count(
    client_for, coord_rotterdam, employer, django_assert_max_num_queries, n
):
    """Every list the page shows grows: contacts, interactions, openings, stage and owner
    changes."""
    for number in range(n):
        ContactFactory(employer=employer)
        InteractionFactory(employer=employer)
        OpeningFactory(employer=employer, title=f"Opening {number}")
        StageChange.objects.create(
            employer=employer, to_stage="contacted", changed_by=coord_rotterdam
        )
        OwnerChange.objects.create(
            employer=employer, owner=coord_rotterdam, changed_by=coord_rotterdam
        )
    client = client_for(coord_rotterdam)
    with django_assert_max_num_queries(10):
        response = client.get(employer.get_absolute_url())
    assert response.status_code == 200
    assert len(response.context["employer"].openings.all()) == n


def test_setting_the_next_action_on_an_old_copy_keeps_the_stage(employer, coord_rotterdam):
    stale_copy = Employer.objects.get(pk=employer.pk)
    services.employer_move_stage(employer=employer, to_stage="contacted", by=coord_rotterdam)
    due = timezone.localdate() + dt.timedelta(days=1)
    services.employer_set_next_action(
        employer=stale_copy, action="Bellen", due=due, by=coord_rotterdam
    )
    assert Employer.objects.get(pk=employer.pk).stage == "contacted"


def test_the_demo_data_spreads_employers_over_the_stages():
    from django.core.management import call_command

    call_command("seed_demo")
    stages = set(Employer.objects.values_list("stage", flat=True))
    # The matching app's demo places young people, which makes their employers active.
    assert stages == set(Employer.Stage.values)
    assert Employer.objects.filter(contacts__user__username="employer.demo1").exists()
