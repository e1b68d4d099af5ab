"""Participants: the list across cohorts, a participant's page, phase moves, ratings,
coaching, enrolment, leaving and finishing, and the panel on the young person's profile."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from restart_platform.accounts.access import (
    cities_for,
    get_visible_or_404,
    has_role,
    role_required,
)
from restart_platform.panels import render_panel
from restart_platform.view_helpers import (
    PAGE_SIZE,
    add_service_errors,
    id_from_query,
    query_string,
)
from youth.models import YoungPerson
from youth.selectors import youth_visible_to

from .. import selectors, services
from ..charts import STYLES, skill_lines
from ..criteria import measure_one
from ..forms import (
    CoachingForm,
    EnrolForm,
    FinishForm,
    LeaveForm,
    MovePhaseForm,
    ParticipantFilterForm,
    RatingForm,
)
from ..models import (
    LAST_PHASE,
    Participant,
    SkillRating,
)
from .common import Role, programme_staff


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
        request.POST or None,
        placements=placements,
        initial={"placement": proposed},
        record=participant,
    )
    if form.is_valid():
        try:
            services.participant_move_phase(
                participant=participant,
                to_phase=to_phase,
                by=request.user,
                note=form.cleaned_data["note"],
                placement=form.cleaned_data.get("placement"),
                shown=form.shown(),
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
