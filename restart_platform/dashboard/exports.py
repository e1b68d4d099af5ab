"""Figures as tables, and the files they leave the platform in (CSV and XLSX).

Anything that leaves the platform (an export, the printed employer pitch) goes through
`suppressed`: a count of 1 to 4 young people, pairs or employers becomes "< 5", so a reader
who knows the alliance cannot point at the one young person behind a number. The pages inside
the platform show the exact figures: their readers may see the records themselves.

The rules, in one place:

- a count of 1 to 4 becomes "< 5";
- 0 stays 0: nobody is behind it, so it reveals nothing about a person, and "< 5" in its
  place would hide that, for example, nobody left a placement;
- a percentage is shown only when the count it is taken of is at least 5 and the part is 0 or
  at least 5; otherwise a dash, `NOT_SHOWN` (a percentage of a small group reveals its members as much as
  the count would, and a percentage of a suppressed part gives the part back).

Other apps' exports (the fidelity page) reuse `Table`, `Share`, `suppressed` and the two
responses.
"""

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass, field

import openpyxl
from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

SMALL_NUMBER = "< 5"
NOT_SHOWN = "\u2013"  # an en dash
SMALLEST_SHOWN = 5
# A spreadsheet runs a cell starting with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def legend() -> str:
    """The line under every table that leaves the platform, saying what "< 5" and the dash mean."""
    return "{} {}: {}".format(
        _("< 5: a number from 1 to 4, not shown to protect privacy."),
        NOT_SHOWN,
        _("a percentage of fewer than 5, or of a number not shown."),
    )


@dataclass(frozen=True)
class Share:
    """A part of a whole (still placed of those whose outcome is known), shown as a percentage."""

    part: int
    whole: int

    @property
    def percentage(self) -> int | None:
        return round(100 * self.part / self.whole) if self.whole else None

    def __str__(self) -> str:
        if self.percentage is None:
            return NOT_SHOWN
        return _("%(percentage)s%% (%(part)s of %(whole)s)") % {
            "percentage": self.percentage,
            "part": self.part,
            "whole": self.whole,
        }


@dataclass
class Table:
    """One figure: a title, how it is counted, a header and rows. The first column labels the
    row; the others hold counts (int), shares (Share) or text."""

    key: str
    title: str
    note: str
    columns: list[str]
    rows: list[list] = field(default_factory=list)

    def column(self, index: int) -> list:
        return [row[index] for row in self.rows]


def suppressed(value):
    """The value as it may leave the platform (the rules are in the module's docstring)."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return SMALL_NUMBER if 0 < value < SMALLEST_SHOWN else value
    if isinstance(value, Share):
        small_part = 0 < value.part < SMALLEST_SHOWN
        if value.whole < SMALLEST_SHOWN or small_part:
            return NOT_SHOWN
        return value.percentage
    return value


def suppressed_rows(table: Table) -> list[list]:
    return [[suppressed(value) for value in row] for row in table.rows]


def _plain(value):
    """A cell for a file: a share as its percentage (already suppressed before it gets here)."""
    if isinstance(value, Share):
        return value.percentage
    return value


def export_csv(tables: Iterable[Table], *, filename: str) -> HttpResponse:
    """Every table under its title, separated by an empty line; semicolons, as Dutch Excel
    expects, and suppressed."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    response.write("\ufeff")  # the BOM tells Excel the file is UTF-8
    writer = csv.writer(response, delimiter=";")
    for table in tables:
        writer.writerow([_csv_cell(table.title)])
        writer.writerow([_csv_cell(table.note)])
        writer.writerow([_csv_cell(column) for column in table.columns])
        for row in suppressed_rows(table):
            writer.writerow([_csv_cell(_plain(value)) for value in row])
        writer.writerow([])
    writer.writerow([_csv_cell(legend())])
    return response


def _csv_cell(value):
    if value is None:
        return ""
    value = str(value) if not isinstance(value, int | float) else value
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def export_xlsx(tables: Iterable[Table], *, filename: str) -> HttpResponse:
    """One sheet per table: its title and note on top, then the header and the rows,
    suppressed; text cells stay text, never formulas."""
    workbook = openpyxl.Workbook(write_only=True)
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(title=_sheet_title(table.title, used))
        sheet.append([_xlsx_cell(sheet, table.title, bold=True)])
        sheet.append([_xlsx_cell(sheet, table.note)])
        sheet.append([])
        sheet.append([_xlsx_cell(sheet, column, bold=True) for column in table.columns])
        for row in suppressed_rows(table):
            sheet.append([_xlsx_cell(sheet, _plain(value)) for value in row])
        sheet.append([])
        sheet.append([_xlsx_cell(sheet, legend())])
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


def _sheet_title(title: str, used: set[str]) -> str:
    """At most 31 characters, none of the ones Excel refuses, and unique in the workbook."""
    base = "".join("_" if char in "[]:*?/\\" else char for char in str(title))[:28] or "Sheet"
    name, number = base, 2
    while name.lower() in used:
        name, number = f"{base[:25]} ({number})", number + 1
    used.add(name.lower())
    return name


def _xlsx_cell(sheet, value, *, bold: bool = False):
    if value is not None and not isinstance(value, int | float | dt.date):
        value = ILLEGAL_CHARACTERS_RE.sub("", str(value))
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: a label starting with "=" is not a formula
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell
