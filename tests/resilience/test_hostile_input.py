# ruff: noqa: RUF001, F811
# (hostile Unicode is the point; `world` is the permission matrix's fixture, imported)
"""Hostile input (issue 16, point 3): every form fuzzed, a corpus of payloads stored everywhere
and rendered everywhere, extra POST fields ignored, malformed URLs answered without a 5xx."""

import os
import time

import pytest
from django.core.cache import cache
from django.db import IntegrityError, transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tests.test_permission_matrix import MATRIX, world  # noqa: F401  (the fixture)

from .hostile import (
    HUGE,
    PAYLOADS,
    forms_on,
    is_html,
    pages,
    preferred_role,
    unescaped_markup,
    url_name_of,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("HOSTILE_EXAMPLES", "200"))
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,  # no .hypothesis folder
    derandomize=False,
    suppress_health_check=list(HealthCheck),
)
# Forms a fuzzer must not post to: they end the session it posts with.
NOT_FUZZED = {"logout", "set_language"}
# What a page shows when a form was not accepted: a field's error, the form's error, a message.
ERROR_MARKERS = ("invalid-feedback", "is-invalid", "alert-danger", "alert-warning", "errorlist")
UNICODE_NUMBERS = [
    "١٢",
    "１２",
    "۱۲",
    "²",
    "½",
    "Ⅻ",
    "𝟙𝟚",
    "1e309",
    "NaN",
    "-0",
    "99999999999999999999",
]
ODD_DATES = [
    "9999-12-31",
    "0001-01-01",
    "0000-00-00",
    "2026-02-30",
    "٢٠٢٦-٠١-٠١",
    "２０２６-０１-０１",
]
TEXT = st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=400), st.just(HUGE))


def _value(spec: dict, record_ids: list[int]):
    """A strategy for one field of a form, from what its HTML offers and what it does not."""
    kind, offered = spec["type"], spec["values"]
    ids = st.sampled_from(record_ids).map(str)
    hostile = st.one_of(TEXT, ids, st.integers(-(2**70), 2**70).map(str))
    if kind in ("select", "radio", "checkbox") and offered:
        one = st.one_of(st.sampled_from(offered), hostile)
        if spec["multiple"] or kind == "checkbox":
            return st.one_of(st.lists(one, max_size=4), one)
        return one
    if kind == "number":
        return st.one_of(
            st.integers(-(2**70), 2**70).map(str), st.sampled_from(UNICODE_NUMBERS), hostile
        )
    if kind == "date":
        return st.one_of(st.dates().map(str), st.sampled_from(ODD_DATES), hostile)
    if kind == "time":
        return st.one_of(
            st.times().map(lambda t: t.isoformat()), st.sampled_from(["25:61", "٠٩:٠٠"]), hostile
        )
    if kind == "file":
        return hostile  # a string where a file belongs
    return st.one_of(st.sampled_from(offered), hostile) if offered else hostile


def _post_data(inputs: dict, record_ids: list[int]):
    fields = {name: st.one_of(st.none(), _value(spec, record_ids)) for name, spec in inputs.items()}
    return st.fixed_dictionaries(fields).map(
        lambda d: {k: v for k, v in d.items() if v is not None}
    )


class UnhelpfulAnswer(AssertionError):
    """A form refused what it was sent, and said nothing about it."""


def _fuzzer(client, name: str, action: str, data_strategy, statuses: dict[int, int], nul: dict):
    """One form's property: whatever is posted, no 5xx, and a refusal says what was wrong.

    One example always runs: a NUL in every text field, which PostgreSQL cannot store."""

    @FUZZ
    @given(data=data_strategy)
    @example(data=nul)
    def post_once(data):
        cache.clear()  # no rate limit spent by the examples before
        with transaction.atomic():
            response = client.post(action, data)
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
            assert response.status_code < 500, f"{name}: {response.status_code} on {data!r}"
            # An empty POST is an unbound form (`request.POST or None`): shown again, as a GET.
            sent = any(value != [] for value in data.values())  # an empty list sends nothing
            if response.status_code == 200 and is_html(response) and sent:
                body = response.content.decode()
                if not any(marker in body for marker in ERROR_MARKERS):
                    raise UnhelpfulAnswer(f"{name}: 200 without an error message on {data!r}")
            transaction.set_rollback(True)  # every example starts from the same world

    return post_once


