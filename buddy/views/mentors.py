"""Coordinator pages for mentors, and the young person's buddy profile."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from employers.selectors import employers_visible_to
from restart_platform.accounts.access import Role, get_visible_or_404, role_required, staff_only
from restart_platform.stale_edits import save_if_unchanged
from restart_platform.view_helpers import add_service_errors, page_by_keys, query_string
from youth.models import YoungPerson
from youth.selectors import youth_visible_to

from .. import selectors, services
from ..forms import BuddyProfileForm, MentorFilterForm, MentorForm
from ..models import BuddyProfile


@staff_only
def mentor_list(request):
    form = MentorFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    context = {
        "form": form,
        "page": page_by_keys(
            selectors.mentors_filtered(request.user, filters), request.GET.get("page")
        ),
        "query_string": query_string(request),
    }
    return render(request, "buddy/mentor_list.html", context)


@staff_only
def mentor_detail(request, pk):
    mentor = get_visible_or_404(selectors.mentors_for_detail(request.user), pk=pk, request=request)
    return render(request, "buddy/mentor_detail.html", {"mentor": mentor})


@staff_only
def mentor_create(request):
    return _mentor_form(request, mentor=None)


@staff_only
def mentor_edit(request, pk):
    mentor = get_visible_or_404(selectors.mentors_for_list(request.user), pk=pk, request=request)
    return _mentor_form(request, mentor=mentor)


def _mentor_form(request, *, mentor):
    form = MentorForm(
        request.POST or None,
        instance=mentor,
        employers=employers_visible_to(request.user).order_by("name"),
        accounts=selectors.mentor_accounts_for(request.user),
    )
    if form.is_valid():
        try:
            saved = save_if_unchanged(
                form,
                lambda: services.mentor_save(by=request.user, mentor=mentor, **form.cleaned_data),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved = None
        if saved is not None:
            messages.success(request, _("The mentor is saved."))
            return redirect("buddy:mentor_detail", saved.pk)
    return render(request, "buddy/mentor_form.html", {"form": form, "mentor": mentor})


@role_required(Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, audit_model=YoungPerson)
def buddy_profile_edit(request, pk):
    youth = get_visible_or_404(youth_visible_to(request.user), pk=pk, request=request, audit=True)
    profile = BuddyProfile.objects.filter(youth=youth).first()
    form = BuddyProfileForm(request.POST or None, instance=profile)
    if form.is_valid():
        try:
            saved = save_if_unchanged(
                form,
                lambda: services.buddy_profile_save(
                    youth=youth, by=request.user, **form.cleaned_data
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved = None
        if saved is not None:
            messages.success(request, _("The buddy profile is saved."))
            return redirect(youth)
    return render(request, "buddy/buddy_profile_edit.html", {"form": form, "youth": youth})
