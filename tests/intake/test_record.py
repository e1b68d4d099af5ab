"""The structured intake record: one section per working element, a draft, and a finish that
names the outcome and the next step."""

import datetime as dt
import re

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from employers.models import Contact
from intake import services
from intake.factories import IntakeRecordFactory
from intake.models import IntakeMeeting, IntakeRecord
from tests.edits import post_edit
from tests.employers.factories import EmployerFactory, OpeningFactory
from youth.factories import BarrierFactory, NetworkFactorFactory, YoungPersonFactory
from youth.models import Barrier

pytestmark = pytest.mark.django_db

# The working elements of the intake, in the order of the meeting, and what each one asks.
SECTIONS = [
    ["motivation_words", "motivation_rating", "motivation_drivers"],
    ["barriers", "no_barriers_found"],
    [
        "network_factors",
        "new_helping_factor",
        "new_hindering_factor",
        "network_helping",
        "network_hindering",
    ],
    ["youth_expectations", "employer_expectations", "agreed_expectations"],
    ["non_committal"],
    ["youth_click", "youth_impression", "employer_click", "employer_impression"],
    ["outcome", "outcome_opening", "outcome_note", "next_step", "next_step_on"],
]


@pytest.fixture
def held(meeting):
    """The intake took place two hours ago, and who was there is recorded."""
    IntakeMeeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - dt.timedelta(hours=2),
        status=IntakeMeeting.Status.HELD,
        youth_present=True,
        youth_worker_present=True,
    )
    meeting.refresh_from_db()
    return meeting


def record_url(meeting) -> str:
    return reverse("intake:intake_record", args=[meeting.pk])


def record_data(*, version: int = 0, action: str = "draft", **fields) -> dict:
    data = {
        "version": version,
        "action": action,
        "motivation_words": "",
        "motivation_rating": "",
        "motivation_drivers": "",
        "network_helping": "",
        "network_hindering": "",
        "youth_expectations": "",
        "employer_expectations": "",
        "agreed_expectations": "",
        "youth_click": "",
        "youth_impression": "",
        "employer_click": "",
        "employer_impression": "",
        "outcome": "",
        "outcome_opening": "",
        "outcome_note": "",
        "next_step": "",
        "next_step_on": "",
    }
    return {**data, **fields}


def finish_data(**fields) -> dict:
    next_week = timezone.localdate() + dt.timedelta(days=7)
    finished = {
        "action": "finish",
        "motivation_words": "Ik wil mijn eigen geld verdienen.",
        "motivation_rating": "4",
        "non_committal": "yes",
        "outcome": IntakeRecord.Outcome.PROGRAMME,
        "next_step": "Startgesprek voorschakelprogramma",
        "next_step_on": next_week.isoformat(),
    }
    return record_data(**{**finished, **fields})


def test_the_record_form_has_a_section_per_working_element_in_order(client_for, jw_rotterdam, held):
    response = client_for(jw_rotterdam).get(record_url(held))
    assert response.status_code == 200
    form = response.context["form"]
    assert [[field.name for field in section["fields"]] for section in form.sections()] == SECTIONS
    assert all(section["title"] for section in form.sections())
    html = response.content.decode()
    legends = re.findall(r'<legend class="h5">([^<]+)</legend>', html)
    assert len(legends) == len(SECTIONS)
    assert "<table" not in html
    assert 'name="action" value="draft"' in html
    assert 'name="action" value="finish"' in html
    assert 'type="hidden" name="version" value="0"' in html


def test_the_motivation_is_rated_one_to_five_with_radio_buttons(client_for, jw_rotterdam, held):
    html = client_for(jw_rotterdam).get(record_url(held)).content.decode()
    ratings = re.findall(r'type="radio" name="motivation_rating" value="(\d)"', html)
    assert ratings == ["1", "2", "3", "4", "5"]


def test_the_barriers_offered_are_this_young_persons_unresolved_ones(
    client_for, jw_rotterdam, held, youth
):
    open_barrier = BarrierFactory(youth=youth, kind=Barrier.Kind.DEBTS, severity=3)
    BarrierFactory(youth=youth, is_resolved=True, resolved_on=timezone.localdate())
    BarrierFactory(youth=YoungPersonFactory(youth_worker=jw_rotterdam))
    response = client_for(jw_rotterdam).get(record_url(held))
    field = response.context["form"].fields["barriers"]
    assert list(field.queryset) == [open_barrier]
    assert field.label_from_instance(open_barrier) == (
        f"{open_barrier.get_kind_display()} — {open_barrier.get_severity_display()}"
    )
    assert reverse("youth:barrier_create", args=[youth.pk]) in response.content.decode()


