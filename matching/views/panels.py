"""Matching's panels on the pages of the apps below it (restart_platform.panels): the young
person's profile and the opening's page leave a slot, and these views fill it. Youth and
employers import nothing of matching; each panel loads its own rows after the page."""

from django.utils.translation import gettext as _

from employers.selectors import openings_visible_to
from intake.selectors import with_latest_intake_motivation
from restart_platform.accounts.access import (
    Role,
    get_visible_or_404,
    has_role,
    role_required,
    staff_only,
)
from restart_platform.panels import render_panel
from youth.models import YoungPerson
from youth.selectors import youth_visible_to

from .. import selectors


@role_required(Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, audit_model=YoungPerson)
def youth_detail_panel(request, pk):
    """The employers waiting for an intake with the young person and, for coordinators, the
    openings suggested for them. Youth workers do not see openings, so no suggestions."""
    # The latest intake's motivation and "click" stand beside the suggestions, never in them.
    youth = get_visible_or_404(
        with_latest_intake_motivation(youth_visible_to(request.user)),
        pk=pk,
        request=request,
        audit=True,
    )
    staff = has_role(request.user, Role.ADMIN, Role.COORDINATOR)
    context = {
        "youth": youth,
        "employers_interested": list(selectors.employers_interested_in(youth)),
        "suggestions": selectors.suggestions_for_youth(request.user, youth) if staff else None,
    }
    return render_panel(
        request,
        "matching/youth_detail_panel.html",
        context,
        title=_("Matching for %(reference)s") % {"reference": youth.case_reference},
        back_url=youth.get_absolute_url(),
    )


@staff_only
def opening_detail_panel(request, pk):
    """The young people suggested for an opening."""
    opening = get_visible_or_404(openings_visible_to(request.user), pk=pk, request=request)
    context = {
        "opening": opening,
        "suggestions": selectors.suggestions_for_opening(request.user, opening),
    }
    return render_panel(
        request,
        "matching/opening_detail_panel.html",
        context,
        title=_("Matching for %(title)s") % {"title": opening.title},
        back_url=opening.get_absolute_url(),
    )