def discover_forms(world, client_for) -> dict[str, tuple[str, str, dict]]:
    """Every POST form the pages of the permission matrix show: url name -> (role, action, inputs).

    Found in the HTML, not listed by hand: a new form on any page is fuzzed without a change here.
    """
    found, clients = {}, {}
    for _, url, allowed in pages(world):
        role = preferred_role(allowed)
        client = clients.setdefault(role, client_for(world[role]))
        response = client.get(url)
        if response.status_code != 200 or not is_html(response):
            continue
        for form in forms_on(response.content.decode(), url):
            name = url_name_of(form.action)
            if name and name not in NOT_FUZZED and name not in found:
                found[name] = (role, form.action, form.inputs)
    return found


def _all_record_ids() -> list[int]:
    from django.apps import apps

    ids = set()
    for model in apps.get_models():
        if model._meta.app_label in {
            "youth",
            "employers",
            "intake",
            "matching",
            "buddy",
            "prep_programme",
            "accounts",
        }:
            ids.update(model.objects.values_list("pk", flat=True)[:20])
    return sorted(i for i in ids if isinstance(i, int)) or [1]


@pytest.fixture
def uninstrumented_templates(monkeypatch):
    """Templates render as in production: the test runner's instrumentation copies every
    context for every template rendered, which makes a page several times slower."""
    from django.template import Template
    from django.test.utils import _TestState

    monkeypatch.setattr(Template, "_render", _TestState.saved_data.template_render)


def test_every_form_is_fuzzed(world, client_for, figures, uninstrumented_templates):
    forms = discover_forms(world, client_for)
    # A form posted to by a button on a page of another app, or by a script, is in the matrix.
    for name, (build_args, allowed, method, *_) in MATRIX.items():
        if method == "post" and name not in forms:
            from django.urls import reverse

            forms[name] = (
                preferred_role(allowed),
                reverse(name, args=build_args(world) if build_args else None),
                {},
            )
    record_ids = _all_record_ids()
    clients = {role: client_for(world[role]) for role in {role for role, _, _ in forms.values()}}
    statuses: dict[int, int] = {}
    failures: list[str] = []
    seconds: dict[str, float] = {}
    started = time.monotonic()

    for name, (role, action, inputs) in sorted(forms.items()):
        # A NUL in every field, the hidden ids a button posts included: PostgreSQL refuses it in
        # text, so a value that reaches a text column unchecked is a 500 (the access log was).
        nul = dict.fromkeys(inputs, "a\x00b")
        strategy = _post_data(inputs, record_ids)
        post_once = _fuzzer(clients[role], name, action, strategy, statuses, nul)
        form_started = time.monotonic()
        try:
            post_once()
        except Exception as exc:  # every form is fuzzed; the failures are listed below
            # The test client raises what a view raised: an exception is a 500 to the user.
            kind = "no message" if isinstance(exc, UnhelpfulAnswer) else "5xx"
            failures.append((kind, f"{name}: {type(exc).__name__}: {str(exc)[:400]}"))
        seconds[name] = time.monotonic() - form_started

    figures.add("forms fuzzed", len(forms))
    figures.add("examples per form", EXAMPLES)
    figures.add("answers by status", ", ".join(f"{k}: {v}" for k, v in sorted(statuses.items())))
    figures.add("5xx found", sum(kind == "5xx" for kind, _ in failures))
    slowest = max(seconds, key=seconds.get)
    figures.add("slowest form", f"{slowest}, {seconds[slowest]:.1f} s")
    figures.add("forms that failed", len(failures))
    figures.add("seconds", round(time.monotonic() - started, 1))
    assert not failures, "\n".join(text for _, text in failures)


# --- The corpus stored everywhere, rendered everywhere ---------------------------------------

# Models the users write; technical rows (the outbox, the access log, seeds) are not theirs.
WRITTEN_BY_USERS = {
    "accounts",
    "employers",
    "youth",
    "intake",
    "matching",
    "buddy",
    "prep_programme",
    "dashboard",
}
NOT_FREE_TEXT = {"password", "username", "slug", "key", "kind", "object_id", "url", "link", "path"}
SKIPPED_MODELS = {"accounts.AccessEvent", "accounts.City"}
constrained: set[str] = set()  # fields a database constraint keeps from a payload
ROUNDS = 3  # round 0: every page for every role; then every page for the role that sees most


