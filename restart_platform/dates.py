"""Plausible dates: one place that says how far back and ahead a date of each kind may lie.

Forms check their date fields through `restart_platform.forms.BoundedInputMixin`, for a Dutch
message beside the field; models name theirs in `plausible_dates` (PlausibleDatesModel), so
the `full_clean` of every service checks them again, whatever the caller (a hand-made POST, a
task). Far-off dates are not only wrong but dangerous: a meeting in the year 9999 overflows
when its end or its reminders are computed.
"""

import datetime as dt
from enum import Enum
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

# Nothing the alliance records happened before this (it began long after).
EARLIEST_RECORD = dt.date(2000, 1, 1)
# How far ahead anything is planned: a meeting, a start, a due date, an agreement's end.
PLANNING_HORIZON_YEARS = 10
# The oldest birth date that can belong to a person on our books.
OLDEST_AGE_YEARS = 100


class DateKind(Enum):
    HAPPENED = "happened"  # logged afterwards: a contact, an interaction, a consent, an end
    PLANNED = "planned"  # a meeting, a start, a due date: in the past or the years ahead
    BIRTH = "birth"


def _years_from(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def plausible_range(kind: DateKind, *, today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    today = today or timezone.localdate()
    if kind is DateKind.BIRTH:
        return _years_from(today, -OLDEST_AGE_YEARS), today
    if kind is DateKind.HAPPENED:
        return EARLIEST_RECORD, today
    return EARLIEST_RECORD, _years_from(today, PLANNING_HORIZON_YEARS)


def check_plausible_date(
    value: dt.date | None, kind: DateKind, *, today: dt.date | None = None
) -> dt.date | None:
    """`value` if it is plausible for its kind, else a ValidationError with a Dutch message."""
    if not isinstance(value, dt.date):  # empty, or a field that failed its own check
        return value
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    earliest, latest = plausible_range(kind, today=today)
    if value < earliest or value > latest:
        raise ValidationError(_out_of_range(kind, earliest, latest), code="implausible_date")
    return value


def _out_of_range(kind: DateKind, earliest: dt.date, latest: dt.date) -> str:
    values = {"earliest": date_format(earliest), "latest": date_format(latest)}
    if kind is DateKind.BIRTH:
        return _("A birth date lies between %(earliest)s and today.") % values
    if kind is DateKind.HAPPENED:
        return _("Give a date between %(earliest)s and today.") % values
    return _("Give a date between %(earliest)s and %(latest)s.") % values


class PlausibleDatesModel:
    """Model mixin: full_clean (so every service, and every model form) checks the dates named
    in `plausible_dates` against the range of their kind."""

    plausible_dates: ClassVar[dict[str, DateKind]] = {}

    def clean(self):
        super().clean()
        check_dates(
            {name: getattr(self, name) for name in self.plausible_dates}, self.plausible_dates
        )


def check_dates(fields: dict, kinds: dict[str, DateKind]) -> None:
    """Check several fields at once for a service; errors are keyed by field name."""
    errors = {}
    for name, kind in kinds.items():
        try:
            check_plausible_date(fields.get(name), kind)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
