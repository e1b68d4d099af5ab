"""The guard of every edit form (restart_platform.stale_edits), on one of them: the story.

The resilience suite (`make prove`) walks every edit form with two people, on PostgreSQL; this
keeps the guard's rules in `make test`."""

import pytest
from django.urls import reverse

from restart_platform.dashboard.models import Story
from restart_platform.stale_edits import FINGERPRINT_FIELD, STALE_MESSAGE
from tests.edits import shown_as
from youth.factories import YoungPersonFactory

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
    assert form["title"].value() == "Van A"  # the form shows what is stored now
    assert form[FINGERPRINT_FIELD].value() != seen_by_second[FINGERPRINT_FIELD]
    story.refresh_from_db()
    assert story.title == "Van A"


def test_saving_again_after_looking_is_allowed(story, client_for, coord_rotterdam):
    url = reverse("dashboard:story_edit", args=[story.pk])
    client = client_for(coord_rotterdam)
    old = shown_as(client, url)
    Story.objects.filter(pk=story.pk).update(title="Intussen")
    refused = client.post(url, data(story, "Mijn titel", **old))
    fresh = {FINGERPRINT_FIELD: refused.context["form"][FINGERPRINT_FIELD].value()}
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
