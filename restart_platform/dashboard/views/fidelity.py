from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from restart_platform.accounts.access import Role, role_required

from ..exports import Share, Table, export_csv, export_xlsx
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
            every_city=form.every_city(),
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            today=today,
        )
        elements = fidelity_table(period)
        if (fmt := request.GET.get("format")) in ("csv", "xlsx"):
            export = export_csv if fmt == "csv" else export_xlsx
            filename = f"fidelity-{period.start:%Y%m%d}-{period.end:%Y%m%d}"
            return export([_table(elements, period)], filename=filename)
    context = {"form": form, "elements": elements, "period": period}
    return render(request, "dashboard/fidelity.html", context)


def _table(elements: list[Element], period: Period) -> Table:
    """The table as it leaves the platform: through the shared export module, so its small
    numbers are suppressed like every other figure's."""
    table = Table(
        key="fidelity",
        title=_("Fidelity to the working elements"),
        note=_("%(start)s to %(end)s") % {"start": period.start, "end": period.end},
        columns=[
            _("Working element"),
            _("Group"),
            _("What counts"),
            _("Applied"),
            _("Out of"),
            "%",
        ],
    )
    for element in elements:
        table.rows.append(
            [
                element.name,
                element.group,
                " ".join(filter(None, [element.explanation, element.note])),
                element.count,
                element.total,
                Share(element.count, element.total) if element.recorded else _("not recorded"),
            ]
        )
    return table