def test_a_draft_is_saved_with_its_barriers_and_keeps_the_outcome_reminder(
    client_for, jw_rotterdam, held, youth
):
    barrier = BarrierFactory(youth=youth)
    data = record_data(
        motivation_words="Ik wil graag met mijn handen werken.",
        motivation_rating="5",
        barriers=[barrier.pk],
        non_committal="yes",
        youth_click="yes",
        employer_click="unsure",
    )
    response = post_edit(client_for(jw_rotterdam), record_url(held), data)
    assert response.status_code == 302
    record = IntakeRecord.objects.get(meeting=held)
    assert record.status == IntakeRecord.Status.DRAFT
    assert record.motivation_rating == 5
    assert record.non_committal == "yes"
    assert (record.youth_click, record.employer_click) == ("yes", "unsure")
    assert list(record.barriers.all()) == [barrier]
    assert record.version == 1


def test_finishing_records_the_outcome_and_the_detail_shows_it(client_for, jw_rotterdam, held):
    client = client_for(jw_rotterdam)
    response = post_edit(client, record_url(held), finish_data(outcome_note="Past goed."))
    assert response.status_code == 302
    record = IntakeRecord.objects.get(meeting=held)
    assert record.status == IntakeRecord.Status.FINISHED
    assert record.finished_by == jw_rotterdam
    assert record.finished_at is not None
    detail = client.get(held.get_absolute_url())
    assert detail.context["record"] == record
    assert 'data-testid="outcome"' in detail.content.decode()
    assert "Startgesprek voorschakelprogramma" in detail.content.decode()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"outcome": ""}, "outcome"),
        ({"next_step": ""}, "next_step"),
        ({"next_step_on": ""}, "next_step_on"),
        ({"next_step_on": "2000-01-01"}, "next_step_on"),
        ({"outcome": "placement"}, "outcome_opening"),
    ],
)
def test_finishing_without_what_it_needs_is_refused_at_the_field(
    overrides, field, client_for, jw_rotterdam, held
):
    response = post_edit(client_for(jw_rotterdam), record_url(held), finish_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not IntakeRecord.objects.filter(status=IntakeRecord.Status.FINISHED).exists()


def test_finishing_a_draft_without_outcome_leaves_the_draft_as_it_was(
    client_for, jw_rotterdam, held
):
    client = client_for(jw_rotterdam)
    post_edit(client, record_url(held), record_data(motivation_words="Eerste versie"))
    response = post_edit(
        client,
        record_url(held),
        finish_data(version=1, outcome="", motivation_words="Tweede versie"),
    )
    assert "outcome" in response.context["form"].errors
    record = IntakeRecord.objects.get(meeting=held)
    assert (record.status, record.motivation_words, record.version) == ("draft", "Eerste versie", 1)


def test_the_outcome_is_recorded_after_the_meeting_not_before(client_for, jw_rotterdam, meeting):
    response = post_edit(client_for(jw_rotterdam), record_url(meeting), finish_data())
    assert "outcome" in response.context["form"].errors
    assert not IntakeRecord.objects.filter(status=IntakeRecord.Status.FINISHED).exists()


def test_a_placement_names_an_open_opening_of_the_employer_contacts_company(
    client_for, jw_rotterdam, held, opening, rotterdam
):
    other = OpeningFactory(employer=EmployerFactory(name="Ander Bedrijf", city=rotterdam))
    client = client_for(jw_rotterdam)
    field = client.get(record_url(held)).context["form"].fields["outcome_opening"]
    # The youth worker sees no employer records, yet the opening of the meeting's company is offered.
    assert opening in field.queryset
    assert other not in field.queryset
    response = post_edit(
        client, record_url(held), finish_data(outcome="placement", outcome_opening=opening.pk)
    )
    assert response.status_code == 302
    assert IntakeRecord.objects.get(meeting=held).outcome_opening == opening


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"motivation_rating": "7"}, "motivation_rating"),
        ({"youth_click": "misschien"}, "youth_click"),
        ({"outcome": "weet niet"}, "outcome"),
        ({"next_step_on": "morgen"}, "next_step_on"),
        ({"barriers": ["999999"]}, "barriers"),
        ({"version": "x"}, "version"),
    ],
)
def test_bad_record_input_gives_form_errors_not_a_server_error(
    overrides, field, client_for, jw_rotterdam, held
):
    response = post_edit(client_for(jw_rotterdam), record_url(held), record_data(**overrides))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not IntakeRecord.objects.exists()


