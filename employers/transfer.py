"""Employers in and out of spreadsheets: import from CSV or XLSX, export the list to either.

The import is all or nothing. Every row is checked first and every problem is reported with
the row number a person sees in their spreadsheet (the header is row 1); only a file without
problems is saved, in one transaction, through the same service as the employer form, so the
stage and owner history and the change log start at the import.

The export writes the values the import reads (choice values, slugs, usernames), so an export
can be imported again.
"""

import csv
import datetime as dt
import io
import zipfile
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import openpyxl
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpResponse
from django.utils import translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font

from restart_platform.accounts.access import coordinators_for
from restart_platform.accounts.models import City, User
from restart_platform.taxonomy.models import Sector
from restart_platform.validators import postcode_validator

from . import services
from .models import Employer, kvk_validator

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5_000
# The import knows 17 columns; a file with many more is not an employer list.
MAX_COLUMNS = 50
# An XLSX is a zip: 5 MB of it can unpack to gigabytes. What 5,000 rows of employers need
# unpacks to a few megabytes; the declared sizes are checked before anything is unpacked
# (and zipfile never unpacks an entry past its declared size).
MAX_XLSX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_XLSX_ENTRIES = 500
ROW = "_row"  # the file's row number, kept beside the values of each row
EXTRA = "_extra"  # a row with values beyond the header: usually an unquoted comma

# Import column -> Employer field, in the order of the example file and the export.
COLUMNS = {
    "name": "name",
    "kvk_number": "kvk_number",
    "city": "city",
    "address": "address",
    "postcode": "postcode",
    "sector": "sector",
    "circularity": "circularity",
    "circular_activity": "circular_activity",
    "size": "size",
    "website": "website",
    "found_via": "found_via",
    "owner": "owner",
    "accredited": "is_accredited_learning_company",
}
REQUIRED_COLUMNS = ("name", "kvk_number", "city", "sector", "circularity", "owner")
# Written by the export for the reader; an import skips them (the pipeline starts anew).
EXPORT_ONLY_COLUMNS = ("stage", "last_interaction", "next_action", "next_action_due")

COLUMN_HELP = [
    ("name", gettext_lazy("The employer's name.")),
    ("kvk_number", gettext_lazy("The 8 digits of the KvK number; spaces and dots are ignored.")),
    ("city", gettext_lazy("Rotterdam or Dordrecht (name or code); only cities you work in.")),
    ("address", gettext_lazy("Street and number.")),
    ("postcode", gettext_lazy("A Dutch postcode, for example 3311 AB.")),
    ("sector", gettext_lazy("The sector's code, Dutch name or English name.")),
    ("circularity", gettext_lazy("circular, in_transition or not_yet (or their labels).")),
    ("circular_activity", gettext_lazy("In a sentence or two: what makes the work circular.")),
    ("size", gettext_lazy("micro, small, medium or large (or their labels).")),
    ("website", gettext_lazy("The web address; https:// is added when it is missing.")),
    (
        "found_via",
        gettext_lazy("network, partner, event, cold, inbound or other; empty means other."),
    ),
    (
        "owner",
        gettext_lazy("The username of the coordinator of that city who owns the relationship."),
    ),
    (
        "accredited",
        gettext_lazy("Accredited learning company (SBB): yes/no, ja/nee, 1/0; empty means no."),
    ),
]

