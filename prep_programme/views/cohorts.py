"""Cohorts: the list, the overview with its export, sessions and attendance, and the
coordinator's pages for a cohort, its coaches and the employers involved."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from restart_platform.accounts.access import (
    cities_for,
    get_visible_or_404,
    has_role,
    staff_only,
)
from restart_platform.stale_edits import save_if_unchanged
from restart_platform.view_helpers import (
    PAGE_SIZE,
    add_service_errors,
    query_string,
)

from .. import selectors, services
from ..forms import (
    AttendanceForm,
    CohortFilterForm,
    CohortForm,
    InvolvementForm,
    SessionForm,
)
from ..models import (
    EmployerInvolvement,
    Participant,
    Programme,
    Session,
)
from .common import Role, programme_staff


def cohort_list(request):
    staff = has_role(request.user, Role.ADMIN, Role.COORDINATOR)
    form = CohortFilterForm(request.GET or None, cities=cities_for(request.user) if staff else None)
    filters = form.cleaned_data if form.is_valid() else {}
    cohorts = selectors.cohorts_filtered(request.user, filters, today=timezone.localdate())
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query_string": query_string(request),
        "may_create": staff,
        "may_see_participants": has_role(
            request.user, Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER
        ),
    }
    return render(request, "prep_programme/cohort_list.html", context)


def cohort_detail(request, pk):
    cohort = get_visible_or_404(
        selectors.cohorts_visible_to(request.user).select_related("programme", "city"),
        pk=pk,
        request=request,
    )
    today = timezone.localdate()
    page = Paginator(selectors.cohort_participants(request.user, cohort), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    context = {
        "cohort": cohort,
        "page": page,
        "rows": selectors.overview_rows(list(page.object_list), today=today),
        "sessions": selectors.sessions_of(cohort)[:10],
        "may_manage": selectors.may_manage(request.user, cohort),
        "may_edit": selectors.cohorts_editable_by(request.user).filter(pk=cohort.pk).exists(),
        "employer_view": has_role(request.user, Role.EMPLOYER_CONTACT),
        "figures": (
            selectors.cohort_figures(cohort, today=today)
            if has_role(request.user, Role.ADMIN, Role.COORDINATOR)
            else None
        ),
    }
    return render(request, "prep_programme/cohort_detail.html", context)


@programme_staff
def cohort_export(request, pk, fmt):
    cohort = get_visible_or_404(selectors.cohorts_visible_to(request.user), pk=pk, request=request)
    rows = selectors.cohort_overview(request.user, cohort, today=timezone.localdate())
    header = [
        _("Case reference"),
        _("Phase"),
        _("Status"),
        _("Progress to the next phase (%)"),
        _("Attendance (%)"),
        _("Late arrivals"),
        _("Last coaching talk"),
        _("Needs attention"),
    ]
    lines = [
        [
            row.participant.youth.case_reference,
            row.participant.phase,
            row.participant.get_status_display(),
            row.progress.percent,
            "" if row.progress.attendance_rate is None else round(row.progress.attendance_rate),
            row.progress.late,
            row.last_coaching.isoformat() if row.last_coaching else "",
            "; ".join(row.needs_attention),
        ]
        for row in rows
    ]
    filename = f"cohort-{cohort.pk}"
    if fmt == "xlsx":
        return _xlsx(filename, header, lines)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}.csv"'
    writer = csv.writer(response, delimiter=";")
    writer.writerows([header, *lines])
    return response


def _xlsx(filename, header, lines) -> HttpResponse:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for line in [header, *lines]:
        sheet.append([str(cell) if not isinstance(cell, int | float) else cell for cell in line])
    response = HttpResponse(
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    book.save(response)
    return response


@programme_staff
def session_create(request, pk):
    cohort = get_visible_or_404(selectors.cohorts_managed_by(request.user), pk=pk, request=request)
    form = SessionForm(
        request.POST or None,
        instance=Session(cohort=cohort),  # the form checks the date against the cohort's
        initial={"date": timezone.localdate()},
    )
    if form.is_valid():
        try:
            session = services.session_create(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Session planned."))
            return redirect("prep_programme:attendance_record", session.pk)
    return render(request, "prep_programme/session_create.html", {"form": form, "cohort": cohort})


@programme_staff
def attendance_record(request, pk):
    session = get_visible_or_404(
        selectors.sessions_managed_by(request.user).select_related("cohort"),
        pk=pk,
        request=request,
    )
    participants = list(
        session.cohort.participants.filter(status=Participant.Status.ACTIVE).select_related("youth")
    )
    form = AttendanceForm(request.POST or None, session=session, participants=participants)
    if form.is_valid():
        try:
            saved = save_if_unchanged(
                form,
                lambda: services.attendance_record(
                    session=session, marks=form.marks(), by=request.user
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved = None
        if saved is not None:
            messages.success(request, _("Attendance saved."))
            return redirect("prep_programme:cohort_detail", session.cohort_id)
    context = {"form": form, "session": session, "cohort": session.cohort}
    return render(request, "prep_programme/attendance_record.html", context)


@staff_only
def cohort_create(request):
    return _cohort_form(request, cohort=None)


@staff_only
def cohort_edit(request, pk):
    cohort = get_visible_or_404(selectors.cohorts_editable_by(request.user), pk=pk, request=request)
    return _cohort_form(request, cohort=cohort)


def _cohort_form(request, *, cohort):
    user = request.user
    programmes = selectors.programmes_offered()
    if cohort is not None:  # a programme no longer offered stays on the cohort that runs it
        programmes = programmes | Programme.objects.filter(pk=cohort.programme_id)
    form = CohortForm(
        request.POST or None,
        cohort=cohort,
        programmes=programmes,
        cities=cities_for(user),
        coaches=services.coaches_for(user),
    )
    if form.is_valid():
        fields = {**form.cleaned_data, "coaches": list(form.cleaned_data["coaches"])}
        try:
            saved = save_if_unchanged(
                form, lambda: services.cohort_save(by=user, cohort=cohort, **fields)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved = None
        if saved is not None:
            messages.success(
                request,
                _("Cohort created.") if cohort is None else _("Cohort saved."),
            )
            return redirect("prep_programme:cohort_detail", saved.pk)
    return render(request, "prep_programme/cohort_form.html", {"form": form, "cohort": cohort})


@staff_only
def involvement_list(request, pk):
    cohort = get_visible_or_404(selectors.cohorts_editable_by(request.user), pk=pk, request=request)
    form = InvolvementForm(
        request.POST or None, employers=selectors.employers_to_involve(request.user)
    )
    if form.is_valid():
        try:
            services.involvement_add(cohort=cohort, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Employer involvement recorded."))
            return redirect("prep_programme:involvement_list", cohort.pk)
    context = {"cohort": cohort, "form": form, "involvements": selectors.involvements_of(cohort)}
    return render(request, "prep_programme/involvement_list.html", context)


@staff_only
def involvement_remove(request, pk):
    involvement = get_visible_or_404(
        EmployerInvolvement.objects.filter(
            cohort__in=selectors.cohorts_editable_by(request.user)
        ).select_related("cohort", "employer"),
        pk=pk,
        request=request,
    )
    if request.method == "POST":
        services.involvement_remove(involvement=involvement, by=request.user)
        messages.success(request, _("Employer involvement removed."))
        return redirect("prep_programme:involvement_list", involvement.cohort_id)
    return render(request, "prep_programme/involvement_remove.html", {"involvement": involvement})
