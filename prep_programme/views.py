"""Pages of the pre-employment programme at /prep/."""

import csv

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from employers.selectors import employer_of_contact
from matching.selectors import share_readable_by
from restart_platform.accounts.access import (
    cities_for,
    get_visible_or_404,
    has_role,
    role_required,
    staff_only,
)
from restart_platform.accounts.models import User
from restart_platform.panels import render_panel
from restart_platform.view_helpers import (
    PAGE_SIZE,
    add_service_errors,
    id_from_query,
    query_string,
)
from youth.models import YoungPerson
from youth.selectors import youth_visible_to

from . import selectors, services
from .charts import STYLES, skill_lines
from .criteria import measure_one
from .forms import (
    AttendanceForm,
    CoachingForm,
    CohortFilterForm,
    CohortForm,
    EmployerRatingForm,
    EnrolForm,
    FinishForm,
    InvolvementForm,
    LeaveForm,
    MovePhaseForm,
    ParticipantFilterForm,
    RatingForm,
    SessionForm,
)
from .models import (
    LAST_PHASE,
    EmployerInvolvement,
    Participant,
    Programme,
    Session,
    SkillRating,
)

Role = User.Role
programme_staff = role_required(Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER)


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
    context = {
        "cohort": cohort,
        "rows": selectors.cohort_overview(request.user, cohort, today=today),
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
            "youth", "cohort__programme", "placement_employer", "placement__opening"
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
        "legend": [
            (colour, dash, label)
            for (colour, dash), label in zip(STYLES.values(), SkillRating.Rater.labels, strict=True)
        ],
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
    placements = (
        services.placements_to_link(request.user, participant) if to_phase == LAST_PHASE else None
    )
    # A reminder about a new placement links here with it chosen; a person still decides.
    proposed = id_from_query(request.GET.get("placement", ""))
    form = MovePhaseForm(
        request.POST or None, placements=placements, initial={"placement": proposed}
    )
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
        "no_placement": placements is not None and not placements.exists(),
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
                rater=form.cleaned_data["rater"],
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


employer_contact_only = role_required(Role.EMPLOYER_CONTACT)


@employer_contact_only
def employer_rate(request, pk):
    """An employer contact rates participants of a cohort their employer takes part in, after a
    workplace visit, and sees the ratings they made there (nobody else's)."""
    employer = employer_of_contact(request.user)
    cohort = get_visible_or_404(
        selectors.cohorts_rated_by(employer), pk=pk, request=request, action="rate"
    )
    form = EmployerRatingForm(
        request.POST or None,
        skills=cohort.programme.core_skills.all(),
        participants=selectors.participants_to_rate(cohort),
    )
    if form.is_valid():
        try:
            services.skills_rate(
                participant=form.cleaned_data["participant"],
                ratings=form.ratings(),
                rater=SkillRating.Rater.EMPLOYER,
                employer=employer,
                by=request.user,
                on=form.cleaned_data["rated_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ratings saved. Thank you."))
            return redirect("prep_programme:employer_rate", cohort.pk)
    context = {
        "cohort": cohort,
        "form": form,
        "ratings": selectors.ratings_made_by(request.user).filter(participant__cohort=cohort),
    }
    return render(request, "prep_programme/employer_rate.html", context)


@employer_contact_only
def candidate_detail_panel(request, token):
    """On the employer's candidate page (matching's portal): the programme phase and the
    coach's latest core ratings, only for a candidate shared with and readable by this
    employer now; minimised (no notes, no attendance, no coaching)."""
    share = share_readable_by(employer_of_contact(request.user), token=token)
    if share is None:
        raise Http404
    context = {"summary": selectors.programme_summary_for_employer(share.youth_id)}
    return render_panel(
        request,
        "prep_programme/candidate_detail_panel.html",
        context,
        title=_("Pre-employment programme"),
        back_url=reverse("candidates:candidate_detail", args=[token]),
    )


@staff_only
def cohort_create(request):
    return _cohort_form(request, cohort=None)


@staff_only
def cohort_edit(request, pk):
    cohort = get_visible_or_404(selectors.cohorts_editable_by(request.user), pk=pk, request=request)
    return _cohort_form(request, cohort=cohort)


def _cohort_form(request, *, cohort):
    user = request.user
    initial = {}
    if cohort is not None:
        initial = {
            "programme": cohort.programme_id,
            "city": cohort.city_id,
            "name": cohort.name,
            "starts_on": cohort.starts_on,
            "ends_on": cohort.ends_on,
            "coaches": list(cohort.coaches.values_list("pk", flat=True)),
        }
    programmes = selectors.programmes_offered()
    if cohort is not None:  # a programme no longer offered stays on the cohort that runs it
        programmes = programmes | Programme.objects.filter(pk=cohort.programme_id)
    form = CohortForm(
        request.POST or None,
        initial=initial,
        programmes=programmes,
        cities=cities_for(user),
        coaches=services.coaches_for(user),
    )
    if form.is_valid():
        try:
            saved = services.cohort_save(
                by=user,
                cohort=cohort,
                **{**form.cleaned_data, "coaches": list(form.cleaned_data["coaches"])},
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
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


@programme_staff
def participant_list(request):
    """Every participant the user may see, across cohorts."""
    user = request.user
    staff = has_role(user, Role.ADMIN, Role.COORDINATOR)
    form = ParticipantFilterForm(
        request.GET or None,
        cities=cities_for(user) if staff else None,
        cohorts=selectors.cohorts_visible_to(user).order_by("-starts_on", "name"),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    participants = selectors.participants_filtered(user, filters)
    today = timezone.localdate()
    if filters.get("attention"):
        # What needs attention is measured, not stored: measure all, in a fixed number of queries.
        rows = [
            row
            for row in selectors.overview_rows(list(participants), today=today)
            if row.needs_attention
        ]
        page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
        page_rows = list(page.object_list)
    else:
        page = Paginator(participants, PAGE_SIZE).get_page(request.GET.get("page"))
        page_rows = selectors.overview_rows(list(page.object_list), today=today)
    context = {
        "form": form,
        "page": page,
        "rows": page_rows,
        "query_string": query_string(request),
    }
    return render(request, "prep_programme/participant_list.html", context)