TRUE_WORDS = {"ja", "yes", "1", "true", "waar", "y", "j"}
FALSE_WORDS = {"nee", "no", "0", "false", "onwaar", "n", ""}
# A spreadsheet runs a cell starting with one of these as a formula; the CSV export quotes such
# cells with an apostrophe (OWASP's advice) and the import takes the apostrophe off again.
FORMULA_STARTS = ("=", "+", "-", "@")
XLSX_MAGIC = b"PK\x03\x04"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class ImportFileError(Exception):
    """The file as a whole cannot be read; the message says why, for the person uploading it."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str


# --- Reading -------------------------------------------------------------------------------


def read_rows(uploaded_file) -> list[dict]:
    """The data rows of a CSV or XLSX file as dicts keyed by the (normalised) header."""
    if (uploaded_file.size or 0) > MAX_BYTES:
        raise ImportFileError(_too_big())
    uploaded_file.seek(0)
    content = uploaded_file.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise ImportFileError(_too_big())
    if not content.strip():
        raise ImportFileError(_("The file is empty."))
    extension = Path(uploaded_file.name or "").suffix.lower()
    if content.startswith(XLSX_MAGIC) or extension == ".xlsx":
        table = _xlsx_table(content)
    elif extension in {".csv", ".txt", ""}:
        table = _csv_table(content)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file (save an older .xls file as .xlsx)."))
    return _as_dicts(table)


def _too_big() -> str:
    return _("The file is larger than %(size)s MB. Split it into smaller files.") % {
        "size": MAX_BYTES // (1024 * 1024)
    }


def _csv_table(content: bytes) -> Iterator[list]:
    try:
        text = content.decode("utf-8-sig")  # Excel's "CSV UTF-8" starts with a BOM
    except UnicodeDecodeError:
        raise ImportFileError(_not_utf8()) from None
    if "\x00" in text:  # UTF-16 without a BOM decodes, but with a NUL in every other place
        raise ImportFileError(_not_utf8())
    header_line = text.lstrip().split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    try:
        yield from csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    except csv.Error as exc:
        raise ImportFileError(
            _("The CSV file could not be read: %(error)s") % {"error": exc}
        ) from None


def _not_utf8() -> str:
    return _(
        "The file is not UTF-8 text. In Excel choose Save as, CSV UTF-8 (comma delimited); "
        "or upload the .xlsx file itself."
    )


def _xlsx_table(content: bytes) -> Iterator[tuple]:
    unreadable = _(
        "The file could not be read as an Excel (.xlsx) file. Save it again as .xlsx without a "
        "password, or as CSV UTF-8."
    )
    _check_xlsx_archive(content, unreadable)
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged or foreign file fails deep inside openpyxl, in many ways
        raise ImportFileError(unreadable) from exc
    try:
        if not workbook.worksheets:
            raise ImportFileError(unreadable)
        sheet = workbook.worksheets[0]
        # The size the sheet declares is read without parsing its rows.
        if (sheet.max_column or 0) > MAX_COLUMNS:
            raise ImportFileError(_too_many_columns())
        if (sheet.max_row or 0) > 2 * MAX_ROWS + 1:
            raise ImportFileError(_too_many())
        sheet.reset_dimensions()  # some programs write a wrong size; read what is there
        # Cells right of the last column that may hold data are not even kept.
        yield from sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    except ImportFileError:
        raise
    except Exception as exc:
        raise ImportFileError(unreadable) from exc
    finally:
        workbook.close()


def _check_xlsx_archive(content: bytes, unreadable: str) -> None:
    """Refuse a zip bomb by the sizes its directory declares, before anything is unpacked."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ImportFileError(unreadable) from exc
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_XLSX_ENTRIES or unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise ImportFileError(
            _(
                "The Excel file unpacks to more than %(size)s MB, far more than an employer list "
                "needs. Save only the employers as a new .xlsx file, or as CSV UTF-8."
            )
            % {"size": MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)}
        )


def _too_many_columns() -> str:
    return _("The file has more than %(max)s columns. Use the columns of the example file.") % {
        "max": MAX_COLUMNS
    }


def _as_dicts(table: Iterator) -> list[dict]:
    header = _header(next(table, None))
    rows: list[dict] = []
    # Reading stops as soon as the limit is passed: a 50,000-row file is refused after 5,001
    # rows. Empty rows are skipped, but not without end.
    for number, cells in enumerate(table, start=2):
        if number - 1 > 2 * MAX_ROWS:
            raise ImportFileError(_too_many())
        row = _row_dict(header, cells, number)
        if row is None:
            continue
        if len(rows) == MAX_ROWS:
            raise ImportFileError(_too_many())
        rows.append(row)
    if not rows:
        raise ImportFileError(_("The file has a header but no employers below it."))
    return rows


def _too_many() -> str:
    return _("The file has more than %(max)s rows. Split it into smaller files.") % {
        "max": number_format(MAX_ROWS, force_grouping=True)
    }


