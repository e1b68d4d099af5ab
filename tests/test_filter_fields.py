"""The filter fields every list page renders (restart_platform.filter_fields): the markup the
forms had through crispy-forms, with every value escaped."""

import datetime as dt

from django import forms
from django.template import engines

from restart_platform.forms import DATE_INPUT

TEMPLATE = engines["django"].from_string(
    "{% load filter_fields %}{% for field in form %}{{ field|filter_field }}{% endfor %}"
)


class Filters(forms.Form):
    q = forms.CharField(label="Zoeken", required=False, max_length=50, help_text="Naam of <b>")
    city = forms.ChoiceField(
        label="Stad", required=False, choices=[("", "Alle steden"), ("1", "R'dam <&>")]
    )
    since = forms.DateField(label="Vanaf", required=False, widget=DATE_INPUT)
    due = forms.BooleanField(label="Alleen te laat", required=False)
    many = forms.MultipleChoiceField(label="Meer", required=False, choices=[("a", "A")])


def render(data=None) -> str:
    form = Filters(data)
    form.is_valid()
    return TEMPLATE.render({"form": form})


def test_each_kind_of_field_renders_with_its_label_and_bootstrap_classes():
    page = render()
    assert '<label for="id_q" class="form-label">Zoeken</label>' in page
    assert (
        '<input type="text" maxlength="50" name="q" id="id_q" class="textinput form-control"'
        in page
    )
    assert '<select name="city" id="id_city" class="select form-select">' in page
    assert '<option value="" selected>Alle steden</option>' in page
    assert 'type="date"' in page
    assert 'class="dateinput form-control"' in page
    assert 'class="checkboxinput form-check-input"' in page
    assert " checked" not in page
    assert 'name="many"' in page  # another widget falls back to crispy-forms


def test_what_was_asked_is_shown_again():
    page = render({"q": "Noor", "city": "1", "since": "2026-01-02", "due": "on"})
    assert 'value="Noor"' in page
    assert '<option value="1" selected>' in page
    assert f'value="{dt.date(2026, 1, 2).isoformat()}"' in page
    assert 'id="id_due" class="checkboxinput form-check-input" checked' in page


def test_every_value_label_and_help_text_is_escaped():
    page = render({"q": '"><script>alert(1)</script>'})
    assert "<script>" not in page
    assert "&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "R&#x27;dam &lt;&amp;&gt;" in page
    assert "Naam of &lt;b&gt;" in page


def test_an_invalid_choice_is_marked_and_says_why():
    page = render({"city": "99", "since": "9999-99-99"})
    assert 'class="select form-select is-invalid" aria-invalid="true"' in page
    assert 'aria-describedby="id_city_error"' in page
    assert '<div id="id_city_error" class="invalid-feedback"><p id="error_1_id_city">' in page
    assert 'id="id_since_error"' in page


def test_options_mark_the_chosen_value_and_escape_every_label():
    options = engines["django"].from_string(
        "{% load filter_fields %}<select>{{ choices|options:chosen }}</select>"
    )
    choices = [("prospect", "Prospect"), ("declined", "Afgehaakt <&>"), (3, "Drie")]
    page = options.render({"choices": choices, "chosen": "declined"})
    assert page == (
        '<select><option value="prospect">Prospect</option>'
        '<option value="declined" selected>Afgehaakt &lt;&amp;&gt;</option>'
        '<option value="3">Drie</option></select>'
    )
    assert " selected" not in options.render({"choices": choices, "chosen": None})
    assert '<option value="3" selected>' in options.render({"choices": choices, "chosen": 3})
