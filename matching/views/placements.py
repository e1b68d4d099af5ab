"""Coordinator pages for placements: the list with the retention figures, recording a placement,
one placement with its follow-ups, ending it, and answering a follow-up.

A placement names a young person, so each one is loaded through `get_visible_or_404(...,
audit=True)`: every look, and every refused attempt, is in the access log.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from restart_platform.accounts.access import cities_for, get_visible_or_404, staff_only
from restart_platform.view_helpers import (
    add_service_errors,
    id_from_query,
    page_by_keys,
    query_string,
)

from .. import selectors, services
from ..forms import FollowUpAnswerForm, PlacementEndForm, PlacementFilterForm, PlacementForm
from ..models import FollowUp, Placement


def placement_for(request, pk, *, action: str = "view") -> Placement:
    return get_visible_or_404(
        selectors.placements_for_detail(request.user),
        pk=pk,
        request=request,
        audit=True,
        action=action,
    )


@staff_only
def placement_list(request):
    today = timezone.localdate()
    form = PlacementFilterForm(request.GET or None, cities=cities_for(request.user))
    filters = form.cleaned_data if form.is_valid() else {}
    placements = selectors.placements_filtered(request.user, filters, today=today)
    context = {
        "form": form,
        "page": page_by_keys(placements, request.GET.get("page")),
        "query_string": query_string(request),
        "retention": list(selectors.retention_figures(request.user, today=today).values()),
        "today": today,
    }
    return render(request, "matching/placement_list.html", context)


@staff_only
def placement_create(request):
    form = PlacementForm(
        request.POST or None,
        initial=_prefill(request),
        youth=selectors.youth_to_place(request.user),
        openings=selectors.openings_to_fill(request.user),
    )
    if form.is_valid():
        try:
            placement = services.placement_create(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _(
                    "The placement is recorded; the follow-ups at 1, 3, 6 and 12 months are planned."
                ),
            )
            return redirect(placement)
    return render(request, "matching/placement_create.html", {"form": form})


def _prefill(request) -> dict:
    """?youth=&opening= from a suggestion or a shortlist; the opening brings its start and hours."""
    initial = {
        name: pk
        for name in ("youth", "opening")
        if (pk := id_from_query(request.GET.get(name, ""))) is not None
    }
    openings = selectors.openings_to_fill(request.user)
    if "opening" in initial and (opening := openings.filter(pk=initial["opening"]).first()):
        initial |= {"start_date": opening.start_date, "hours_per_week": opening.hours_per_week}
    return initial


@staff_only
def placement_detail(request, pk):
    placement = placement_for(request, pk)
    return render(request, "matching/placement_detail.html", _detail_context(placement))


def _detail_context(placement: Placement, bound: FollowUpAnswerForm | None = None) -> dict:
    """Each follow-up that may be answered now gets its form; a rejected one keeps its errors."""
    today = timezone.localdate()
    follow_ups = []
    for follow_up in placement.follow_ups.all():
        answerable = (
            placement.status == Placement.Status.ACTIVE
            and follow_up.answered_at is None
            and follow_up.due_on <= today
        )
        form = None
        if answerable:
            form = bound if bound and bound.prefix == _prefix(follow_up) else None
            form = form or FollowUpAnswerForm(prefix=_prefix(follow_up))
        follow_ups.append((follow_up, form))
    return {"placement": placement, "follow_ups": follow_ups, "today": today}


def _prefix(follow_up: FollowUp) -> str:
    return f"follow-up-{follow_up.pk}"


@staff_only
def placement_end(request, pk):
    placement = placement_for(request, pk, action="end")
    if placement.status != Placement.Status.ACTIVE:
        messages.info(request, _("This placement has ended already."))
        return redirect(placement)
    form = PlacementEndForm(request.POST or None)
    if form.is_valid():
        try:
            services.placement_end(placement=placement, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The placement has ended; its place is free again."))
            return redirect(placement)
    return render(request, "matching/placement_end.html", {"placement": placement, "form": form})


@staff_only
@require_POST
def follow_up_answer(request, pk):
    follow_up = get_visible_or_404(
        selectors.follow_ups_visible_to(request.user),
        pk=pk,
        request=request,
        audit=True,
        action="answer",
    )
    form = FollowUpAnswerForm(request.POST, prefix=_prefix(follow_up))
    if form.is_valid():
        try:
            services.follow_up_answer(follow_up=follow_up, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The follow-up is recorded."))
            return redirect("matching:placement_detail", pk=follow_up.placement_id)
    if form.non_field_errors():  # answered already, or the placement ended: no form to show
        for error in form.non_field_errors():
            messages.error(request, error)
        return redirect("matching:placement_detail", pk=follow_up.placement_id)
    placement = placement_for(request, follow_up.placement_id)
    return render(request, "matching/placement_detail.html", _detail_context(placement, form))