def _header(cells) -> list[str]:
    header = [_text(cell).lower() for cell in cells or ()]
    while header and not header[-1]:  # spreadsheets keep empty cells after the last column
        header.pop()
    if not header:
        raise ImportFileError(_("The file is empty: the first row must name the columns."))
    if len(header) > MAX_COLUMNS:
        raise ImportFileError(_too_many_columns())
    known = set(COLUMNS) | set(EXPORT_ONLY_COLUMNS)
    named = [column for column in header if column]
    problems = []
    if missing := [column for column in REQUIRED_COLUMNS if column not in named]:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
    if unknown := [column for column in named if column not in known]:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": ", ".join(unknown)})
    if doubled := sorted(column for column, count in Counter(named).items() if count > 1):
        problems.append(_("Columns named twice: %(columns)s.") % {"columns": ", ".join(doubled)})
    if problems:
        expected = ", ".join(COLUMNS)
        problems.append(_("The columns are: %(columns)s.") % {"columns": expected})
        raise ImportFileError(" ".join(problems))
    return header


def _row_dict(header: list[str], cells, number: int) -> dict | None:
    """One row's values by column, or None for an empty row (spreadsheets keep those)."""
    cells = list(cells or ())
    if not any(_text(cell) for cell in cells):
        return None
    row: dict = {ROW: number}
    for index, cell in enumerate(cells):
        column = header[index] if index < len(header) else ""
        if not column:
            row[EXTRA] = row.get(EXTRA) or bool(_text(cell))
        elif column in COLUMNS:
            row[column] = _value(column, cell)
    return row


def _value(column: str, cell) -> str:
    # A KvK number typed into Excel becomes a number and loses its leading zero.
    is_number = isinstance(cell, int | float) and not isinstance(cell, bool)
    if column == "kvk_number" and is_number and float(cell).is_integer():
        return f"{int(cell):08d}"
    text = _text(cell)
    if text[:1] == "'" and text[1:2] in FORMULA_STARTS:
        text = text[1:]
    return text


def _text(cell) -> str:
    if cell is None:
        return ""
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, dt.datetime):
        return cell.date().isoformat()
    return str(cell).strip()


# --- Validating ----------------------------------------------------------------------------


@dataclass
class _Lookups:
    """What every row is checked against, loaded once for the whole file."""

    cities: dict[str, City]
    own_city_ids: frozenset[int] | None  # None: every city (an administrator)
    sectors: dict[str, Sector]
    owners: dict[str, tuple[User, frozenset[int]]]
    registered_kvks: set[str]
    choices: dict[str, dict[str, str]]


def validate_rows(rows: list[dict], *, user: User) -> tuple[list[dict], list[RowError]]:
    """Check every row; return the employer fields of the good rows and all problems found."""
    lookups = _lookups(rows, user)
    valid: list[dict] = []
    errors: list[RowError] = []
    first_row_of_kvk: dict[str, int] = {}
    for index, row in enumerate(rows):
        number = row.get(ROW, index + 2)
        fields, row_errors = _RowCheck(row, number, lookups, first_row_of_kvk).run()
        errors.extend(row_errors)
        if not row_errors:
            valid.append({ROW: number, **fields})
    return valid, errors


def _lookups(rows: list[dict], user: User) -> _Lookups:
    cities: dict[str, City] = {}
    for city in City.objects.all():
        cities[city.slug.casefold()] = cities[city.name.casefold()] = city
    sectors: dict[str, Sector] = {}
    for sector in Sector.objects.all():
        for key in (sector.slug, sector.name_nl, sector.name_en):
            sectors[key.casefold()] = sector
    owners = {
        coordinator.username.casefold(): (
            coordinator,
            frozenset(c.pk for c in coordinator.cities.all()),
        )
        for coordinator in coordinators_for(user).prefetch_related("cities")
    }
    kvks = {_normalised_kvk(row.get("kvk_number", "")) for row in rows} - {""}
    registered = set(
        Employer.objects.filter(kvk_number__in=kvks).values_list("kvk_number", flat=True)
    )
    return _Lookups(
        cities=cities,
        own_city_ids=None if user.role == User.Role.ADMIN else user.city_ids,
        sectors=sectors,
        owners=owners,
        registered_kvks=registered,
        choices={
            "circularity": _choice_map(Employer.Circularity),
            "size": _choice_map(Employer.Size),
            "found_via": _choice_map(Employer.Source),
        },
    )