def free_text_fields():
    """Every CharField and TextField a person types into: no choices, no address or key."""
    from django.apps import apps
    from django.db import models

    for model in apps.get_models():
        if model._meta.app_label not in WRITTEN_BY_USERS or model._meta.label in SKIPPED_MODELS:
            continue
        for f in model._meta.concrete_fields:
            if (
                isinstance(f, (models.CharField, models.TextField))
                and not isinstance(f, (models.EmailField, models.URLField, models.SlugField))
                and not f.choices
                and f.name not in NOT_FREE_TEXT
                and (f.max_length or 5000) >= 7
            ):
                yield model, f


def _chunks(payloads: list[str], size: int) -> list[str]:
    """The payloads packed into values of at most `size` characters, one payload after another."""
    chunks, current = [], ""
    for payload in payloads:
        if len(payload) > size:
            continue
        if current and len(current) + 1 + len(payload) > size:
            chunks.append(current)
            current = ""
        current = f"{current}\n{payload}" if current else payload
    return [*chunks, current] if current else chunks


def _unique(model, f) -> bool:
    from django.db.models import UniqueConstraint

    together = [set(names) for names in model._meta.unique_together]
    together += [set(c.fields) for c in model._meta.constraints if isinstance(c, UniqueConstraint)]
    return f.unique or any(f.name in names for names in together)


def _write(model, f, value: str) -> int:
    if not _unique(model, f):
        return model._base_manager.update(**{f.name: value})
    rows = 0
    for pk in model._base_manager.values_list("pk", flat=True):  # one value a row
        mark = f" {pk}"
        cut = value[: (f.max_length or 5000) - len(mark)] + mark
        rows += model._base_manager.filter(pk=pk).update(**{f.name: cut})
    return rows


def store_payloads(round_: int) -> tuple[int, set[tuple[str, str]]]:
    """Write this round's chunk of the corpus into every free-text field of every record.
    Returns the rows written and the (payload, field) pairs placed."""
    storable = [p for p in PAYLOADS if "\x00" not in p]  # PostgreSQL text holds no NUL
    rows, placed = 0, set()
    constrained.clear()
    for index, (model, f) in enumerate(free_text_fields()):
        # Each field starts the corpus at another place: XSS payloads meet every kind of field.
        offset = (index * 7) % len(storable)
        chunks = _chunks(storable[offset:] + storable[:offset], min(f.max_length or 5000, 5000))
        value = chunks[round_ % len(chunks)]
        try:
            with transaction.atomic():
                rows += _write(model, f, value)
        except IntegrityError:  # a check constraint keeps the field to its shape (a KvK number)
            constrained.add(f"{model._meta.label}.{f.name}")
            continue
        placed.update((p, f"{model._meta.label}.{f.name}") for p in value.split("\n"))
    return rows, placed


def _check_page(response, where: str, problems: list[str]) -> None:
    if response.status_code >= 500:
        problems.append(f"{where}: {response.status_code}")
    elif is_html(response):
        raw = unescaped_markup(response.content.decode())
        if raw:
            problems.append(f"{where}: unescaped {raw[:3]}")
    elif response.get("Content-Type", "").startswith("text/csv"):
        import csv
        import io

        for row in csv.reader(io.StringIO(response.content.decode()), delimiter=";"):
            for cell in row:
                if cell[:1] in ("=", "@") or (
                    cell[:1] in "+-" and cell[1:2] and not cell[1].isdigit()
                ):
                    problems.append(f"{where}: a formula in a CSV cell: {cell[:40]!r}")


def _render_mail(world, problems: list[str]) -> int:
    """Plan a reminder about every kind of record, for every role; dispatch; read the mails."""
    from django.core import mail
    from django.utils import timezone

    from restart_platform.notifications.models import Reminder
    from restart_platform.notifications.services import plan_reminder, reminders_dispatch_due

    targets = ["youth", "employer", "intake", "placement", "participant", "pair"]
    roles = ["coord_rotterdam", "jw_rotterdam", "employer1", "admin"]
    mail.outbox = []
    for target in targets:
        for role in roles:
            plan_reminder(
                key=f"hostile-{target}-{role}",
                kind="general",
                due_at=timezone.now(),
                target=world[target],
                recipient=world[role],
            )
    reminders_dispatch_due()
    for reminder in Reminder.objects.filter(key__startswith="hostile-").exclude(
        status=Reminder.Status.SENT
    ):
        problems.append(f"reminder {reminder.key}: {reminder.status} {reminder.last_error[:200]}")
    for message in mail.outbox:
        for alternative, mimetype in getattr(message, "alternatives", []):
            if mimetype == "text/html" and unescaped_markup(alternative):
                problems.append(f"mail {message.subject[:60]!r}: unescaped HTML")
    return len(mail.outbox)


