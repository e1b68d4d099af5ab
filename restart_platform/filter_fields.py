"""The fields of a list's search and filter form, written in Python.

Every list page carries a filter form, and rendering its fields through crispy-forms and the
widget templates costs about 0.7 ms per field: a few hundred template lookups each, for a text
box or a short select (measured with `make bench-pages`). These four widgets are all the filter
forms use, so they are written here directly, in the markup crispy-forms gives them (Bootstrap 5:
label, control, help text, errors), escaped by `format_html`. Any other widget falls back to
crispy-forms, so a new kind of filter still renders.

`{% load filter_fields %}{{ field|filter_field }}`, as `templates/includes/filter_form.html`.
"""

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_field
from django import forms, template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

register = template.Library()

INPUT_CLASSES = {
    forms.TextInput: "textinput form-control",
    forms.DateInput: "dateinput form-control",
}


@register.filter
def filter_field(field: forms.BoundField) -> SafeString:
    widget = type(field.field.widget)
    if widget in INPUT_CLASSES:
        control = _input(field, INPUT_CLASSES[widget])
    elif widget is forms.Select:
        control = _select(field)
    elif widget is forms.CheckboxInput:
        return _checkbox(field)
    else:
        return as_crispy_field(field)
    return format_html(
        '<div id="div_{}" class="mb-3"><label for="{}" class="form-label">{}</label>{}{}{}</div>',
        field.auto_id,
        field.id_for_label,
        field.label,
        control,
        _help(field),
        _errors(field),
    )


def _attributes(field: forms.BoundField, css_class: str) -> SafeString:
    """The control's attributes: the widget's own (maxlength, placeholder), its class, and what
    ties it to its help text and errors."""
    attrs = {**field.field.widget.attrs, "name": field.html_name, "id": field.auto_id}
    attrs["class"] = f"{css_class} is-invalid" if field.errors else css_class
    described = []
    if field.help_text:
        described.append(f"{field.auto_id}_helptext")
    if field.errors:
        attrs["aria-invalid"] = "true"
        described.append(f"{field.auto_id}_error")
    if described:
        attrs["aria-describedby"] = " ".join(described)
    if field.field.required:
        attrs["required"] = True
    return format_html_join(
        "",
        ' {}="{}"',
        ((name, value) for name, value in attrs.items() if value not in (None, False, True)),
    ) + format_html_join("", " {}", ((name,) for name, value in attrs.items() if value is True))


def _input(field: forms.BoundField, css_class: str) -> SafeString:
    widget = field.field.widget
    value = widget.format_value(field.value())
    return format_html(
        '<input type="{}"{}{}>',
        widget.input_type,
        format_html(' value="{}"', value) if value not in (None, "") else "",
        _attributes(field, css_class),
    )


def _select(field: forms.BoundField) -> SafeString:
    chosen = field.field.prepare_value(field.value())
    return format_html(
        "<select{}>{}</select>",
        _attributes(field, "select form-select"),
        options(field.field.choices, chosen),
    )


@register.filter
def options(choices, chosen) -> SafeString:
    """The options of a select, the chosen value selected; also for a select a template writes
    by hand: `<select ...>{{ choices|options:value }}</select>`. A loop over the choices in the
    template costs some 30 µs an option, which a board of cards with a select each repeats
    hundreds of times."""
    chosen = "" if chosen is None else str(chosen)
    return format_html_join(
        "",
        '<option value="{}"{}>{}</option>',
        (
            (value, " selected" if value == chosen else "", label)
            for value, label in ((str(value), label) for value, label in choices)
        ),
    )


def _checkbox(field: forms.BoundField) -> SafeString:
    widget = field.field.widget
    return format_html(
        '<div class="mb-3"><div id="div_{}" class="form-check">'
        '<input type="checkbox"{}{}><label for="{}" class="form-check-label">{}</label>{}{}'
        "</div></div>",
        field.auto_id,
        _attributes(field, "checkboxinput form-check-input"),
        " checked" if widget.check_test(field.value()) else "",
        field.id_for_label,
        field.label,
        _help(field),
        _errors(field),
    )


def _help(field: forms.BoundField) -> SafeString:
    if not field.help_text:
        return mark_safe("")
    return format_html(
        '<div id="{}_helptext" class="form-text">{}</div>', field.auto_id, field.help_text
    )


def _errors(field: forms.BoundField) -> SafeString:
    if not field.errors:
        return mark_safe("")
    return format_html(
        '<div id="{}_error" class="invalid-feedback">{}</div>',
        field.auto_id,
        format_html_join(
            "",
            '<p id="error_{}_{}"><strong>{}</strong></p>',
            ((number, field.auto_id, error) for number, error in enumerate(field.errors, 1)),
        ),
    )