def _choice_map(choices) -> dict[str, str]:
    """A choice's value and its label in every language of the interface, to the value."""
    mapping = {value.casefold(): value for value in choices.values}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            mapping.update({str(label).casefold(): value for value, label in choices.choices})
    return mapping


def _normalised_kvk(value: str) -> str:
    return value.replace(" ", "").replace(".", "")


class _RowCheck:
    """The checks of one row, as a form would do them, against the lookups of the whole file."""

    def __init__(self, row: dict, number: int, lookups: _Lookups, first_row_of_kvk: dict[str, int]):
        self.row, self.number, self.lookups, self.first_row_of_kvk = (
            row,
            number,
            lookups,
            first_row_of_kvk,
        )
        self.fields: dict = {}
        self.errors: list[RowError] = []

    def run(self) -> tuple[dict, list[RowError]]:
        if self.row.get(EXTRA):
            self.errors.append(
                RowError(
                    self.number,
                    "",
                    _(
                        "This row has more values than the header has columns. Put a value with a comma "
                        "or a semicolon between double quotes."
                    ),
                )
            )
        for column, field in COLUMNS.items():
            value = self.row.get(column, "")
            if column in REQUIRED_COLUMNS and not value:
                self.errors.append(RowError(self.number, column, _("This column needs a value.")))
                continue
            try:
                self.fields[field] = getattr(self, f"clean_{column}")(value)
            except ValidationError as exc:
                self.errors.append(RowError(self.number, column, " ".join(exc.messages)))
        return self.fields, self.errors

    def _limited(self, field: str, value: str) -> str:
        max_length = Employer._meta.get_field(field).max_length
        if max_length and len(value) > max_length:
            raise ValidationError(_("At most %(max)s characters.") % {"max": max_length})
        return value

    def clean_name(self, value: str) -> str:
        return self._limited("name", value)

    def clean_kvk_number(self, value: str) -> str:
        kvk = _normalised_kvk(value)
        kvk_validator(kvk)
        if kvk in self.lookups.registered_kvks:
            raise ValidationError(_("An employer with this KvK number is already registered."))
        if (first := self.first_row_of_kvk.setdefault(kvk, self.number)) != self.number:
            raise ValidationError(_("This KvK number is also on row %(row)s.") % {"row": first})
        return kvk

    def clean_city(self, value: str) -> City:
        city = self.lookups.cities.get(value.casefold())
        if city is None:
            raise ValidationError(_("Unknown city “%(value)s”.") % {"value": value})
        own = self.lookups.own_city_ids
        if own is not None and city.pk not in own:
            raise ValidationError(_("You can only import employers into your own cities."))
        return city

    def clean_address(self, value: str) -> str:
        return self._limited("address", value)

    def clean_postcode(self, value: str) -> str:
        if not value:
            return ""
        postcode_validator(value)
        compact = value.upper().replace(" ", "")
        return f"{compact[:4]} {compact[4:]}"

    def clean_sector(self, value: str) -> Sector:
        sector = self.lookups.sectors.get(value.casefold())
        if sector is None:
            raise ValidationError(_("Unknown sector “%(value)s”.") % {"value": value})
        if not sector.is_active:
            raise ValidationError(
                _("The sector “%(value)s” is no longer in use.") % {"value": value}
            )
        return sector

    def _choice(self, column: str, value: str) -> str:
        choice = self.lookups.choices[column].get(value.casefold())
        if choice is None:
            raise ValidationError(_("Unknown value “%(value)s”.") % {"value": value})
        return choice

    def clean_circularity(self, value: str) -> str:
        return self._choice("circularity", value)

    def clean_circular_activity(self, value: str) -> str:
        return value

    def clean_size(self, value: str) -> str:
        return self._choice("size", value) if value else ""

    def clean_website(self, value: str) -> str:
        if not value:
            return ""
        url = value if "://" in value else f"https://{value}"
        URLValidator()(url)
        return self._limited("website", url)

    def clean_found_via(self, value: str) -> str:
        return self._choice("found_via", value) if value else Employer.Source.OTHER

    def clean_owner(self, value: str) -> User:
        owner, owner_city_ids = self.lookups.owners.get(value.casefold(), (None, frozenset()))
        if owner is None:
            raise ValidationError(
                _("“%(value)s” is not the username of a coordinator.") % {"value": value}
            )
        city = self.fields.get("city")
        if city is not None and city.pk not in owner_city_ids:
            raise ValidationError(_("The owner must be a coordinator of the employer's city."))
        return owner

    def clean_accredited(self, value: str) -> bool:
        word = value.casefold()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValidationError(_("Use yes or no."))