def test_payloads_are_escaped_everywhere(world, client_for, figures, uninstrumented_templates):
    from tests.test_permission_matrix import ROLES

    clients = {role: client_for(world[role]) for role in ROLES if role != "anonymous"}
    all_pages = pages(world)
    problems: list[str] = []
    placed: set[tuple[str, str]] = set()
    rendered = 0
    for round_ in range(ROUNDS):
        _rows, this_round = store_payloads(round_)
        placed |= this_round
        for name, url, allowed in all_pages:
            roles = clients if round_ == 0 else [preferred_role(allowed)]
            for role in roles:
                response = clients[role].get(url)
                rendered += 1
                _check_page(response, f"{name} as {role} (round {round_})", problems)
    mails = _render_mail(world, problems)

    fields = list(free_text_fields())
    figures.add("payloads", len(PAYLOADS))
    figures.add("free-text fields filled", len(fields))
    figures.add("payload x field placements", f"{len(placed)} of {len(PAYLOADS) * len(fields)}")
    figures.add("pages x roles rendered", rendered)
    figures.add("reminder mails rendered", mails)
    figures.add("fields a constraint keeps from payloads", ", ".join(sorted(constrained)) or "none")
    figures.add("problems", len(problems))
    assert not problems, "\n".join(problems[:40])


# --- Extra POST fields change nothing ----------------------------------------------------------


class _Recorder(dict):
    """The world, noting which of its records a URL's args builder reads."""

    def __init__(self, world):
        super().__init__(world)
        self.read: list[str] = []

    def __getitem__(self, key):
        self.read.append(key)
        return super().__getitem__(key)


def _edited_record(world, build_args):
    """The record an edit page edits: the one of the world its URL is built from."""
    recorder = _Recorder(world)
    pk = build_args(recorder)[0]
    record = world[recorder.read[0]]
    if record.pk == pk:
        return record
    for f in record._meta.concrete_fields:  # built from a relation: `w["pair"].mentor_id`
        if f.is_relation and getattr(record, f.attname) == pk:
            return getattr(record, f.name)
    raise LookupError(f"no record of the world has the id {pk}")


def _snapshot(record) -> dict:
    record.refresh_from_db()
    return {f.attname: getattr(record, f.attname) for f in record._meta.concrete_fields}


def _flags(users) -> dict:
    from django.contrib.auth import get_user_model

    fields = [f.attname for f in get_user_model()._meta.concrete_fields if f.name != "last_login"]
    return {
        user.pk: get_user_model().objects.filter(pk=user.pk).values(*fields).get() for user in users
    }


# Columns an edit form writes through fields of other names: an intake's date and time are its
# start and end, and a moved meeting's calendar invitation gets the next sequence number.
DERIVED = {"intake:intake_edit": {"starts_at", "ends_at", "sequence"}}


def test_extra_post_fields_change_nothing(world, client_for, figures, uninstrumented_templates):
    from employers.models import Employer

    other_employer = Employer.objects.exclude(pk=world["employer"].pk).first()
    extras = {
        "role": "admin",
        "is_staff": "on",
        "is_superuser": "on",
        "city": world["coord_dordrecht"].cities.first().pk,
        "cities": world["coord_dordrecht"].cities.first().pk,
        "organisation": world["jw_dordrecht"].organisation_id,
        "owner": world["coord_dordrecht"].pk,
        "youth_worker": world["jw_dordrecht"].pk,
        "coordinator": world["coord_dordrecht"].pk,
        "created_by": world["coord_dordrecht"].pk,
        "user": world["employer2"].pk,
        "employer": other_employer.pk,
        "id": 999_999,
        "pk": 999_999,
        "merged_into": 999_999,
    }
    users = [
        world[role]
        for role in ("admin", "coord_rotterdam", "jw_rotterdam", "employer1", "employer2")
    ]
    flags_before = _flags(users)
    forms = discover_forms(world, client_for)
    edit_forms = {
        name: form for name, form in forms.items() if name.endswith("_edit") and MATRIX[name][0]
    }
    changed, sent, saved = [], 0, 0
    for name, (role, action, inputs) in sorted(edit_forms.items()):
        record = _edited_record(world, MATRIX[name][0])
        before = _snapshot(record)
        client = client_for(world[role])
        page = [
            f
            for f in forms_on(client.get(action).content.decode(), action)
            if url_name_of(f.action) == name
        ]
        if not page:  # an earlier post moved the record out of this role's sight
            changed.append(f"{name}: the edit page no longer shows its form to {role}")
            continue
        data = page[0].initial_data()
        added = {key: value for key, value in extras.items() if key not in inputs}
        response = client.post(action, {**data, **added})
        assert response.status_code < 500, name
        saved += response.status_code == 302
        sent += len(added)
        after = _snapshot(record)
        own = {record._meta.get_field(key).attname for key in inputs if _is_field(record, key)}
        moving = {"updated_at", "version", "modified_at", "last_activity_at"}
        moving |= DERIVED.get(name, set())
        for attname, value in before.items():
            if attname not in own and attname not in moving and after[attname] != value:
                changed.append(f"{name}: {attname} {value!r} -> {after[attname]!r}")
    flags_after = _flags(users)

    figures.add("edit forms posted with extra fields", len(edit_forms))
    figures.add("of them saved", saved)
    figures.add("extra fields sent", sent)
    figures.add("fields changed that the form does not hold", len(changed))
    assert saved >= len(edit_forms) // 2, "most edit forms should save their own values again"
    assert not changed, "\n".join(changed)
    assert flags_after == flags_before, "a user's role or flags changed"


