from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from restart_platform.accounts.access import Role, is_staff_member, role_required, youth_workers_for
from restart_platform.notifications.selectors import failed_reminders_for, notifications_for
from restart_platform.view_helpers import PAGE_SIZE, query_string
from youth.forms import CaseloadFilterForm

from .selectors import caseload_by_attention


def home(request):
    """The start page: what needs this person's attention, per role."""
    user = request.user
    context = {
        "recent_notifications": notifications_for(user=user).filter(read_at__isnull=True)[:5],
        "failed_reminder_count": failed_reminders_for(user=user).count()
        if is_staff_member(user)
        else None,
    }
    return render(request, "dashboard/home.html", context)


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
    youth = caseload_by_attention(
        request.user, today=timezone.localdate(), youth_worker=youth_worker
    )
    page = Paginator(youth, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": query_string(request)}
    return render(request, "dashboard/caseload.html", context)
