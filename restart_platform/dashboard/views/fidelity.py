import csv

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from restart_platform.accounts.access import Role, role_required

from ..fidelity import Element, Period, fidelity_table
from ..fidelity_forms import FidelityFilterForm


@role_required(Role.ADMIN, Role.COORDINATOR)
def fidelity(request):
    """How often each working element was applied, per city and period, from the records."""
    today = timezone.localdate()
    form = FidelityFilterForm(request.GET or {}, user=request.user, today=today)
    elements, period = None, None
    if form.is_valid():
        period = Period(
            city_ids=form.city_ids(),
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            today=today,
        )
        elements = fidelity_table(period)
        if request.GET.get("format") == "csv":
            return _csv(elements, period)
    context = {"form": form, "elements": elements, "period": period}
    return render(request, "dashboard/fidelity.html", context)


def _csv(elements: list[Element], period: Period) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"fidelity-{period.start:%Y%m%d}-{period.end:%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    writer = csv.writer(response)
    writer.writerow(
        [_("Group"), _("Working element"), _("What counts"), _("Applied"), _("Out of"), "%"]
    )
    for element in elements:
        writer.writerow(
            [
                element.group,
                element.name,
                " ".join(filter(None, [element.explanation, element.note])),
                element.count,
                element.total,
                element.percentage if element.recorded else _("not recorded"),
            ]
        )
    return response
