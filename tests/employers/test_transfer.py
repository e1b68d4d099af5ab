"""Employers come in from spreadsheets, all or nothing, and go out as the list the user sees."""

import csv
import io
import zipfile

import openpyxl
import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from employers import transfer
from employers.models import Employer, OwnerChange, StageChange
from restart_platform.taxonomy.models import Sector
from tests.employers.factories import EmployerFactory, InteractionFactory

pytestmark = pytest.mark.django_db

HEADER = list(transfer.COLUMNS)
IMPORT_URL = reverse("employers:employer_import")
EXPORT_URL = reverse("employers:employer_export")
EXAMPLE_URL = reverse("employers:employer_import_example")
URLS = [IMPORT_URL, EXAMPLE_URL, EXPORT_URL]


def employer_row(n: int, **overrides) -> dict:
    row = {
        "name": f"Kringloop {n}",
        "kvk_number": f"{20_000_000 + n:08d}",
        "city": "rotterdam",
        "address": f"Voorstraat {n}",
        "postcode": "3011 AB",
        "sector": "recycling",
        "circularity": "circular",
        "circular_activity": "Verkoopt gebruikte meubels.",
        "size": "small",
        "website": "https://example.org",
        "found_via": "network",
        "owner": "coord.rotterdam",
        "accredited": "nee",
    }
    return {**row, **overrides}


def csv_upload(rows, *, header=HEADER, delimiter=";", encoding="utf-8-sig", name="werkgevers.csv"):
    output = io.StringIO()
    writer = csv.writer(output, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows([row.get(column.strip().lower(), "") for column in header] for row in rows)
    return SimpleUploadedFile(name, output.getvalue().encode(encoding), content_type="text/csv")


def xlsx_upload(rows, *, header=HEADER, name="werkgevers.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append([row.get(column, "") for column in header])
    output = io.BytesIO()
    workbook.save(output)
    return SimpleUploadedFile(name, output.getvalue(), content_type=transfer.XLSX_CONTENT_TYPE)


def post_file(client, upload):
    return client.post(IMPORT_URL, {"file": upload})


def file_error(response) -> str:
    return " ".join(response.context["form"].errors["file"])


def read_csv_export(response) -> list[dict]:
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:]), delimiter=";"))


def read_xlsx_export(response) -> list[dict]:
    workbook = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True)
    header, *rows = workbook.worksheets[0].iter_rows(values_only=True)
    return [
        dict(zip(header, [*row, *[None] * (len(header) - len(row))], strict=True)) for row in rows
    ]


# --- Importing ----------------------------------------------------------------------------


def test_a_coordinator_imports_1000_employers_from_a_csv_file(client_for, coord_rotterdam):
    upload = csv_upload([employer_row(n) for n in range(1000)])
    response = post_file(client_for(coord_rotterdam), upload)
    assert response.status_code == 302
    assert response.url == reverse("employers:employer_list")
    assert Employer.objects.count() == 1000
    # Through the service: every employer starts its stage and owner history.
    assert StageChange.objects.count() == OwnerChange.objects.count() == 1000
    assert set(Employer.objects.values_list("owner__username", flat=True)) == {"coord.rotterdam"}


def test_a_coordinator_imports_an_excel_file(client_for, coord_rotterdam):
    rows = [employer_row(1), employer_row(2, accredited=True), employer_row(3, kvk_number=1234567)]
    response = post_file(client_for(coord_rotterdam), xlsx_upload(rows))
    assert response.status_code == 302
    assert Employer.objects.count() == 3
    assert "3" in next(str(message) for message in get_messages(response.wsgi_request))
    assert Employer.objects.get(name="Kringloop 2").is_accredited_learning_company
    # Excel turns a KvK number into a number and drops its leading zero; the import puts it back.
    assert Employer.objects.filter(kvk_number="01234567").exists()


