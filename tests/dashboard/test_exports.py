"""The rules for figures that leave the platform, in one function, and the safe files."""

import csv
import io

import openpyxl
import pytest

from restart_platform.dashboard.exports import (
    NOT_SHOWN,
    SMALL_NUMBER,
    Share,
    Table,
    export_csv,
    export_xlsx,
    suppressed,
)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0, 0),  # nobody: reveals no one
        (1, SMALL_NUMBER),
        (4, SMALL_NUMBER),
        (5, 5),
        (120, 120),
        ("Baan", "Baan"),
        (Share(0, 0), NOT_SHOWN),  # a percentage of nobody
        (Share(3, 4), NOT_SHOWN),  # of fewer than five
        (Share(2, 10), NOT_SHOWN),  # the part itself is small: 20 % of 10 gives it back
        (Share(0, 10), 0),
        (Share(8, 10), 80),
        (Share(10, 10), 100),
    ],
)
def test_small_numbers_and_their_percentages_are_suppressed(value, shown):
    assert suppressed(value) == shown


def table(rows):
    return Table(key="t", title="Titel", note="Uitleg", columns=["Wat", "Aantal"], rows=rows)


def test_the_csv_guards_formulas_and_suppresses():
    response = export_csv([table([['=HYPERLINK("x")', 3], ["@SUM(A1)", 7]])], filename="f")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[3] == ['\'=HYPERLINK("x")', SMALL_NUMBER]
    assert rows[4] == ["'@SUM(A1)", "7"]


def test_the_xlsx_keeps_text_as_text_and_drops_control_characters():
    response = export_xlsx(
        [table([["=1+1", 2], ["Baan\x07", Share(9, 10)]]), table([["x", 0]])], filename="f"
    )
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Titel", "Titel (2)"]  # unique sheet names
    sheet = book.worksheets[0]
    assert sheet.cell(5, 1).value == "=1+1"
    assert sheet.cell(5, 1).data_type == "s"
    assert sheet.cell(5, 2).value == SMALL_NUMBER
    assert [sheet.cell(6, 1).value, sheet.cell(6, 2).value] == ["Baan", 90]
