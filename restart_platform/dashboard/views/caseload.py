from django.shortcuts import render
from django.utils import timezone

from restart_platform.accounts.access import Role, role_required, youth_workers_for
from restart_platform.view_helpers import page_by_keys, query_string
from youth.forms import CaseloadFilterForm

from ..selectors import caseload_by_attention, caseload_rows


@role_required(Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER)
def caseload(request):
    """Who needs attention first. The page reads the youth and intake apps, so it lives here,
    above both (the youth app knows nothing of intakes)."""
    form, youth_worker = None, None
    if request.user.role != Role.YOUTH_WORKER:
        form = CaseloadFilterForm(
            request.GET or None, youth_workers=youth_workers_for(request.user)
        )
        if form.is_valid():
            youth_worker = form.cleaned_data["youth_worker"]
    today = timezone.localdate()
    page = page_by_keys(
        caseload_by_attention(request.user, today=today, youth_worker=youth_worker),
        request.GET.get("page"),
        rows=caseload_rows(request.user, today=today),
    )
    context = {"form": form, "page": page, "query_string": query_string(request)}
    return render(request, "dashboard/caseload.html", context)