def test_an_import_reads_names_labels_and_loose_spelling(client_for, admin, coord_rotterdam):
    row = employer_row(
        1,
        city="ROTTERDAM",
        sector="Reparatie en onderhoud",
        circularity="In transition",
        size="",
        found_via="",
        postcode="3072ab",
        website="www.example.nl",
        accredited="Ja",
        kvk_number="2000.0001",
    )
    second = employer_row(2, sector="Repair and maintenance", size="50 to 249 employees")
    header = [f" {column.upper()} " for column in HEADER]
    upload = csv_upload([row, second], header=header, delimiter=",")
    response = post_file(client_for(admin), upload)
    assert response.status_code == 302
    employer = Employer.objects.get(kvk_number="20000001")
    assert employer.city.slug == "rotterdam"
    assert employer.sector.slug == "repair"
    assert employer.circularity == Employer.Circularity.IN_TRANSITION
    assert employer.found_via == Employer.Source.OTHER
    assert employer.postcode == "3072 AB"
    assert employer.website == "https://www.example.nl"
    assert employer.is_accredited_learning_company
    assert Employer.objects.get(kvk_number="20000002").size == Employer.Size.MEDIUM


def test_one_bad_row_among_1000_imports_nothing_and_names_that_row(client_for, coord_rotterdam):
    rows = [employer_row(n) for n in range(1000)]
    rows[500]["kvk_number"] = "1234"  # the 501st employer: row 502 of the file, under the header
    response = post_file(client_for(coord_rotterdam), csv_upload(rows))
    assert response.status_code == 200
    assert Employer.objects.count() == 0
    assert response.context["error_count"] == 1
    assert [(e.row, e.field) for e in response.context["row_errors"]] == [(502, "kvk_number")]
    assert b'data-testid="row-errors"' in response.content


def test_every_problem_of_every_row_is_reported(coord_rotterdam):
    rows = [
        employer_row(1, name="", postcode="AB 1234", website="not a url"),
        employer_row(2, city="Utrecht", sector="bakery", circularity="very", owner="nobody"),
        employer_row(3, size="huge", found_via="magic", accredited="maybe"),
    ]
    valid, errors = transfer.validate_rows(rows, user=coord_rotterdam)
    assert valid == []
    assert {(e.row, e.field) for e in errors} == {
        (2, "name"),
        (2, "postcode"),
        (2, "website"),
        (3, "city"),
        (3, "sector"),
        (3, "circularity"),
        (3, "owner"),
        (4, "size"),
        (4, "found_via"),
        (4, "accredited"),
    }


def test_the_page_shows_the_first_200_problems_and_counts_the_rest(client_for, coord_rotterdam):
    rows = [employer_row(n, kvk_number="x") for n in range(250)]
    response = post_file(client_for(coord_rotterdam), csv_upload(rows))
    assert response.status_code == 200
    assert len(response.context["row_errors"]) == 200
    assert response.context["errors_not_shown"] == 50
    assert Employer.objects.count() == 0


@pytest.mark.parametrize(
    ("header", "named"),
    [
        ([c for c in HEADER if c not in ("owner", "sector")], ["owner", "sector"]),
        ([*HEADER, "telefoon"], ["telefoon"]),
        ([*HEADER, "name"], ["name"]),
    ],
)
def test_wrong_columns_are_named_and_nothing_is_imported(
    client_for, coord_rotterdam, header, named
):
    response = post_file(client_for(coord_rotterdam), csv_upload([employer_row(1)], header=header))
    assert response.status_code == 200
    assert all(column in file_error(response) for column in named)
    assert Employer.objects.count() == 0


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "latin-1", "cp1252"])
def test_a_file_that_is_not_utf8_is_refused_with_a_clear_message(
    client_for, coord_rotterdam, encoding
):
    upload = csv_upload([employer_row(1, name="Café Dé Kringloop")], encoding=encoding)
    response = post_file(client_for(coord_rotterdam), upload)
    assert response.status_code == 200
    assert "UTF-8" in file_error(response)
    assert Employer.objects.count() == 0


@pytest.mark.parametrize(
    "content", [b"", b"\n\n", "\ufeff".encode(), b"name;kvk_number;city;sector;circularity;owner\n"]
)
def test_an_empty_file_is_refused(client_for, coord_rotterdam, content):
    upload = SimpleUploadedFile("werkgevers.csv", content)
    response = post_file(client_for(coord_rotterdam), upload)
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert Employer.objects.count() == 0


def _zip_without_a_workbook() -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return output.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("werkgevers.xlsx", b"this is not an excel file at all"),
        ("werkgevers.xlsx", _zip_without_a_workbook()),
        ("werkgevers.xlsx", b"PK\x03\x04" + b"\x00" * 200),
        ("werkgevers.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 200),
        ("werkgevers.pdf", b"%PDF-1.4"),
    ],
)
def test_a_file_that_is_not_a_spreadsheet_is_refused(client_for, coord_rotterdam, name, content):
    response = post_file(client_for(coord_rotterdam), SimpleUploadedFile(name, content))
    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert Employer.objects.count() == 0


