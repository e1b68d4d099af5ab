"""Two people save the same record: the second is told, and nothing of the first is overwritten.

The edit forms are found, not listed: every page of the permission matrix is opened by a role
that may, and every form on it that edits a stored record (a model form bound to a saved row,
a page named *_edit, or a form that carries a guard) must carry one. Then two people open each
such page, A saves a change, and B saves another one from the page as B saw it.
"""

import datetime as dt
import html
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.forms.models import BaseModelForm
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from buddy.models import BuddyProfile
from employers.models import DemandProfile
from intake.models import IntakeRecord
from matching.models import Share
from restart_platform.stale_edits import (
    FINGERPRINT_FIELD,
    STALE_MESSAGE,
    ShownRecordMixin,
)
from tests.concurrency import post_each_at_once
from tests.edits import shown_of
from tests.test_permission_matrix import MATRIX, world  # noqa: F401  (the fixture)
from youth.factories import ConsentFactory, YoungPersonFactory
from youth.models import Consent

pytestmark = pytest.mark.django_db

# Who opens a page: the first of these the matrix allows there.
OPENERS = ["coord_rotterdam", "jw_rotterdam", "employer1", "admin"]
GUARDS = {FINGERPRINT_FIELD}
# The text field each person changes, where the first text field of the form is not one to edit
# alone (a name that then needs a role).
CHANGED = {"intake:intake_attendance": "third_party_name"}


class PostForms(HTMLParser):
    """The POST forms of a page, with what a browser would send untouched: every value of an
    input, a checked box or radio, the selected options (or a single select's first), a text
    area."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[dict[str, list[str]]] = []
        self._in_post = False
        self._select = self._textarea = None
        self._multiple = False
        self._first = None

    def handle_starttag(self, tag, attrs):
        attrs = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._in_post = attrs.get("method", "get").lower() == "post"
            if self._in_post:
                self.forms.append({})
            return
        if not self._in_post:
            return
        fields = self.forms[-1]
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text").lower()
            if kind in {"checkbox", "radio"} and "checked" not in attrs:
                return
            if kind not in {"submit", "button", "file", "image", "reset"}:
                fields.setdefault(name, []).append(
                    attrs.get("value", "on" if kind == "checkbox" else "")
                )
        elif tag == "select" and name:
            self._select, self._multiple, self._first = name, "multiple" in attrs, None
        elif tag == "option" and self._select:
            if self._first is None:
                self._first = attrs.get("value", "")
            if "selected" in attrs:
                fields.setdefault(self._select, []).append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            fields[name] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_post = False
        elif tag == "select" and self._select:
            if not self._multiple and self._select not in self.forms[-1]:
                self.forms[-1][self._select] = [self._first or ""]
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the newline that opens a text area's content.
            value = self.forms[-1][self._textarea][0]
            self.forms[-1][self._textarea][0] = value.removeprefix("\n")
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.forms[-1][self._textarea][0] += data


def form_with(page: str, field: str) -> dict[str, list[str]] | None:
    parser = PostForms()
    parser.feed(page)
    return next((fields for fields in parser.forms if field in fields), None)


def context_forms(response) -> list[forms.BaseForm]:
    found = []
    for context in response.context or []:
        for value in context.flatten().values():
            if isinstance(value, forms.BaseForm) and value not in found:
                found.append(value)
    return found


def edits_a_record(name: str, form: forms.BaseForm) -> bool:
    if isinstance(form, ShownRecordMixin):  # a one-click form, posted elsewhere: see below
        return False
    bound_to_a_row = isinstance(form, BaseModelForm) and form.instance.pk is not None
    return bound_to_a_row or name.endswith("_edit") or bool(GUARDS & set(form.fields))


def change_of(name: str, form: forms.BaseForm) -> tuple[str, list[str], list[str]]:
    """The field A and B each change, and what each of them sets it to: a text, or else a
    different choice of a multiple choice."""
    # Each page its own texts: a second page over the same record (the portal's) must change it.
    by_a, by_b = [f"Versie van A, {name}"], [f"Versie van B, {name}"]
    if name in CHANGED:
        return CHANGED[name], by_a, by_b
    for field_name, field in form.fields.items():
        plain_text = type(field) is forms.CharField and not isinstance(
            field.widget, forms.HiddenInput
        )
        if plain_text and (field.max_length or 100) >= 60:
            return field_name, by_a, by_b
    for field_name, field in form.fields.items():
        if isinstance(field, forms.MultipleChoiceField | forms.ModelMultipleChoiceField):
            values = [str(value) for value, _label in field.choices if value != ""][:2]
            if len(values) == 2:
                return field_name, values[:1], values[1:]
    raise AssertionError(f"{name}: no field to change")


@pytest.fixture
def edit_world(world):  # noqa: F811
    """The matrix's world, with the records the profile pages edit (they start absent there)."""
    DemandProfile.objects.create(employer=world["employer"], roles="Magazijn")
    BuddyProfile.objects.create(youth=world["youth"])
    IntakeRecord.objects.create(meeting=world["intake"], motivation_words="Wil werken")
    return world


