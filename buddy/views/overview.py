"""The coordinator's overview of the buddy programme (buddy.overview computes the figures)."""

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from restart_platform.accounts.access import staff_only
from restart_platform.view_helpers import PAGE_SIZE

from .. import overview


@staff_only
def buddy_overview(request):
    today = timezone.localdate()
    page = Paginator(overview.active_pairs(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "page": page,
        "rows": [(pair, overview.trust_points(pair)) for pair in page.object_list],
        "chart_width": overview.CHART_WIDTH,
        "chart_height": overview.CHART_HEIGHT,
        "reached_target": overview.reached_target(request.user, today=today),
        "close_reasons": overview.close_reasons(request.user),
        "both_sides": overview.both_sides_covered(request.user),
        "retention": overview.retention_with_and_without_buddy(request.user),
        "query_string": "",
    }
    return render(request, "buddy/buddy_overview.html", context)