def test_a_50000_row_file_is_refused_after_reading_just_past_the_limit(client_for, coord_rotterdam):
    lines = ["name;kvk_number;city;sector;circularity;owner"]
    lines += [f"W{n};{n:08d};rotterdam;recycling;circular;coord.rotterdam" for n in range(50_000)]
    content = "\n".join(lines).encode()
    assert len(content) < transfer.MAX_BYTES  # the row limit refuses it, not the size limit
    response = post_file(client_for(coord_rotterdam), SimpleUploadedFile("groot.csv", content))
    assert response.status_code == 200
    assert "5" in file_error(response)
    assert Employer.objects.count() == 0


def test_an_excel_file_over_the_row_limit_is_refused(coord_rotterdam):
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["name", "kvk_number", "city", "sector", "circularity", "owner"])
    for n in range(transfer.MAX_ROWS + 1):
        sheet.append([f"W{n}", n, "rotterdam", "recycling", "circular", "coord.rotterdam"])
    output = io.BytesIO()
    workbook.save(output)
    with pytest.raises(transfer.ImportFileError):
        transfer.read_rows(SimpleUploadedFile("groot.xlsx", output.getvalue()))


def test_a_file_over_5_mb_is_refused(client_for, coord_rotterdam):
    content = b"name;kvk_number;city;sector;circularity;owner\n" + b"x" * transfer.MAX_BYTES
    response = post_file(client_for(coord_rotterdam), SimpleUploadedFile("groot.csv", content))
    assert response.status_code == 200
    assert "5 MB" in file_error(response)


def test_a_kvk_number_already_registered_is_named(client_for, coord_rotterdam, dordrecht):
    EmployerFactory(kvk_number="20000002", city=dordrecht)  # also when the user cannot see it
    rows = [employer_row(1), employer_row(2)]
    response = post_file(client_for(coord_rotterdam), csv_upload(rows))
    assert [(e.row, e.field) for e in response.context["row_errors"]] == [(3, "kvk_number")]
    assert Employer.objects.count() == 1


def test_a_kvk_number_twice_in_the_file_is_named_with_its_first_row(coord_rotterdam):
    rows = [employer_row(1), employer_row(2), employer_row(3, kvk_number="2000 0001")]
    _valid, errors = transfer.validate_rows(rows, user=coord_rotterdam)
    assert [(e.row, e.field) for e in errors] == [(4, "kvk_number")]
    assert "2" in errors[0].message


def test_a_coordinator_cannot_import_into_the_other_city(
    client_for, coord_rotterdam, coord_dordrecht
):
    rows = [employer_row(1), employer_row(2, city="dordrecht", owner="coord.dordrecht")]
    response = post_file(client_for(coord_rotterdam), csv_upload(rows))
    assert response.status_code == 200
    fields = {(e.row, e.field) for e in response.context["row_errors"]}
    assert (3, "city") in fields
    assert Employer.objects.count() == 0


def test_the_owner_must_be_a_coordinator_of_the_employers_city(
    admin, coord_rotterdam, coord_dordrecht
):
    rows = [employer_row(1, owner="coord.dordrecht"), employer_row(2, owner="admin")]
    _valid, errors = transfer.validate_rows(rows, user=admin)
    assert [(e.row, e.field) for e in errors] == [(2, "owner"), (3, "owner")]


def test_a_row_with_more_values_than_columns_is_reported(coord_rotterdam):
    content = "name,kvk_number,city,sector,circularity,owner\nKringloop, Zuid,20000001,rotterdam,recycling,circular,coord.rotterdam\n"
    rows = transfer.read_rows(SimpleUploadedFile("werkgevers.csv", content.encode()))
    _valid, errors = transfer.validate_rows(rows, user=coord_rotterdam)
    assert (2, "") in {(e.row, e.field) for e in errors}


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_the_file(coord_rotterdam):
    content = "name;kvk_number;city;sector;circularity;owner\n\n;;;;;\nKringloop;123;rotterdam;recycling;circular;coord.rotterdam\n"
    rows = transfer.read_rows(SimpleUploadedFile("werkgevers.csv", content.encode()))
    _valid, errors = transfer.validate_rows(rows, user=coord_rotterdam)
    assert [(e.row, e.field) for e in errors] == [(4, "kvk_number")]