def edit_pages(records):
    """(URL name, opener, URL, form) for every page with a form that edits a stored record."""
    for name, (build_args, allowed, method, *_rest) in sorted(MATRIX.items()):
        opener = next((role for role in OPENERS if role in allowed), None)
        if method != "get" or opener is None:
            continue
        url = reverse(name, args=build_args(records) if build_args else None)
        client = Client()
        client.force_login(records[opener])
        response = client.get(url)
        assert response.status_code < 500, f"{name}: {response.status_code}"
        for form in context_forms(response):
            if edits_a_record(name, form):
                yield name, records[opener], url, form


def is_text(change: list[str]) -> bool:
    return change[0].startswith("Versie van")


def as_post(fields: dict[str, list[str]], **changes) -> dict:
    return fields | changes


def stored_value(client: Client, url: str, guard: str, field: str) -> list[str] | None:
    return form_with(client.get(url).content.decode(), guard).get(field)


def stale_message_shown(response) -> bool:
    with translation.override("nl"):  # a request in this thread may have switched it
        return html.escape(str(STALE_MESSAGE)) in response.content.decode()


def test_every_edit_form_refuses_a_save_over_someone_elses(edit_world, figures):
    covered, overwrites, problems = [], 0, []
    for name, user, url, form in edit_pages(edit_world):
        guard = next((field for field in form.fields if field in GUARDS), None)
        if guard is None:
            problems.append(f"{name}: its form {type(form).__name__} has no guard")
            continue
        field, by_a, by_b = change_of(name, form)
        person_a, person_b = Client(), Client()
        person_a.force_login(user)
        person_b.force_login(user)
        shown_to_a = form_with(person_a.get(url).content.decode(), guard)
        shown_to_b = form_with(person_b.get(url).content.decode(), guard)
        if shown_to_a is None or shown_to_b is None:
            problems.append(f"{name}: the page does not render the guard field {guard}")
            continue

        saved = person_a.post(url, as_post(shown_to_a, **{field: by_a}))
        if saved.status_code != 302:
            errors = saved.context and [f.errors for f in context_forms(saved)]
            problems.append(f"{name}: A's save answered {saved.status_code}: {errors}")
            continue
        refused = person_b.post(url, as_post(shown_to_b, **{field: by_b}))
        overwrites += stored_value(person_a, url, guard, field) != by_a
        if refused.status_code != 200 or not stale_message_shown(refused):
            problems.append(f"{name}: B's save over A's answered {refused.status_code}")
        elif form_with(refused.content.decode(), guard).get(field) != by_b:
            problems.append(f"{name}: the refused form does not keep B's input")
        elif is_text(by_a) and html.escape(by_a[0]) not in refused.content.decode():
            problems.append(f"{name}: the refused form does not say what is stored now")

        for fingerprint in (None, "garbled"):
            data = as_post(shown_to_b, **{field: by_b})
            data.pop(guard) if fingerprint is None else data.update({guard: fingerprint})
            answer = person_b.post(url, data)
            if answer.status_code != 200 or not (
                stale_message_shown(answer)
                or re.search(r"invalid-feedback|errorlist", str(answer.content))
            ):
                problems.append(
                    f"{name}: a POST with fingerprint {fingerprint!r} answered {answer.status_code}"
                )
        overwrites += stored_value(person_a, url, guard, field) != by_a
        covered.append(name)

    figures.add("edit forms covered", len(covered))
    figures.add("overwrites", overwrites)
    figures.add("edit pages", ", ".join(covered))
    assert not problems, "\n".join(problems)
    assert overwrites == 0
    assert len(covered) >= 18  # the edit pages known today: a discovery that lost some fails