def _is_field(record, name: str) -> bool:
    from django.core.exceptions import FieldDoesNotExist

    try:
        return record._meta.get_field(name).concrete
    except FieldDoesNotExist:
        return False


# --- Malformed ids, page numbers, sort keys and filters ----------------------------------------

MALFORMED_IDS = [
    "0",
    "-1",
    "99999999999999999999",
    "abc",
    "１２３",
    "%00",
    "9" * 300,
    "1.5",
    "%2e%2e",
]
GARBAGE = ["abc", "99999999999999999999", "١٢", '<b id="xss-q">']
QUERIES = [
    "page=0",
    "page=-1",
    "page=abc",
    "page=99999",
    "page=１",
    "page=99999999999999999999",
    "sort=%3Cgarbage%3E",
    "sort=-__class__",
    "ordering=__str__",
    "order=password",
    "q=%3Cb%20id%3D%22xss-q%22%3E",
    "q=%00",
    "q=" + "a" * 5000,
]


def _with_arg(name: str, args: list, index: int, value: str) -> str:
    """The page's URL with one of its args replaced: a path segment, whatever its converter."""
    from django.urls import reverse

    segments = reverse(name, args=args).split("/")
    at = next(i for i, segment in enumerate(segments) if str(args[index]) in segment)
    segments[at] = segments[at].replace(str(args[index]), value, 1)
    return "/".join(segments)


def test_malformed_urls(world, client_for, figures, uninstrumented_templates):
    from urllib.parse import quote

    problems, asked, by_status = [], 0, {}
    clients = {}

    def ask(name, url, role):
        nonlocal asked
        client = clients.setdefault(role, client_for(world[role]))
        method = MATRIX[name][2]
        asked += 1
        try:
            response = getattr(client, method)(url)
        except Exception as exc:  # the test client raises what the view raised: a 500
            problems.append(f"{name} {url[:120]}: 500, {type(exc).__name__}: {exc}")
            return None
        by_status[response.status_code] = by_status.get(response.status_code, 0) + 1
        if response.status_code >= 500:
            problems.append(f"{name} {url[:120]}: {response.status_code}")
        elif is_html(response) and unescaped_markup(response.content.decode()):
            problems.append(f"{name} {url[:120]}: unescaped markup")
        return response

    for name, (build_args, allowed, method, *_) in sorted(MATRIX.items()):
        role = preferred_role(allowed)
        if build_args:
            args = build_args(world)
            for index in range(len(args)):
                for value in MALFORMED_IDS:
                    ask(name, _with_arg(name, args, index, quote(value, safe="%")), role)
        if method != "get":
            continue
        from django.urls import reverse

        url = reverse(name, args=build_args(world) if build_args else None)
        page = ask(name, url, role)
        queries = list(QUERIES)
        if page is not None and page.status_code == 200 and is_html(page):
            for form in forms_on(page.content.decode(), url, method="get"):
                for param in form.inputs:
                    queries += [f"{param}={quote(value)}" for value in GARBAGE]
        for query in dict.fromkeys(queries):
            ask(name, f"{url}?{query}", role)

    figures.add("malformed URLs asked", asked)
    figures.add("answers by status", ", ".join(f"{k}: {v}" for k, v in sorted(by_status.items())))
    figures.add("5xx or unescaped", len(problems))
    assert not problems, "\n".join(problems[:40])