def test_checking_a_file_takes_the_same_few_queries_for_5_or_500_rows(
    coord_rotterdam, django_assert_max_num_queries
):
    for size in (5, 500):
        rows = [employer_row(n) for n in range(size)]
        with django_assert_max_num_queries(6):
            valid, errors = transfer.validate_rows(rows, user=coord_rotterdam)
        assert (len(valid), errors) == (size, [])


def test_a_rule_broken_half_way_through_the_import_saves_nothing(coord_rotterdam):
    rows = [employer_row(n) for n in range(5)]
    valid, errors = transfer.validate_rows(rows, user=coord_rotterdam)
    assert errors == []
    # Someone registers the fourth employer between the check and the import.
    EmployerFactory(kvk_number=rows[3]["kvk_number"])
    with pytest.raises(ValidationError) as caught:
        transfer.import_employers(valid, by=coord_rotterdam)
    assert "5" in caught.value.messages[0]  # row 5 of the file
    assert Employer.objects.count() == 1


def test_the_example_file_imports_as_it_is(client_for, coord_dordrecht):
    client = client_for(coord_dordrecht)
    example = client.get(EXAMPLE_URL)
    assert example.status_code == 200
    assert example["Content-Type"].startswith("text/csv")
    upload = SimpleUploadedFile("voorbeeld.csv", example.content)
    response = post_file(client, upload)
    assert response.status_code == 302
    assert set(Employer.objects.values_list("city__slug", "owner__username")) == {
        ("dordrecht", "coord.dordrecht")
    }


