"""The shared rules for what a person types: dates in a plausible range for their kind, text
within a length, ids from a query string in ASCII digits. Every form of the project uses them."""

import datetime as dt
import importlib
import inspect

import pytest
from django import forms
from django.core.exceptions import ValidationError

from restart_platform.dates import DateKind, check_plausible_date
from restart_platform.forms import TEXT_MAX_LENGTH, BoundedInputMixin
from restart_platform.view_helpers import id_from_query

TODAY = dt.date(2026, 6, 15)
FORM_MODULES = [
    "employers.forms",
    "youth.forms",
    "intake.forms",
    "matching.forms",
    "prep_programme.forms",
    "restart_platform.forms",
    "restart_platform.accounts.forms",
]


@pytest.mark.parametrize(
    ("kind", "value", "plausible"),
    [
        (DateKind.HAPPENED, dt.date(2000, 1, 1), True),
        (DateKind.HAPPENED, dt.date(1999, 12, 31), False),
        (DateKind.HAPPENED, dt.date(1, 1, 1), False),
        (DateKind.HAPPENED, TODAY, True),
        (DateKind.HAPPENED, TODAY + dt.timedelta(days=1), False),
        (DateKind.PLANNED, dt.date(2036, 6, 15), True),
        (DateKind.PLANNED, dt.date(2036, 6, 16), False),
        (DateKind.PLANNED, dt.date(9999, 12, 31), False),
        (DateKind.BIRTH, dt.date(2008, 2, 29), True),
        (DateKind.BIRTH, dt.date(1900, 1, 1), False),
        (DateKind.BIRTH, TODAY + dt.timedelta(days=1), False),
    ],
)
def test_a_date_is_plausible_only_within_the_range_of_its_kind(kind, value, plausible):
    if plausible:
        assert check_plausible_date(value, kind, today=TODAY) == value
    else:
        with pytest.raises(ValidationError):
            check_plausible_date(value, kind, today=TODAY)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        ("²", None),
        ("١٢", None),
        ("-1", None),
        ("1e3", None),
        ("", None),
        ("9" * 40, None),
    ],
)
def test_ids_from_the_query_string_are_ascii_digits_only(value, expected):
    assert id_from_query(value) == expected


def _project_forms():
    for name in FORM_MODULES:
        module = importlib.import_module(name)
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if issubclass(cls, forms.BaseForm) and cls.__module__ == name and cls.base_fields:
                yield cls


def _needs_bounds(cls) -> list[str]:
    return [
        name
        for name, field in cls.base_fields.items()
        if (isinstance(field, forms.CharField) and field.max_length is None)
        or isinstance(field, forms.DateField)
    ]


def test_every_form_with_free_text_or_a_date_uses_the_shared_bounds():
    unbounded = {
        cls.__qualname__: fields
        for cls in _project_forms()
        if (fields := _needs_bounds(cls)) and not issubclass(cls, BoundedInputMixin)
    }
    assert unbounded == {}
    assert len(list(_project_forms())) > 20  # the walk found the project's forms


class _NoteForm(BoundedInputMixin, forms.Form):
    note = forms.CharField(widget=forms.Textarea)
    title = forms.CharField()
    on = forms.DateField()


def test_free_text_is_limited_with_a_dutch_message():
    form = _NoteForm({"note": "x" * 100_000, "title": "y" * 1_000, "on": "2026-01-01"})
    assert not form.is_valid()
    assert f"niet meer dan {TEXT_MAX_LENGTH} tekens" in form.errors["note"][0]
    assert "niet meer dan 300 tekens" in form.errors["title"][0]
    assert form.fields["note"].widget.attrs["maxlength"] == str(TEXT_MAX_LENGTH)


def test_a_date_field_without_a_kind_is_a_planned_date():
    form = _NoteForm({"note": "x", "title": "y", "on": "9999-12-31"})
    assert not form.is_valid()
    assert "Geef een datum tussen" in form.errors["on"][0]


@pytest.mark.parametrize(
    ("value", "ours"),
    [
        ("/youth/1/", True),
        ("/matching/?page=2", True),
        ("", False),
        ("matching:matching_home", False),  # redirect() would take it for a URL name
        ('<img src=x onerror=alert("xss")>', False),
        ("https://evil.example/", False),
        ("//evil.example/", False),
    ],
)
def test_a_next_url_is_a_path_on_this_site_never_a_word_redirect_would_reverse(rf, value, ours):
    from restart_platform.view_helpers import is_our_path, safe_next_url

    request = rf.post("/", {"next": value})
    assert is_our_path(request, value) is ours
    assert safe_next_url(request) == (value if ours else None)
