"""Coordinator pages for openings: the list across employers, one opening, and its form."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from restart_platform.accounts.access import cities_for, get_visible_or_404, staff_only
from restart_platform.stale_edits import save_if_unchanged
from restart_platform.view_helpers import add_service_errors, page_by_keys, query_string

from .. import selectors, services
from ..forms import OpeningFilterForm, OpeningForm
from ..models import Opening
from ..selectors import employers_visible_to, openings_for_list


def form_data(request):
    return request.POST if request.method == "POST" else None


def save_opening(request, form: OpeningForm) -> Opening | None:
    """Hand a valid opening form to the service; a rule it breaks becomes a form error."""
    opening = form.save(commit=False)
    try:
        return save_if_unchanged(
            form,
            lambda: services.opening_save(
                opening=opening,
                by=request.user,
                required_skills=form.cleaned_data["required_skills"],
                nice_to_have_skills=form.cleaned_data["nice_to_have_skills"],
            ),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None


@staff_only
def opening_list(request):
    form = OpeningFilterForm(request.GET or None, cities=cities_for(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    openings = selectors.openings_filtered(request.user, filters)
    page = page_by_keys(openings, request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": query_string(request)}
    return render(request, "employers/opening_list.html", context)


@staff_only
def opening_detail(request, pk):
    openings = openings_for_list(request.user).prefetch_related("nice_to_have_skills")
    opening = get_visible_or_404(openings, pk=pk, request=request)
    return render(request, "employers/opening_detail.html", {"opening": opening})


@staff_only
def opening_create(request, pk):
    employer = get_visible_or_404(employers_visible_to(request.user), pk=pk, request=request)
    form = OpeningForm(form_data(request), instance=Opening(employer=employer))
    if form.is_valid() and (opening := save_opening(request, form)):
        messages.success(request, _("The opening %(title)s is saved.") % {"title": opening.title})
        return redirect(opening)
    return render(
        request,
        "employers/opening_form.html",
        {"form": form, "employer": employer, "opening": None},
    )


@staff_only
def opening_edit(request, pk):
    opening = get_visible_or_404(openings_for_list(request.user), pk=pk, request=request)
    form = OpeningForm(form_data(request), instance=opening)
    if form.is_valid() and save_opening(request, form):
        messages.success(request, _("The opening %(title)s is saved.") % {"title": opening.title})
        return redirect(opening)
    context = {"form": form, "employer": opening.employer, "opening": opening}
    return render(request, "employers/opening_form.html", context)