def test_a_cancelled_intake_cannot_be_finished(client_for, jw_rotterdam, held):
    IntakeMeeting.objects.filter(pk=held.pk).update(
        status=IntakeMeeting.Status.SCHEDULED, youth_present=False, youth_worker_present=False
    )
    services.intake_cancel(meeting=held, by=jw_rotterdam, reason="Niet gekomen")
    response = post_edit(client_for(jw_rotterdam), record_url(held), finish_data())
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert not IntakeRecord.objects.filter(status=IntakeRecord.Status.FINISHED).exists()


def test_two_saves_from_the_same_version_the_second_is_refused_and_nothing_is_overwritten(
    client_for, jw_rotterdam, coord_rotterdam, held
):
    IntakeRecordFactory(meeting=held, motivation_words="Begin")
    jw, coordinator = client_for(jw_rotterdam), client_for(coord_rotterdam)
    # Both open the record at version 1; each post's fingerprint is fresh: this is the version
    # column's refusal.
    assert jw.get(record_url(held)).context["form"]["version"].value() == 1
    first = post_edit(
        jw, record_url(held), record_data(version=1, motivation_words="Van de jongerenwerker")
    )
    second = post_edit(
        coordinator, record_url(held), record_data(version=1, motivation_words="Van de coördinator")
    )
    assert first.status_code == 302
    assert second.status_code == 200
    assert second.context["form"].non_field_errors()
    record = IntakeRecord.objects.get(meeting=held)
    assert (record.motivation_words, record.version) == ("Van de jongerenwerker", 2)


def test_a_record_started_by_someone_else_meanwhile_is_not_overwritten(
    client_for, jw_rotterdam, coord_rotterdam, held
):
    form_version = client_for(jw_rotterdam).get(record_url(held)).context["form"]["version"].value()
    assert form_version == 0
    services.intake_record_save(
        meeting=held, by=coord_rotterdam, version=None, finish=False, motivation_words="Eerder"
    )
    response = post_edit(
        client_for(jw_rotterdam),
        record_url(held),
        record_data(version=form_version, motivation_words="Later"),
    )
    assert response.context["form"].non_field_errors()
    assert IntakeRecord.objects.get(meeting=held).motivation_words == "Eerder"


def test_the_database_refuses_a_finished_record_without_outcome(held):
    record = IntakeRecordFactory(meeting=held)
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeRecord.objects.filter(pk=record.pk).update(
            status=IntakeRecord.Status.FINISHED, finished_at=timezone.now()
        )


def test_the_database_refuses_a_motivation_outside_one_to_five(held):
    record = IntakeRecordFactory(meeting=held)
    with pytest.raises(IntegrityError), transaction.atomic():
        IntakeRecord.objects.filter(pk=record.pk).update(motivation_rating=6)


# session, user, (a coordinator's cities), the meeting with its people, the access log, the
# record, its barriers, its network factors, the badge, the session's save (3 with savepoints)
DETAIL_QUERIES = {"admin": 11, "coord_rotterdam": 12}


@pytest.mark.parametrize("n", [2, 12])
@pytest.mark.parametrize("role", list(DETAIL_QUERIES))
def test_the_intake_detail_keeps_its_query_count(
    n, role, cast, client_for, jw_rotterdam, opening, held, django_assert_max_num_queries
):
    """A finished record with n barriers and n network factors, all on the page."""
    IntakeMeeting.objects.filter(pk=held.pk).update(
        employer_present=True, present_contact=Contact.objects.get(employer=opening.employer)
    )
    record = IntakeRecordFactory(
        meeting=held,
        status=IntakeRecord.Status.FINISHED,
        outcome=IntakeRecord.Outcome.PLACEMENT,
        outcome_opening=opening,
        next_step="Eerste werkdag",
        next_step_on=timezone.localdate() + dt.timedelta(days=7),
        finished_at=timezone.now(),
        finished_by=jw_rotterdam,
    )
    record.barriers.set(BarrierFactory.create_batch(n, youth=held.youth))
    record.network_factors.set(NetworkFactorFactory.create_batch(n, youth=held.youth))
    client = client_for(cast[role])
    with django_assert_max_num_queries(DETAIL_QUERIES[role]):
        response = client.get(reverse("intake:intake_detail", args=[held.pk]))
    page = response.content.decode()
    assert page.count("Schulden (belemmert)") == n
    assert page.count("Oom werkt in de techniek") == n
    assert 'data-testid="outcome"' in page