@pytest.mark.django_db(transaction=True)
def test_two_saves_at_the_same_moment_keep_one_and_tell_the_other(edit_world, figures):
    """Both pages were opened before either saved, and both saves arrive together: the check
    when the form is cleaned passes for both, so the row's lock must keep the second out."""
    pages = [(name, user, url, form) for name, user, url, form in edit_pages(edit_world)]
    both_saved, problems = 0, []
    for name, user, url, form in pages:
        field, by_a, by_b = change_of(name, form)
        person_a, person_b = (
            Client(raise_request_exception=False),
            Client(raise_request_exception=False),
        )
        person_a.force_login(user)
        person_b.force_login(user)
        shown_to_a = form_with(person_a.get(url).content.decode(), FINGERPRINT_FIELD)
        shown_to_b = form_with(person_b.get(url).content.decode(), FINGERPRINT_FIELD)
        answers = post_each_at_once(
            [
                (person_a, url, as_post(shown_to_a, **{field: by_a})),
                (person_b, url, as_post(shown_to_b, **{field: by_b})),
            ]
        )
        statuses = sorted(answer.status_code for answer in answers)
        both_saved += statuses == [302, 302]
        winner = by_a if answers[0].status_code == 302 else by_b
        loser = answers[1] if winner is by_a else answers[0]
        if statuses != [200, 302] or not stale_message_shown(loser):
            problems.append(f"{name}: the two saves answered {statuses}")
        elif stored_value(person_a, url, FINGERPRINT_FIELD, field) != winner:
            problems.append(f"{name}: what is stored is not what the one saved")

    figures.add("edit forms saved twice at once", len(pages))
    figures.add("both saves kept (overwrites)", both_saved)
    assert not problems, "\n".join(problems)
    assert both_saved == 0
    assert len(pages) >= 18


def one_click_actions(records) -> list[tuple[str, str, list, dict, dict, object]]:
    """(name, opener, URL args, what A sends, what B sends, the record) for every one-click
    action over a record: both from the same page, so with the same fingerprint."""
    soon = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    return [
        (
            "employers:employer_move_stage",
            "coord_rotterdam",
            [records["employer"].pk],
            {"stage": "contacted"},
            {"stage": "committed"},
            (records["employer"], "stage"),
        ),
        (
            "employers:employer_next_action",
            "coord_rotterdam",
            [records["employer"].pk],
            {"next_action": "Bellen (A)", "next_action_due": soon},
            {"next_action": "Mailen (B)", "next_action_due": soon},
            (records["employer"], "next_action", "next_action_due"),
        ),
        (
            "youth:youth_journey",
            "jw_rotterdam",
            [records["youth"].pk],
            {"to_status": "intake"},
            {"to_status": "left", "reason": "Verhuisd (B)"},
            (records["youth"], "journey"),
        ),
        (
            "prep_programme:participant_move_phase",
            "coord_rotterdam",
            [records["participant"].pk],
            {"note": "Door (A)"},
            {"note": "Door (B)"},
            (records["participant"], "phase"),
        ),
        (
            "candidates:candidate_answer",
            "employer1",
            [records["open_share"].token],
            {"answer": "interested"},
            {"answer": "not_now", "reason": "Geen plek (B)"},
            (records["open_share"], "answer", "answer_reason"),
        ),
    ]


def outcome(client: Client, response) -> str:
    """What the person was told: a refusal shows the form again or sends them to the record's
    page with the message; a success sends them on."""
    if response.status_code == 302:
        followed = client.get(response["Location"])
        return "refused" if stale_message_shown(followed) else "applied"
    if response.status_code == 200 and stale_message_shown(response):
        return "refused"
    errors = [form.errors for form in context_forms(response)] if response.context else ""
    return f"{response.status_code} without the message: {errors}"


@pytest.mark.django_db(transaction=True)
def test_one_click_actions_sent_at_once_from_one_page_apply_once(world, figures):  # noqa: F811
    """A stage, a next action, a journey, a phase and an employer's answer: two people act on
    the page as they both saw it, at the same moment. One is applied, the other is told."""
    share = world["share"]
    not_placed = YoungPersonFactory(youth_worker=world["jw_rotterdam"], city=share.youth.city)
    ConsentFactory(youth=not_placed, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS)
    world["open_share"] = Share.objects.create(
        youth=not_placed, opening=share.opening, shared_by=share.shared_by
    )
    problems, applied_twice = [], 0
    for name, opener, args, by_a, by_b, (record, *fields) in one_click_actions(world):
        record.refresh_from_db()
        shown = shown_of(record, *fields)
        person_a, person_b = Client(), Client()
        person_a.force_login(world[opener])
        person_b.force_login(world[opener])
        url = reverse(name, args=args)
        answers = post_each_at_once([(person_a, url, by_a | shown), (person_b, url, by_b | shown)])
        told = [outcome(person_a, answers[0]), outcome(person_b, answers[1])]
        applied_twice += told == ["applied", "applied"]
        if sorted(told) != ["applied", "refused"]:
            problems.append(f"{name}: {told}")
    figures.add("one-click actions raced", len(one_click_actions(world)))
    figures.add("applied twice", applied_twice)
    assert not problems, "\n".join(problems)
