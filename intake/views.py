"""Intake pages: plan a meeting of a young person and an employer, and record how it went.

An intake is about a young person, so every page loads it through the user's scope and writes
the look to the access log. Employer contacts take part in intakes but never see these pages.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from restart_platform.accounts.access import (
    Role,
    cities_for,
    get_visible_or_404,
    may_see_sensitive,
    role_required,
)
from restart_platform.stale_edits import save_if_unchanged
from restart_platform.view_helpers import page_by_keys, query_string
from youth.selectors import youth_visible_to
from youth.services import RecordChangedError

from . import selectors, services
from .calendar import meeting_ics
from .forms import (
    IntakeAttendanceForm,
    IntakeCancelForm,
    IntakeFilterForm,
    IntakeForm,
    IntakeRecordForm,
    YouthChoiceForm,
)
from .models import IntakeMeeting, IntakeRecord

intake_roles = role_required(
    Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, audit_model=IntakeMeeting
)

# The services name the start `starts_at`; the form asks for it as a date and a time.
SERVICE_FIELDS = {"starts_at": "date"}


def add_service_errors(form, exc: ValidationError) -> None:
    """A rule the service enforces shows at its field when the form has it, otherwise on top."""
    errors = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, field_messages in errors:
        field = SERVICE_FIELDS.get(field, field)
        form.add_error(field if field in form.fields else None, field_messages)


def _meeting_for(request, pk) -> IntakeMeeting:
    """The intake, if the user may see its young person; every look is logged."""
    intakes = selectors.intake_for_detail(request.user)
    return get_visible_or_404(intakes, pk=pk, request=request, audit=True)


def _sees_sensitive(user, meeting: IntakeMeeting) -> bool:
    return may_see_sensitive(
        user, city_id=meeting.youth.city_id, caseload_user_id=meeting.youth.youth_worker_id
    )


@intake_roles
def intake_list(request):
    staff = request.user.role in {Role.ADMIN, Role.COORDINATOR}
    form = IntakeFilterForm(request.GET or None, cities=cities_for(request.user) if staff else None)
    filters = form.cleaned_data if form.is_valid() else {}
    intakes = selectors.intakes_filtered(request.user, filters)
    page = page_by_keys(intakes, request.GET.get("page"))
    context = {
        "form": form,
        "page": page,
        "query_string": query_string(request),
        "now": timezone.now(),
    }
    return render(request, "intake/intake_list.html", context)


@intake_roles
def intake_create(request):
    if "youth" not in request.GET:
        picker = YouthChoiceForm(youth=youth_visible_to(request.user).select_related("city"))
        return render(request, "intake/intake_create.html", {"picker": picker})
    youth = get_visible_or_404(
        youth_visible_to(request.user).select_related("city", "youth_worker"),
        pk=request.GET["youth"],
        request=request,
        audit=True,
    )
    # A link may propose the other participants (an employer answered "interested"): the form
    # keeps only those it offers; the date, time and place are always chosen by a person.
    form = IntakeForm(request.POST or None, user=request.user, youth=youth, proposed=request.GET)
    if form.is_valid():
        try:
            meeting = services.intake_schedule(
                youth=youth, by=request.user, **form.meeting_fields()
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The invitations are on their way."))
            return redirect(meeting)
    return render(request, "intake/intake_form.html", {"form": form, "youth": youth})


@intake_roles
def intake_detail(request, pk):
    meeting = _meeting_for(request, pk)
    record = (
        IntakeRecord.objects.filter(meeting=meeting)
        .select_related("finished_by", "outcome_opening__employer")
        .prefetch_related("barriers", "network_factors")
        .first()
    )
    context = {
        "meeting": meeting,
        "record": record,
        "company": _company(meeting),
        "show_sensitive": _sees_sensitive(request.user, meeting),
        "now": timezone.now(),
    }
    return render(request, "intake/intake_detail.html", context)


def _company(meeting: IntakeMeeting):
    contact = getattr(meeting.employer_contact, "employer_contact", None)
    if contact is not None:
        return contact.employer
    return meeting.opening.employer if meeting.opening else None


@intake_roles
def intake_edit(request, pk):
    meeting = _meeting_for(request, pk)
    if meeting.status == IntakeMeeting.Status.CANCELLED:
        messages.error(request, _("A cancelled intake cannot be changed; plan a new one."))
        return redirect(meeting)
    if meeting.status != IntakeMeeting.Status.SCHEDULED:
        messages.error(request, _("This intake has taken place, or not: plan a new one."))
        return redirect(meeting)
    form = IntakeForm(request.POST or None, user=request.user, youth=meeting.youth, meeting=meeting)
    if form.is_valid():
        try:
            saved = save_if_unchanged(
                form,
                lambda: services.intake_update(
                    meeting=meeting, by=request.user, **form.meeting_fields()
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved = None
        if saved is not None:
            messages.success(
                request, _("The changes are saved; everyone gets the updated invitation.")
            )
            return redirect(meeting)
    context = {"form": form, "youth": meeting.youth, "meeting": meeting}
    return render(request, "intake/intake_form.html", context)


@intake_roles
def intake_cancel(request, pk):
    meeting = _meeting_for(request, pk)
    if meeting.status == IntakeMeeting.Status.CANCELLED:
        messages.info(request, _("This intake is cancelled already."))
        return redirect(meeting)
    if meeting.status != IntakeMeeting.Status.SCHEDULED:
        messages.error(request, _("This intake has taken place, or not: it cannot be cancelled."))
        return redirect(meeting)
    form = IntakeCancelForm(request.POST or None)
    if form.is_valid():
        try:
            services.intake_cancel(
                meeting=meeting, by=request.user, reason=form.cleaned_data["cancel_reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The intake is cancelled; everyone invited is told."))
            return redirect(meeting)
    return render(request, "intake/intake_cancel.html", {"form": form, "meeting": meeting})


@intake_roles
def intake_ics(request, pk):
    meeting = _meeting_for(request, pk)
    response = HttpResponse(meeting_ics(meeting), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="intake-{meeting.reference}.ics"'
    return response


@intake_roles
def intake_attendance(request, pk):
    """After the meeting: held (and who was there) or a no-show (and who did not come)."""
    meeting = _meeting_for(request, pk)
    if meeting.status == IntakeMeeting.Status.CANCELLED or meeting.starts_at > timezone.now():
        messages.error(request, _("Who was there is recorded after the meeting."))
        return redirect(meeting)
    form = IntakeAttendanceForm(request.POST or None, user=request.user, meeting=meeting)
    if form.is_valid():
        try:
            saved = save_if_unchanged(
                form,
                lambda: services.intake_record_attendance(
                    meeting=meeting, by=request.user, **form.attendance_fields()
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved = None
        if saved is not None:
            messages.success(request, _("Who was there is saved."))
            return redirect(meeting)
    return render(request, "intake/intake_attendance.html", {"form": form, "meeting": meeting})


@intake_roles
def intake_record(request, pk):
    meeting = _meeting_for(request, pk)
    record = IntakeRecord.objects.filter(meeting=meeting).first() or IntakeRecord(meeting=meeting)
    show_barriers = _sees_sensitive(request.user, meeting)
    form = IntakeRecordForm(
        request.POST or None,
        instance=record,
        user=request.user,
        meeting=meeting,
        show_barriers=show_barriers,
    )
    if form.is_valid():
        finish = request.POST.get("action") == "finish"
        saved = _save_record(request, form, meeting=meeting, finish=finish)
        if saved is not None:
            messages.success(
                request,
                _("The intake is finished; the next step is planned.")
                if saved.status == IntakeRecord.Status.FINISHED and finish
                else _("The record is saved as a draft."),
            )
            return redirect(meeting)
    context = {"form": form, "meeting": meeting, "record": record, "show_barriers": show_barriers}
    return render(request, "intake/intake_record.html", context)


def _save_record(request, form: IntakeRecordForm, *, meeting: IntakeMeeting, finish: bool):
    try:
        return save_if_unchanged(
            form,
            lambda: services.intake_record_save(
                meeting=meeting,
                by=request.user,
                version=form.cleaned_data["version"],
                finish=finish,
                **form.network_fields(),
                **form.record_fields(),
            ),
        )
    except RecordChangedError:
        form.add_error(
            None,
            _(
                "Someone else saved this record after you opened it. Nothing is overwritten: "
                "open the record again to see their changes, then add yours."
            ),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
    return None
