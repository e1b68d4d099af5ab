"""Coordinator pages for shortlists and shared profiles: from a suggestion to a shortlist entry,
and from a shortlist entry to a minimised profile the employer sees."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from employers.selectors import openings_visible_to
from restart_platform.accounts.access import get_visible_or_404, staff_only
from restart_platform.accounts.audit import log_access
from restart_platform.view_helpers import (
    PAGE_SIZE,
    add_service_errors,
    query_string,
    safe_next_url,
)
from youth.selectors import youth_visible_to

from .. import selectors, services
from ..forms import ShareFilterForm, ShareWithdrawForm, ShortlistForm
from ..models import Share

SHOW_SHARES = "shares"


@staff_only
def matching_home(request):
    """The shortlist (score, rank, why) or the shared profiles (status, the employer's answer)."""
    show_shares = request.GET.get("show") == SHOW_SHARES
    form = ShareFilterForm(request.GET or None)
    if show_shares:
        filters = form.cleaned_data if form.is_valid() else {}
        rows = selectors.shares_for_home(request.user, filters)
    else:
        rows = selectors.shortlists_for_home(request.user)
    context = {
        "show_shares": show_shares,
        "form": form,
        "page": Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page")),
        "query_string": query_string(request),
    }
    return render(request, "matching/matching_home.html", context)


@staff_only
@require_POST
def shortlist_create(request):
    youth = get_visible_or_404(
        youth_visible_to(request.user), pk=request.POST.get("youth"), request=request, audit=True
    )
    opening = get_visible_or_404(
        openings_visible_to(request.user), pk=request.POST.get("opening"), request=request
    )
    form = ShortlistForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.shortlist_add(youth=youth, opening=opening, by=request.user, reason=reason)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(youth)s is on the shortlist for %(opening)s.")
            % {"youth": youth.case_reference, "opening": opening.title},
        )
    return redirect(safe_next_url(request) or "matching:matching_home")


@staff_only
def share_create(request, pk):
    """GET shows exactly what the employer will see; POST shares it."""
    shortlist = get_visible_or_404(
        selectors.shortlists_visible_to(request.user).select_related("opening__employer"),
        pk=pk,
        request=request,
        audit=True,
    )
    youth = selectors.youth_for_profile().get(pk=shortlist.youth_id)
    log_access(request=request, target=youth)
    errors = []
    if request.method == "POST":
        try:
            services.share_create(shortlist=shortlist, by=request.user)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, _("The profile is shared with the employer."))
            return redirect(_shares_url())
    context = {
        "shortlist": shortlist,
        "youth": youth,
        "profile": selectors.minimised_profile(youth),
        "errors": errors,
    }
    return render(request, "matching/share_create.html", context)


def _shares_url() -> str:
    return reverse("matching:matching_home") + f"?show={SHOW_SHARES}"


@staff_only
def share_withdraw(request, pk):
    share = get_visible_or_404(
        selectors.shares_visible_to(request.user).select_related("youth", "opening__employer"),
        pk=pk,
        request=request,
        audit=True,
    )
    form = ShareWithdrawForm(request.POST or None)
    if share.status == Share.Status.ACTIVE and form.is_valid():
        try:
            services.share_withdraw(
                share=share, by=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request, _("The profile is withdrawn; the employer no longer sees it.")
            )
            return redirect(_shares_url())
    return render(request, "matching/share_withdraw.html", {"share": share, "form": form})