def test_the_import_page_explains_the_columns_without_inline_code(client_for, admin):
    response = client_for(admin).get(IMPORT_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert all(f"<code>{column}</code>" in html for column in transfer.COLUMNS)
    assert EXAMPLE_URL in html
    assert "<script>" not in html
    assert " style=" not in html


def test_a_post_without_a_file_asks_for_one(client_for, admin):
    response = client_for(admin).post(IMPORT_URL, {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


# --- Exporting ----------------------------------------------------------------------------


@pytest.fixture
def employers(coord_rotterdam, coord_dordrecht, rotterdam, dordrecht):
    lead = EmployerFactory(name="Kringloop Maasstad", city=rotterdam, owner=coord_rotterdam)
    InteractionFactory(employer=lead)
    return {
        "lead": lead,
        "contacted": EmployerFactory(
            name="Fietsherstel Zuid",
            city=rotterdam,
            owner=coord_rotterdam,
            stage=Employer.Stage.CONTACTED,
        ),
        "dordrecht": EmployerFactory(
            name="Drechtsteden Recycling", city=dordrecht, owner=coord_dordrecht
        ),
    }


def test_the_csv_export_holds_what_the_user_sees_in_the_import_columns(
    client_for, coord_rotterdam, employers
):
    response = client_for(coord_rotterdam).get(EXPORT_URL)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == 'attachment; filename="werkgevers.csv"'
    rows = read_csv_export(response)
    assert {row["name"] for row in rows} == {"Kringloop Maasstad", "Fietsherstel Zuid"}
    lead = next(row for row in rows if row["name"] == "Kringloop Maasstad")
    assert lead["city"] == "rotterdam"
    assert lead["owner"] == "coord.rotterdam"
    assert lead["stage"] == "lead"
    assert lead["last_interaction"] == employers["lead"].interactions.get().date.isoformat()


def test_the_export_respects_the_list_filters(client_for, admin, employers):
    client = client_for(admin)
    rows = read_csv_export(client.get(EXPORT_URL, {"stage": "lead"}))
    assert {row["name"] for row in rows} == {"Kringloop Maasstad", "Drechtsteden Recycling"}
    rows = read_xlsx_export(
        client.get(EXPORT_URL, {"stage": "lead", "q": "kringloop", "format": "xlsx"})
    )
    assert [row["name"] for row in rows] == ["Kringloop Maasstad"]


def test_the_xlsx_export_is_an_excel_file(client_for, admin, employers):
    response = client_for(admin).get(EXPORT_URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"] == transfer.XLSX_CONTENT_TYPE
    assert response["Content-Disposition"] == 'attachment; filename="werkgevers.xlsx"'
    rows = read_xlsx_export(response)
    assert len(rows) == 3
    assert {row["kvk_number"] for row in rows} == {e.kvk_number for e in employers.values()}


@pytest.mark.parametrize("export_format", ["csv", "xlsx"])
def test_the_dordrecht_coordinator_exports_no_rotterdam_employer(
    client_for, coord_dordrecht, employers, export_format
):
    response = client_for(coord_dordrecht).get(EXPORT_URL, {"format": export_format})
    rows = read_csv_export(response) if export_format == "csv" else read_xlsx_export(response)
    assert [(row["name"], row["city"]) for row in rows] == [("Drechtsteden Recycling", "dordrecht")]


def test_a_filter_on_a_city_the_user_cannot_see_exports_nothing_extra(
    client_for, coord_dordrecht, employers, rotterdam
):
    rows = read_csv_export(client_for(coord_dordrecht).get(EXPORT_URL, {"city": rotterdam.pk}))
    assert all(row["city"] == "dordrecht" for row in rows)


def test_the_export_takes_the_same_few_queries_for_5_or_60_employers(
    client_for, admin, rotterdam, coord_rotterdam, django_assert_max_num_queries
):
    client = client_for(admin)
    for size in (5, 60):
        EmployerFactory.create_batch(
            size - Employer.objects.count(), city=rotterdam, owner=coord_rotterdam
        )
        for export_format in ("csv", "xlsx"):
            with django_assert_max_num_queries(12):
                response = client.get(EXPORT_URL, {"format": export_format})
            assert response.status_code == 200


@pytest.mark.parametrize(
    ("export_format", "name"), [("csv", "export.csv"), ("xlsx", "export.xlsx")]
)
def test_an_export_imports_again_into_an_empty_database(
    client_for, coord_rotterdam, rotterdam, export_format, name
):
    EmployerFactory(
        name='=HYPERLINK("http://evil")',
        city=rotterdam,
        owner=coord_rotterdam,
        website="https://a.example",
        is_accredited_learning_company=True,
        size="",
        postcode="3011 AB",
        address="Voorstraat 1",
    )
    EmployerFactory(
        name="'t Hoekje",
        city=rotterdam,
        owner=coord_rotterdam,
        sector=Sector.objects.get(slug="repair"),
        postcode="3072 AB",
        address="Dorpsweg 1",
    )
    fields = [
        "name",
        "kvk_number",
        "city_id",
        "address",
        "postcode",
        "sector_id",
        "circularity",
        "circular_activity",
        "size",
        "website",
        "found_via",
        "owner_id",
        "is_accredited_learning_company",
    ]
    before = sorted(Employer.objects.values_list(*fields))
    client = client_for(coord_rotterdam)
    exported = client.get(EXPORT_URL, {"format": export_format}).content
    Employer.objects.all().delete()

    response = post_file(client, SimpleUploadedFile(name, exported))
    assert response.status_code == 302
    assert sorted(Employer.objects.values_list(*fields)) == before


def test_a_formula_in_a_name_is_exported_as_text(client_for, admin, rotterdam):
    EmployerFactory(name="=1+2", city=rotterdam)
    client = client_for(admin)
    assert read_csv_export(client.get(EXPORT_URL))[0]["name"] == "'=1+2"
    workbook = openpyxl.load_workbook(
        io.BytesIO(client.get(EXPORT_URL, {"format": "xlsx"}).content)
    )
    cell = workbook.worksheets[0]["A2"]
    assert (cell.value, cell.data_type) == ("=1+2", "s")


# --- Who may -------------------------------------------------------------------------------


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ["admin", "coord_rotterdam", "coord_dordrecht"])
def test_admins_and_coordinators_open_the_import_and_export(client_for, cast, role, url):
    assert client_for(cast[role]).get(url).status_code == 200


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize("role", ["jw_rotterdam", "jw_dordrecht", "employer1", "employer2"])
def test_youth_workers_and_employer_contacts_get_404(client_for, cast, role, url):
    assert client_for(cast[role]).get(url).status_code == 404


@pytest.mark.parametrize("role", ["jw_rotterdam", "employer1"])
def test_youth_workers_and_employer_contacts_cannot_post_an_import(client_for, cast, role):
    response = post_file(client_for(cast[role]), csv_upload([employer_row(1)]))
    assert response.status_code == 404
    assert Employer.objects.count() == 0


@pytest.mark.parametrize("url", URLS)
def test_an_anonymous_visitor_is_sent_to_the_login_page(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))