# --- Importing -----------------------------------------------------------------------------


def import_employers(rows: list[dict], *, by: User) -> int:
    """Register the validated rows, all or none; a rule broken on the way undoes the lot."""
    with transaction.atomic():
        for row in rows:
            fields = dict(row)
            number = fields.pop(ROW, None)
            try:
                services.employer_create(by=by, **fields)
            except ValidationError as exc:
                if number is None:
                    raise
                message = " ".join(exc.messages)
                raise ValidationError(
                    _("Row %(row)s: %(message)s") % {"row": number, "message": message}
                ) from exc
    return len(rows)


# --- Exporting -----------------------------------------------------------------------------

EXPORT_HEADER = [*COLUMNS, *EXPORT_ONLY_COLUMNS]


def export_rows(queryset: QuerySet[Employer]) -> list[list]:
    """The header, then a row per employer, in the values the import reads.

    The queryset must have its city, sector and owner joined (selectors.employers_for_list).
    """
    rows: list[list] = [list(EXPORT_HEADER)]
    for employer in queryset:
        rows.append(
            [
                employer.name,
                employer.kvk_number,
                employer.city.slug,
                employer.address,
                employer.postcode,
                employer.sector.slug,
                employer.circularity,
                employer.circular_activity,
                employer.size,
                employer.website,
                employer.found_via,
                employer.owner.username,
                "yes" if employer.is_accredited_learning_company else "no",
                employer.stage,
                getattr(employer, "last_interaction_on", None),
                employer.next_action,
                employer.next_action_due,
            ]
        )
    return rows


def export_csv(queryset: QuerySet[Employer]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="werkgevers.csv"'
    response.write("\ufeff")  # the BOM tells Excel the file is UTF-8
    writer = csv.writer(response, delimiter=";")
    writer.writerows([_csv_cell(value) for value in row] for row in export_rows(queryset))
    return response


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return f"'{value}"
    return value


def export_xlsx(queryset: QuerySet[Employer]) -> HttpResponse:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet(title=_("Employers")[:31])
    header, *rows = export_rows(queryset)
    sheet.append([_xlsx_cell(sheet, value, bold=True) for value in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    output = io.BytesIO()
    workbook.save(output)
    response = HttpResponse(output.getvalue(), content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = 'attachment; filename="werkgevers.xlsx"'
    return response


def _xlsx_cell(sheet, value, *, bold: bool = False):
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # text stays text: a name starting with "=" is not a formula
    if isinstance(value, dt.date):
        cell.number_format = "yyyy-mm-dd"
    if bold:
        cell.font = Font(bold=True)
    return cell


def example_csv(*, city: str, owner: str) -> str:
    """A small file to start from: the header and two invented employers."""
    rows: Iterable[list[str]] = [
        list(COLUMNS),
        [
            "Kringloop De Tweede Ronde",
            "12345678",
            city,
            "Voorstraat 12",
            "3311 AB",
            "reuse-retail",
            "circular",
            "Verkoopt en repareert gebruikte meubels en witgoed.",
            "small",
            "https://www.example.org",
            "network",
            owner,
            "ja",
        ],
        [
            "Fietsherstel Zuid",
            "87654321",
            city,
            "Dordtselaan 3",
            "3073 AA",
            "repair",
            "in_transition",
            "",
            "micro",
            "",
            "event",
            owner,
            "nee",
        ],
    ]
    output = io.StringIO()
    csv.writer(output, delimiter=";").writerows(rows)
    return "\ufeff" + output.getvalue()
