"""The guard of every edit form (restart_platform.stale_edits), on one of them: the story.

The resilience suite (`make prove`) walks every edit form with two people, on PostgreSQL; this
keeps the guard's rules in `make test`."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from employers import services
from employers.models import Employer
from restart_platform.dashboard.models import Story
from restart_platform.stale_edits import FINGERPRINT_FIELD, STALE_MESSAGE
from tests.edits import shown_as, shown_of
from tests.employers.factories import EmployerFactory
from youth import services as youth_services
from youth.factories import YoungPersonFactory
from youth.models import YoungPerson

pytestmark = pytest.mark.django_db


@pytest.fixture
def story(jw_rotterdam, rotterdam, coord_rotterdam):
    youth = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)
    return Story.objects.create(
        youth=youth, title="Eerste titel", text="Begon als stagiair.", created_by=coord_rotterdam
    )


def data(story, title: str, **extra) -> dict:
    return {"youth": story.youth_id, "title": title, "text": story.text, **extra}


def test_a_save_over_a_change_made_since_the_page_was_shown_is_refused(story, client_for, cast):
    url = reverse("dashboard:story_edit", args=[story.pk])
    first, second = client_for(cast["coord_rotterdam"]), client_for(cast["coord_rotterdam2"])
    seen_by_first, seen_by_second = shown_as(first, url), shown_as(second, url)
    assert seen_by_first == seen_by_second

    assert first.post(url, data(story, "Van A", **seen_by_first)).status_code == 302
    refused = second.post(url, data(story, "Van B", **seen_by_second))

    assert refused.status_code == 200
    form = refused.context["form"]
    assert form.non_field_errors() == [str(STALE_MESSAGE)]
    assert form["title"].value() == "Van B"  # B's input is kept, not thrown away
    assert form.stored_now == {"title": "Van A"}  # and the field says what is stored now
    assert "Nu opgeslagen: Van A" in refused.content.decode()
    assert form[FINGERPRINT_FIELD].value() != seen_by_second[FINGERPRINT_FIELD]
    story.refresh_from_db()
    assert story.title == "Van A"


def test_a_stored_value_under_a_refused_field_is_escaped(story, client_for, coord_rotterdam):
    url = reverse("dashboard:story_edit", args=[story.pk])
    client = client_for(coord_rotterdam)
    old = shown_as(client, url)
    Story.objects.filter(pk=story.pk).update(title="<script>alert(1)</script>")
    page = client.post(url, data(story, "Mijn titel", **old)).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_saving_again_after_looking_is_allowed(story, client_for, coord_rotterdam):
    url = reverse("dashboard:story_edit", args=[story.pk])
    client = client_for(coord_rotterdam)
    old = shown_as(client, url)
    Story.objects.filter(pk=story.pk).update(title="Intussen")
    refused = client.post(url, data(story, "Mijn titel", **old))
    form = refused.context["form"]
    assert form["title"].value() == "Mijn titel"
    fresh = {FINGERPRINT_FIELD: form[FINGERPRINT_FIELD].value()}
    assert client.post(url, data(story, "Mijn titel", **fresh)).status_code == 302
    story.refresh_from_db()
    assert story.title == "Mijn titel"


@pytest.mark.parametrize("fingerprint", [None, "", "garbled", "x" * 5000])
def test_a_missing_or_garbled_fingerprint_saves_nothing_and_says_why(
    fingerprint, story, client_for, coord_rotterdam
):
    url = reverse("dashboard:story_edit", args=[story.pk])
    posted = data(story, "Met de hand")
    if fingerprint is not None:
        posted[FINGERPRINT_FIELD] = fingerprint
    response = client_for(coord_rotterdam).post(url, posted)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [str(STALE_MESSAGE)]
    story.refresh_from_db()
    assert story.title == "Eerste titel"


def test_a_change_to_a_field_the_form_does_not_edit_does_not_make_the_page_stale(
    story, client_for, coord_rotterdam, admin
):
    url = reverse("dashboard:story_edit", args=[story.pk])
    client = client_for(coord_rotterdam)
    seen = shown_as(client, url)
    Story.objects.filter(pk=story.pk).update(created_by=admin)  # not on the form
    assert client.post(url, data(story, "Nieuwe titel", **seen)).status_code == 302


def test_a_new_record_has_nothing_to_guard(client_for, coord_rotterdam):
    form = client_for(coord_rotterdam).get(reverse("dashboard:story_create")).context["form"]
    assert FINGERPRINT_FIELD not in form.fields


class TestOneClickActions:
    """A one-click form (a stage, a journey, a caseload, a next action) carries the fingerprint
    of what it acts on; the service refuses it once someone else has changed that."""

    @pytest.fixture
    def employer(self, rotterdam, coord_rotterdam):
        return EmployerFactory(city=rotterdam, owner=coord_rotterdam)

    def test_a_stage_move_from_a_stage_someone_else_left_is_refused(
        self, employer, client_for, coord_rotterdam
    ):
        url = reverse("employers:employer_move_stage", args=[employer.pk])
        seen = shown_of(employer, "stage")
        services.employer_move_stage(employer=employer, to_stage="contacted", by=coord_rotterdam)
        response = client_for(coord_rotterdam).post(
            url, {"stage": "committed", **seen}, follow=True
        )
        assert [str(m) for m in response.context["messages"]] == [str(STALE_MESSAGE)]
        assert Employer.objects.get(pk=employer.pk).stage == "contacted"

    def test_the_board_refuses_a_stale_card_and_shows_it_as_it_is(
        self, employer, client_for, coord_rotterdam
    ):
        url = reverse("employers:employer_move_stage", args=[employer.pk])
        seen = shown_of(employer, "stage")
        services.employer_move_stage(employer=employer, to_stage="contacted", by=coord_rotterdam)
        response = client_for(coord_rotterdam).post(
            url, {"stage": "committed", "filters": "", **seen}, HTTP_HX_REQUEST="true"
        )
        assert response.context["error"] == str(STALE_MESSAGE)
        employer.refresh_from_db()
        assert employer.stage == "contacted"
        # The card now carries the fingerprint of the stage it shows: moving again works.
        again = client_for(coord_rotterdam).post(
            url,
            {"stage": "committed", "filters": "", **shown_of(employer, "stage")},
            HTTP_HX_REQUEST="true",
        )
        assert again.context["error"] is None
        assert shown_of(employer, "stage")[FINGERPRINT_FIELD] in response.content.decode()

    @pytest.mark.parametrize("fingerprint", [None, "", "garbled", "x" * 5000])
    def test_a_move_without_a_true_fingerprint_changes_nothing(
        self, fingerprint, employer, client_for, coord_rotterdam
    ):
        posted = {"stage": "contacted"}
        if fingerprint is not None:
            posted[FINGERPRINT_FIELD] = fingerprint
        url = reverse("employers:employer_move_stage", args=[employer.pk])
        response = client_for(coord_rotterdam).post(url, posted, follow=True)
        assert response.status_code == 200
        assert [m.level_tag for m in response.context["messages"]] == ["error"]
        assert Employer.objects.get(pk=employer.pk).stage == "lead"

    def test_a_next_action_over_someone_elses_is_refused(
        self, employer, client_for, coord_rotterdam
    ):
        url = reverse("employers:employer_next_action", args=[employer.pk])
        client = client_for(coord_rotterdam)
        detail = client.get(employer.get_absolute_url()).context["next_action_form"]
        seen = {FINGERPRINT_FIELD: detail[FINGERPRINT_FIELD].value()}
        due = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
        first = client.post(url, {"next_action": "Bellen", "next_action_due": due, **seen})
        assert first.status_code == 302
        client.post(url, {"next_action": "Mailen", "next_action_due": due, **seen})
        assert Employer.objects.get(pk=employer.pk).next_action == "Bellen"

    def test_a_journey_change_over_someone_elses_is_refused(
        self, client_for, jw_rotterdam, rotterdam
    ):
        youth = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)
        client = client_for(jw_rotterdam)
        detail = client.get(youth.get_absolute_url()).context["journey_form"]
        seen = {FINGERPRINT_FIELD: detail[FINGERPRINT_FIELD].value()}
        url = reverse("youth:youth_journey", args=[youth.pk])
        assert client.post(url, {"to_status": "intake", **seen}).status_code == 302
        client.post(url, {"to_status": "left", "reason": "Verhuisd", **seen})
        assert YoungPerson.objects.get(pk=youth.pk).journey == "intake"

    def test_a_caseload_move_over_someone_elses_is_refused(
        self, client_for, coord_rotterdam, jw_rotterdam, jw_rotterdam2, rotterdam
    ):
        youth = YoungPersonFactory(youth_worker=jw_rotterdam, city=rotterdam)
        client = client_for(coord_rotterdam)
        detail = client.get(youth.get_absolute_url()).context["move_form"]
        seen = {FINGERPRINT_FIELD: detail[FINGERPRINT_FIELD].value()}
        url = reverse("youth:youth_move_caseload", args=[youth.pk])
        youth_services.youth_move_caseload(youth=youth, to_worker=jw_rotterdam2, by=coord_rotterdam)
        response = client.post(url, {"to_worker": jw_rotterdam.pk, **seen}, follow=True)
        assert [str(m) for m in response.context["messages"]] == [str(STALE_MESSAGE)]
        assert YoungPerson.objects.get(pk=youth.pk).youth_worker == jw_rotterdam2

    def test_a_caller_without_a_page_acts_on_the_row_as_it_is(self, employer, coord_rotterdam):
        moved = services.employer_move_stage(
            employer=employer, to_stage="contacted", by=coord_rotterdam
        )
        assert moved.stage == "contacted"
