"""Pages of the pre-employment programme at /prep/."""

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
    role_required,
)
from restart_platform.accounts.models import User
from restart_platform.panels import render_panel
from restart_platform.view_helpers import PAGE_SIZE, add_service_errors, query_string
from youth.models import YoungPerson
from youth.selectors import youth_visible_to

from . import selectors, services
from .charts import skill_lines
from .criteria import measure_one
from .forms import (
    AttendanceForm,
    CoachingForm,
    CohortFilterForm,
    EnrolForm,
    FinishForm,
    LeaveForm,
    MovePhaseForm,
    RatingForm,
    SessionForm,
)
from .models import LAST_PHASE, Participant, Session, SkillRating

Role = User.Role
programme_staff = role_required(Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER)


def cohort_list(request):
    staff = has_role(request.user, Role.ADMIN, Role.COORDINATOR)
    form = CohortFilterForm(request.GET or None, cities=cities_for(request.user) if staff else None)
    filters = form.cleaned_data if form.is_valid() else {}
    cohorts = selectors.cohorts_filtered(request.user, filters, today=timezone.localdate())
    page = Paginator(cohorts, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": query_string(request)}
    return render(request, "prep_programme/cohort_list.html", context)


def cohort_detail(request, pk):
    cohort = get_visible_or_404(
        selectors.cohorts_visible_to(request.user).select_related("programme", "city"),
        pk=pk,
        request=request,
    )
    today = timezone.localdate()
    context = {
        "cohort": cohort,
        "rows": selectors.cohort_overview(request.user, cohort, today=today),
        "sessions": selectors.sessions_of(cohort)[:10],
        "may_manage": selectors.may_manage(request.user, cohort),
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
    current = {mark.participant_id: mark for mark in session.attendances.all()}
    form = AttendanceForm(request.POST or None, participants=participants, current=current)
    if form.is_valid():
        try:
            services.attendance_record(session=session, marks=form.marks(), by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Attendance saved."))
            return redirect("prep_programme:cohort_detail", session.cohort_id)
    context = {"form": form, "session": session, "cohort": session.cohort}
    return render(request, "prep_programme/attendance_record.html", context)


@programme_staff
def participant_detail(request, pk):
    participant = get_visible_or_404(
        selectors.participants_visible_to(request.user).select_related(
            "youth", "cohort__programme", "placement_employer"
        ),
        pk=pk,
        request=request,
        audit=True,
    )
    skills = list(participant.cohort.programme.core_skills.all())
    ratings = list(participant.ratings.select_related("skill"))
    context = {
        "participant": participant,
        "progress": measure_one(participant, day=timezone.localdate()),
        "lines": skill_lines(skills, ratings),
        "history": participant.phase_changes.select_related("changed_by"),
        "talks": participant.coaching_talks.select_related("coach")[:10],
        "may_manage": selectors.may_manage(request.user, participant.cohort),
        "next_phase": participant.phase + 1 if participant.phase < LAST_PHASE else None,
    }
    return render(request, "prep_programme/participant_detail.html", context)


def _managed_participant(request, pk) -> Participant:
    return get_visible_or_404(
        selectors.participants_managed_by(request.user).select_related(
            "youth", "cohort__programme"
        ),
        pk=pk,
        request=request,
        audit=True,
    )


@programme_staff
def participant_move_phase(request, pk):
    participant = _managed_participant(request, pk)
    to_phase = participant.phase + 1
    employers = (
        selectors.employers_for_phase_3(request.user, participant.cohort)
        if to_phase == LAST_PHASE
        else None
    )
    form = MovePhaseForm(request.POST or None, employers=employers)
    if form.is_valid():
        try:
            services.participant_move_phase(
                participant=participant, to_phase=to_phase, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Moved to phase %(phase)s.") % {"phase": to_phase})
            return redirect("prep_programme:participant_detail", participant.pk)
    context = {
        "participant": participant,
        "form": form,
        "to_phase": to_phase,
        "progress": measure_one(participant, day=timezone.localdate()),
    }
    return render(request, "prep_programme/participant_move_phase.html", context)


@programme_staff
def skills_rate(request, pk):
    participant = _managed_participant(request, pk)
    skills = participant.cohort.programme.core_skills.all()
    form = RatingForm(request.POST or None, skills=skills)
    if form.is_valid():
        try:
            services.skills_rate(
                participant=participant,
                ratings=form.ratings(),
                rater=SkillRating.Rater.COACH,
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ratings saved."))
            return redirect("prep_programme:participant_detail", participant.pk)
    context = {"participant": participant, "form": form}
    return render(request, "prep_programme/skills_rate.html", context)


@programme_staff
def coaching_log(request, pk):
    participant = _managed_participant(request, pk)
    form = CoachingForm(request.POST or None)
    if form.is_valid():
        try:
            services.coaching_log(participant=participant, coach=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Coaching talk logged."))
            return redirect("prep_programme:participant_detail", participant.pk)
    context = {"participant": participant, "form": form}
    return render(request, "prep_programme/coaching_log.html", context)


@role_required(Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, audit_model=YoungPerson)
def participant_enrol(request, pk):
    """Enrol a young person in a running cohort of their city (the intake proposes it)."""
    youth = get_visible_or_404(youth_visible_to(request.user), pk=pk, request=request, audit=True)
    cohorts = selectors.cohorts_to_enrol_in(youth, today=timezone.localdate())
    form = EnrolForm(
        request.POST or None,
        cohorts=cohorts,
        initial={"school_arrangement": youth.school_obligation_arrangement},
    )
    if form.is_valid():
        try:
            participant = services.participant_enrol(
                youth=youth, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Enrolled in %(cohort)s.") % {"cohort": participant.cohort})
            return redirect(youth.get_absolute_url())
    context = {"youth": youth, "form": form, "has_cohorts": cohorts.exists()}
    return render(request, "prep_programme/participant_enrol.html", context)


@programme_staff
def participant_leave(request, pk):
    participant = _managed_participant(request, pk)
    form = LeaveForm(request.POST or None)
    if form.is_valid():
        try:
            services.participant_leave(
                participant=participant, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The participant left the programme."))
            return redirect("prep_programme:participant_detail", participant.pk)
    context = {"participant": participant, "form": form, "title": _("Leave early")}
    return render(request, "prep_programme/participant_end.html", context)


@programme_staff
def participant_finish(request, pk):
    participant = _managed_participant(request, pk)
    initial = {"certificate": participant.cohort.programme.certificate}
    form = FinishForm(request.POST or None, initial=initial)
    if form.is_valid():
        try:
            services.participant_finish(
                participant=participant, by=request.user, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The participant finished the programme."))
            return redirect("prep_programme:participant_detail", participant.pk)
    context = {"participant": participant, "form": form, "title": _("Finish the programme")}
    return render(request, "prep_programme/participant_end.html", context)


@role_required(Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, audit_model=YoungPerson)
def youth_detail_panel(request, pk):
    """The young person's participations in the programme, on their profile."""
    youth = get_visible_or_404(youth_visible_to(request.user), pk=pk, request=request, audit=True)
    participations = list(
        selectors.participants_visible_to(request.user)
        .filter(youth=youth)
        .select_related("cohort__programme")
        .order_by("-enrolled_on", "-pk")
    )
    return render_panel(
        request,
        "prep_programme/youth_detail_panel.html",
        {
            "youth": youth,
            "participations": participations,
            "active": any(participant.is_active for participant in participations),
        },
        title=_("Pre-employment programme for %(reference)s") % {"reference": youth.case_reference},
        back_url=youth.get_absolute_url(),
    )
