"""Coordinator pages to import employers from a spreadsheet and export the employer list."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from restart_platform.accounts.access import cities_for, coordinators_for, staff_only
from restart_platform.taxonomy.models import Sector

from .. import selectors, transfer
from ..forms import EmployerFilterForm, ImportForm

ERRORS_SHOWN = 200  # a file with thousands of bad rows would make an unreadable page


@staff_only
def employer_import(request):
    """Upload a file; every row is checked, and only a file without problems is imported."""
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    row_errors: list[transfer.RowError] = []
    if form.is_valid():
        try:
            rows = transfer.read_rows(form.cleaned_data["file"])
            valid, row_errors = transfer.validate_rows(rows, user=request.user)
            if not row_errors:
                count = transfer.import_employers(valid, by=request.user)
                message = ngettext(
                    "%(count)s employer imported.", "%(count)s employers imported.", count
                )
                messages.success(request, message % {"count": count})
                return redirect("employers:employer_list")
        except transfer.ImportFileError as exc:
            form.add_error("file", exc.message)
        except ValidationError as exc:
            form.add_error(None, exc)
        except IntegrityError:
            form.add_error(
                None, _("Someone registered one of these employers at the same moment. Try again.")
            )
    return _import_page(request, form, row_errors)


def _import_page(request, form: ImportForm, row_errors: list[transfer.RowError]):
    context = {
        "form": form,
        "row_errors": row_errors[:ERRORS_SHOWN],
        "error_count": len(row_errors),
        "errors_not_shown": max(len(row_errors) - ERRORS_SHOWN, 0),
        "columns": [
            (column, column in transfer.REQUIRED_COLUMNS, help)
            for column, help in transfer.COLUMN_HELP
        ],
        "export_only_columns": transfer.EXPORT_ONLY_COLUMNS,
        "max_rows": number_format(transfer.MAX_ROWS, force_grouping=True),
        "sectors": Sector.objects.active(),
        "owners": coordinators_for(request.user).prefetch_related("cities").order_by("username"),
    }
    return render(request, "employers/employer_import.html", context)


@staff_only
def employer_import_example(request):
    """The example file, filled in with a city and an owner the user may import for."""
    city = cities_for(request.user).first()
    owner = coordinators_for(request.user).filter(cities=city).order_by("username").first()
    content = transfer.example_csv(
        city=city.slug if city else "rotterdam",
        owner=owner.username if owner else "coord.rotterdam",
    )
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="werkgevers-voorbeeld.csv"'
    return response


@staff_only
def employer_export(request):
    """The employer list as a file, under the same search and filters as the list page."""
    form = EmployerFilterForm(
        request.GET,
        cities=cities_for(request.user),
        coordinators=coordinators_for(request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    employers = selectors.employers_filtered(request.user, filters, today=timezone.localdate())
    if request.GET.get("format") == "xlsx":
        return transfer.export_xlsx(employers)
    return transfer.export_csv(employers)
