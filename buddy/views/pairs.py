"""Pages of the buddy programme: the pairs list, one pair, proposing a mentor for a placed young
person, the kick-off, a check-in, a concern and the close.

A pair names a young person, so each one is loaded through `get_visible_or_404(..., audit=True)`:
every look, and every refused attempt, is in the access log. A mentor with an account reaches
their own pairs through the same pages (their portal), the check-in form first.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from matching.selectors.placements import placements_visible_to
from restart_platform.accounts.access import (
    Role,
    get_visible_or_404,
    has_role,
    is_staff_member,
    role_required,
    staff_only,
)
from restart_platform.view_helpers import add_service_errors, page_by_keys, query_string

from .. import selectors, services
from ..forms import (
    CheckInForm,
    ConcernForm,
    PairCloseForm,
    PairFilterForm,
    PairKickoffForm,
    PairProposeForm,
)
from ..models import TARGET_MONTHS, Mentor, Pair


def pair_for(request, pk, *, action: str = "view") -> Pair:
    return get_visible_or_404(
        selectors.pairs_for_detail(request.user), pk=pk, request=request, audit=True, action=action
    )


@role_required(Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER)
def pair_list(request):
    form = PairFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    pairs = selectors.pairs_filtered(request.user, filters)
    context = {
        "form": form,
        "page": page_by_keys(pairs, request.GET.get("page")),
        "query_string": query_string(request),
        "today": timezone.localdate(),
    }
    return render(request, "buddy/pair_list.html", context)


@role_required(Role.EMPLOYER_CONTACT)
def mentor_home(request):
    """The mentor's portal: their own pairs, each with its check-in form a tap away. A contact who
    is no mentor is told how one becomes a buddy."""
    context = {
        "is_mentor": Mentor.objects.filter(user=request.user).exists(),
        "pairs": selectors.pairs_for_list(request.user),
        "today": timezone.localdate(),
    }
    return render(request, "buddy/mentor_home.html", context)


def pair_detail(request, pk):
    pair = pair_for(request, pk)
    today = timezone.localdate()
    staff = is_staff_member(request.user)
    context = {
        "pair": pair,
        "today": today,
        "months": pair.months_running(today),
        "target_months": TARGET_MONTHS,
        "staff": staff,
        "kickoff_form": PairKickoffForm(initial={"held_on": today})
        if staff and pair.status == Pair.Status.PROPOSED
        else None,
        "close_form": PairCloseForm() if staff and pair.is_open else None,
    }
    return render(request, "buddy/pair_detail.html", context)


@staff_only
def pair_propose(request, pk):
    """The mentors at the placement's employer with room, scored and explained; a person picks."""
    placement = get_visible_or_404(
        placements_visible_to(request.user).select_related("youth", "opening__employer"),
        pk=pk,
        request=request,
        audit=True,
    )
    mentors = selectors.mentors_with_room(employer_id=placement.opening.employer_id).filter(
        pk__in=selectors.mentors_visible_to(request.user).values("pk")
    )
    form = PairProposeForm(request.POST or None, mentors=mentors)
    if form.is_valid():
        try:
            pair = services.pair_propose(placement=placement, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The pair is proposed. Record the kick-off once held."))
            return redirect(pair)
    context = {
        "placement": placement,
        "form": form,
        "suggestions": selectors.suggestions_for(
            placement=placement, user=request.user, today=timezone.localdate()
        ),
    }
    return render(request, "buddy/pair_propose.html", context)


@staff_only
def pair_kickoff(request, pk):
    pair = pair_for(request, pk, action="change")
    form = PairKickoffForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if form.is_valid():
        try:
            services.pair_kickoff(pair=pair, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The kick-off is recorded; the check-ins are planned."))
            return redirect(pair)
    return render(request, "buddy/pair_kickoff.html", {"pair": pair, "form": form})


@staff_only
def pair_close(request, pk):
    pair = pair_for(request, pk, action="change")
    form = PairCloseForm(request.POST or None)
    if form.is_valid():
        try:
            services.pair_close(pair=pair, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The pair is closed; its reminders stop."))
            return redirect(pair)
    return render(request, "buddy/pair_close.html", {"pair": pair, "form": form})


def checkin_create(request, pk):
    """Logged by the mentor from the portal (on a phone), or by the coordinator or youth worker."""
    pair = pair_for(request, pk, action="change")
    form = CheckInForm(request.POST or None, initial={"held_on": timezone.localdate()})
    if form.is_valid():
        try:
            services.checkin_log(pair=pair, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The check-in is saved. Thank you!"))
            return redirect(_after_save(request, pair))
    return render(request, "buddy/checkin_create.html", {"pair": pair, "form": form})


def concern_create(request, pk):
    pair = pair_for(request, pk, action="change")
    form = ConcernForm(request.POST or None)
    if form.is_valid():
        try:
            services.concern_raise(pair=pair, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("Your concern has been passed on to the youth worker and the coordinator."),
            )
            return redirect(_after_save(request, pair))
    return render(request, "buddy/concern_create.html", {"pair": pair, "form": form})


def _after_save(request, pair: Pair):
    return "buddy:mentor_home" if has_role(request.user, Role.EMPLOYER_CONTACT) else pair
