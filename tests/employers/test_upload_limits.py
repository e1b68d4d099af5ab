"""An upload cannot exhaust a web worker: sizes are checked before a file is unpacked or parsed,
and every check takes time in proportion to the file."""

import io
import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from employers import transfer
from employers.models import Employer

pytestmark = pytest.mark.django_db

IMPORT_URL = reverse("employers:employer_import")
MB = 1024 * 1024


def _workbook_bytes(sheet_rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in sheet_rows:
        workbook.active.append(row)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _zip_bomb(unpacked_mb: int) -> bytes:
    """A valid workbook whose shared strings unpack to `unpacked_mb` MB from a few hundred bytes."""
    base = zipfile.ZipFile(io.BytesIO(_workbook_bytes([list(transfer.COLUMNS)])))
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as bomb:
        for entry in base.infolist():
            if entry.filename != "xl/sharedStrings.xml":
                bomb.writestr(entry.filename, base.read(entry.filename))
        with bomb.open(zipfile.ZipInfo("xl/sharedStrings.xml"), "w", force_zip64=True) as strings:
            strings.write(
                b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            )
            strings.write(b"<si><t>")
            chunk = b"A" * MB
            for _ in range(unpacked_mb):
                strings.write(chunk)
            strings.write(b"</t></si></sst>")
    # Rewritten with bzip2, which zipfile and so openpyxl read, and which packs this tightly.
    output.seek(0)
    packed = io.BytesIO()
    with zipfile.ZipFile(output) as source, zipfile.ZipFile(packed, "w", zipfile.ZIP_BZIP2) as dest:
        for entry in source.infolist():
            with source.open(entry) as src, dest.open(entry.filename, "w", force_zip64=True) as dst:
                while block := src.read(MB):
                    dst.write(block)
    return packed.getvalue()


def _upload(content: bytes, name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content)


def _post_measured(client, upload):
    tracemalloc.start()
    started = time.monotonic()
    try:
        response = client.post(IMPORT_URL, {"file": upload})
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return response, peak, time.monotonic() - started


def _file_error(response) -> str:
    return " ".join(response.context["form"].errors["file"])


def test_an_xlsx_bomb_of_a_few_kilobytes_is_refused_before_it_is_unpacked(
    client_for, coord_rotterdam
):
    bomb = _zip_bomb(unpacked_mb=120)
    assert len(bomb) < 10 * 1024
    response, peak, _ = _post_measured(client_for(coord_rotterdam), _upload(bomb, "bom.xlsx"))
    assert response.status_code == 200
    assert "pakt uit tot meer dan 50 MB" in _file_error(response)
    assert peak < 100 * MB
    assert not Employer.objects.exists()


def test_an_xlsx_that_declares_thousands_of_columns_is_refused_before_its_rows_are_read(
    client_for, coord_rotterdam
):
    wide = _workbook_bytes([[f"kolom{n}" for n in range(16_000)]])
    response, _, seconds = _post_measured(client_for(coord_rotterdam), _upload(wide, "breed.xlsx"))
    assert "meer dan 50 kolommen" in _file_error(response)
    assert seconds < 5


def test_an_xlsx_that_declares_a_million_rows_is_refused(client_for, coord_rotterdam):
    workbook = openpyxl.Workbook()
    workbook.active.append(list(transfer.COLUMNS))
    workbook.active.cell(row=1_000_000, column=1, value="laatste")
    output = io.BytesIO()
    workbook.save(output)
    response = client_for(coord_rotterdam).post(
        IMPORT_URL, {"file": _upload(output.getvalue(), "lang.xlsx")}
    )
    assert "meer dan 5.000 rijen" in _file_error(response)


def test_a_csv_with_40000_header_columns_is_refused_quickly_with_a_message(
    client_for, coord_rotterdam
):
    header = ";".join(f"c{n}" for n in range(40_000)).encode()
    assert len(header) > 150_000
    response, _, seconds = _post_measured(
        client_for(coord_rotterdam), _upload(header + b"\n", "breed.csv")
    )
    assert "meer dan 50 kolommen" in _file_error(response)
    assert seconds < 5


def test_the_header_check_is_linear_in_the_number_of_columns(monkeypatch):
    # Past the column limit, the check of names (unknown, doubled) must not compare every
    # column with every other: at 40,000 columns that held a worker for ten seconds.
    monkeypatch.setattr(transfer, "MAX_COLUMNS", 100_000)
    header = [f"c{n % 20_000}" for n in range(40_000)]
    started = time.monotonic()
    with pytest.raises(transfer.ImportFileError, match="c19999"):
        transfer._header(header)
    assert time.monotonic() - started < 2


def test_an_upload_request_past_the_cap_is_refused_before_it_is_read(
    settings, client_for, coord_rotterdam
):
    settings.MAX_UPLOAD_REQUEST_SIZE = 100 * 1024
    response = client_for(coord_rotterdam).post(
        IMPORT_URL, {"file": _upload(b"x" * 200 * 1024, "groot.csv")}
    )
    assert response.status_code == 400


def test_request_bodies_are_capped_in_the_settings(settings):
    assert settings.DATA_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 2.5 * MB
    assert settings.MAX_UPLOAD_REQUEST_SIZE < 10 * MB
