"""The AVG pages: a young person's file (right of access), their erasure, and the audit trail.

Admins and coordinators (the young people of their cities) only; everyone else gets 404. The
young person is loaded through `youth_visible_to`, so another city's record answers 404 too.
"""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from restart_platform.accounts.access import Role, get_visible_or_404, role_required, scope_q
from restart_platform.accounts.audit import log_access, record_change
from restart_platform.panels import render_panel
from restart_platform.view_helpers import PAGE_SIZE, add_service_errors, id_from_query, query_string
from youth.models import YoungPerson, parse_case_reference
from youth.selectors import youth_visible_to
from youth.services import youth_erase

from .. import avg
from ..forms import AuditFilterForm, EraseForm

STAFF = (Role.ADMIN, Role.COORDINATOR)


def _youth_for(request, pk, *, action: str) -> YoungPerson:
    # Admins all, coordinators their cities; merged duplicates included (they still hold a name).
    visible = YoungPerson.objects.filter(scope_q(request.user, city="city"))
    return get_visible_or_404(
        visible.select_related("city", "youth_worker"),
        pk=pk,
        request=request,
        audit=True,
        action=action,
    )


@role_required(*STAFF, audit_model=YoungPerson)
def youth_access(request, pk):
    """Everything the platform holds about one young person, as a printable page."""
    youth = _youth_for(request, pk, action="export")
    record_change(actor=request.user, target=youth, action="youth.exported", note="html")
    context = {"youth": youth, "file": avg.youth_file(youth)}
    return render(request, "dashboard/youth_access.html", context)


@role_required(*STAFF, audit_model=YoungPerson)
def youth_access_json(request, pk):
    """The same file as JSON, to download."""
    youth = _youth_for(request, pk, action="export")
    record_change(actor=request.user, target=youth, action="youth.exported", note="json")
    response = JsonResponse(
        avg.youth_file_json(youth), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Content-Disposition"] = f'attachment; filename="{youth.case_reference}.json"'
    response["Cache-Control"] = "no-store"
    return response


@role_required(*STAFF, audit_model=YoungPerson)
@require_http_methods(["GET", "POST"])
def youth_erase_view(request, pk):
    """Anonymise a young person, after typing their case reference and saying why."""
    youth = _youth_for(request, pk, action="view")
    form = EraseForm(request.POST or None, reference=youth.case_reference)
    if request.method == "POST" and youth.erased_at is None and form.is_valid():
        try:
            youth_erase(youth=youth, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            log_access(request=request, target=youth, action="erase")
            messages.success(
                request,
                _("%(reference)s is anonymised.") % {"reference": youth.case_reference},
            )
            return redirect(youth.get_absolute_url())
    return render(request, "dashboard/youth_erase.html", {"youth": youth, "form": form})


@role_required(*STAFF, Role.YOUTH_WORKER, audit_model=YoungPerson)
def youth_detail_panel(request, pk):
    """On the young person's profile: the way to their file and to erasure, for staff."""
    youth = get_visible_or_404(youth_visible_to(request.user), pk=pk, request=request)
    return render_panel(
        request,
        "dashboard/youth_privacy_panel.html",
        {"youth": youth, "staff": request.user.role in STAFF},
        title=_("Privacy of %(reference)s") % {"reference": youth.case_reference},
        back_url=youth.get_absolute_url(),
    )


def _audit_filter(request):
    form = AuditFilterForm(request.GET or None, actors=avg.audit_actors(request.user))
    filters = {}
    if form.is_valid():
        data = form.cleaned_data
        youth_id = parse_case_reference(data["youth"]) if data["youth"] else None
        if data["youth"] and youth_id is None:
            youth_id = -1  # not a case reference: nothing matches
        filters = {
            "actor": data["actor"],
            "youth_id": youth_id,
            "action": data["action"],
            "since": data["since"],
            "until": data["until"],
        }
    return form, filters


@role_required(*STAFF)
def audit(request):
    """Who viewed, exported, anonymised or changed which young person's record."""
    form, filters = _audit_filter(request)
    page = Paginator(avg.audit_events(request.user, **filters), PAGE_SIZE).get_page(
        id_from_query(request.GET.get("page", "")) or 1
    )
    context = {
        "form": form,
        "page": page,
        "lines": avg.audit_lines(page.object_list),
        "query_string": query_string(request),
    }
    return render(request, "dashboard/audit.html", context)


@role_required(*STAFF)
def audit_export(request):
    """The filtered audit trail as CSV (cells that a spreadsheet would run are quoted)."""
    _form, filters = _audit_filter(request)
    lines = avg.audit_lines(avg.audit_events(request.user, **filters)[:10000])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="audit-{stamp}.csv"'
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow([_("Time"), _("Who"), _("Action"), _("Young person"), _("Case reference")])
    for line in lines:
        writer.writerow(
            [
                avg.csv_safe(timezone.localtime(line.at).strftime("%Y-%m-%d %H:%M")),
                avg.csv_safe(line.actor.get_full_name() or line.actor.username)
                if line.actor
                else "",
                avg.csv_safe(line.action),
                avg.csv_safe(line.youth or ""),
                avg.csv_safe(line.youth.case_reference if line.youth else line.youth_ref),
            ]
        )
    return response
