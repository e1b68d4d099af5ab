from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from restart_platform.accounts.access import cities_for, staff_only

from ..exports import Share, Table, export_csv, export_xlsx
from ..forms import KpiFilterForm
from ..kpis import Period, all_figures, this_year

# How each figure is drawn: which value columns, and which rows (None: all). Shares are drawn
# as percentages, never beside counts on one axis.
CHARTS = {
    "employers_by_stage": {"columns": [1, 2, 3], "stacked": True},
    "employers_by_circularity": {"columns": [1, 2]},
    "youth_funnel": {"columns": [1], "horizontal": True},
    "placements_by_type": {"columns": [1]},
    "buddy_pairs": {"columns": [1], "rows": [0, 1, 2]},
    "retention_by_buddy": {"columns": [1, 2], "percent": True},
    "programme_phases": {"columns": [1]},
    "programme_completion": {"columns": [1], "rows": [0, 1, 3]},
}
EXPORTS = {"csv": export_csv, "xlsx": export_xlsx}


def _filtered(request) -> tuple[KpiFilterForm, object, Period]:
    """The filter form, and the city and period it chose; this year in all the user's cities
    while the form has errors (shown beside the fields)."""
    today = timezone.localdate()
    form = KpiFilterForm(request.GET, cities=cities_for(request.user), today=today)
    if form.is_valid():
        return form, form.cleaned_data["city"], form.period()
    return form, None, this_year(today)


def chart_data(table: Table) -> dict:
    """What static/js/charts.js needs to draw one figure: labels, series, and how."""
    spec = CHARTS[table.key]
    rows = [table.rows[i] for i in spec["rows"]] if "rows" in spec else table.rows

    def value(cell):
        return cell.percentage if isinstance(cell, Share) else cell

    return {
        "title": table.title,
        "labels": [str(row[0]) for row in rows],
        "datasets": [
            {"label": str(table.columns[i]), "data": [value(row[i]) for row in rows]}
            for i in spec["columns"]
        ],
        "stacked": spec.get("stacked", False),
        "horizontal": spec.get("horizontal", False),
        "percent": spec.get("percent", False),
    }


@staff_only
def kpis(request):
    """The alliance's figures for a city and a period, each as a chart with its table."""
    form, city, period = _filtered(request)
    figures = all_figures(request.user, city=city, period=period)
    context = {
        "form": form,
        "city": city,
        "period": period,
        "figures": [(table, chart_data(table), f"chart-{table.key}") for table in figures],
        "query_string": request.GET.urlencode(),
    }
    return render(request, "dashboard/kpis.html", context)


@staff_only
def kpis_export(request, fmt: str):
    """Every figure, or the one named by ?figure=, as CSV or XLSX, with small numbers
    suppressed: the file leaves the platform."""
    if fmt not in EXPORTS:
        raise Http404
    form, city, period = _filtered(request)
    if form.errors:
        return kpis(request)
    figures = all_figures(request.user, city=city, period=period)
    if key := request.GET.get("figure"):
        figures = [table for table in figures if table.key == key]
        if not figures:
            raise Http404
    name = "-".join(
        [_("figures"), city.slug if city else _("all"), str(period.start), str(period.end)]
    )
    return EXPORTS[fmt](figures, filename=name)
