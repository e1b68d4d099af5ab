"""Coordinator pages for assignment proposals: ask for one for a city, watch it being computed,
and accept or reject its rows. An accepted row goes on the shortlist; nothing else happens."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from restart_platform.accounts.access import cities_for, get_visible_or_404, staff_only
from restart_platform.view_helpers import PAGE_SIZE, query_string, safe_next_url

from .. import selectors, services
from ..forms import ProposalDecisionForm, ProposalRequestForm, ProposalRowFilterForm


@staff_only
def proposal_list(request):
    form = ProposalRequestForm(cities=cities_for(request.user))
    context = {
        "form": form,
        "page": Paginator(selectors.proposals_for_list(request.user), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "query_string": query_string(request),
    }
    return render(request, "matching/proposal_list.html", context)


@staff_only
@require_POST
def proposal_create(request):
    form = ProposalRequestForm(request.POST, cities=cities_for(request.user))
    if not form.is_valid():
        messages.error(request, _("Choose one of your cities."))
        return redirect("matching:proposal_list")
    try:
        proposal = services.proposal_request(city=form.cleaned_data["city"], by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("matching:proposal_list")
    if proposal.requested_by_id == request.user.pk:
        messages.success(
            request, _("The proposal is being computed; this page shows it when it is ready.")
        )
    else:
        messages.info(
            request,
            _("%(name)s asked for a proposal for %(city)s just before you: this is that one.")
            % {"name": proposal.requested_by, "city": proposal.city},
        )
    return redirect(proposal)


@staff_only
def proposal_detail(request, pk):
    proposal = get_visible_or_404(
        selectors.proposals_for_list(request.user), pk=pk, request=request
    )
    if request.htmx and request.GET.get("progress"):  # the progress bar polling
        if proposal.is_finished:
            return HttpResponse(headers={"HX-Refresh": "true"})  # show the result, whole
        return render(request, "matching/includes/proposal_progress.html", {"proposal": proposal})
    if not proposal.is_finished:
        return render(request, "matching/proposal_detail.html", {"proposal": proposal})
    form = ProposalRowFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    rows = selectors.proposal_rows_filtered(proposal, filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_explanations(list(page.object_list))
    context = {
        "proposal": proposal,
        "form": form,
        "page": page,
        "query_string": query_string(request),
        "back": request.get_full_path(),
    }
    return render(request, "matching/proposal_detail.html", context)


@staff_only
@require_POST
def proposal_row_decide(request, pk):
    """Accept or reject a row. With HTMX the row is swapped in place and says what happened;
    without, the page comes back with a message."""
    row = get_visible_or_404(
        selectors.proposal_rows_visible_to(request.user).select_related("proposal"),
        pk=pk,
        request=request,
    )
    form = ProposalDecisionForm(request.POST)
    error = None
    if not form.is_valid():
        error = _("Accept or reject the row.")
    else:
        accept = form.cleaned_data["decision"] == "accept"
        try:
            row = services.proposal_row_decide(row=row, by=request.user, accept=accept)
        except ValidationError as exc:
            error = " ".join(exc.messages)
    if request.htmx:
        context = {
            "row": selectors.proposal_row_for_table(row),
            "error": error,
            "back": safe_next_url(request) or row.proposal.get_absolute_url(),
        }
        return render(request, "matching/includes/proposal_row.html", context)
    if error:
        messages.error(request, error)
    elif row.decision == row.Decision.ACCEPTED:
        messages.success(
            request,
            _("%(youth)s is on the shortlist for %(opening)s.")
            % {"youth": row.youth.case_reference, "opening": row.opening.title},
        )
    else:
        messages.success(
            request, _("The row for %(youth)s is rejected.") % {"youth": row.youth.case_reference}
        )
    return redirect(safe_next_url(request) or row.proposal.get_absolute_url())
