"""Buddy's panel on the young person's profile (restart_platform.panels): the youth app imports
nothing of buddy; the panel loads its own rows after the page."""

from django.utils import timezone
from django.utils.translation import gettext as _

from matching.models import Placement
from restart_platform.accounts.access import Role, get_visible_or_404, has_role, role_required
from restart_platform.panels import render_panel
from youth.models import YoungPerson
from youth.selectors import youth_visible_to

from .. import selectors
from ..models import TARGET_MONTHS


@role_required(Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, audit_model=YoungPerson)
def youth_detail_panel(request, pk):
    """The young person's buddy pairs and, for coordinators, the way to propose one for an active
    placement."""
    youth = get_visible_or_404(youth_visible_to(request.user), pk=pk, request=request, audit=True)
    pairs = selectors.pairs_of_youth(request.user, youth.pk)
    staff = has_role(request.user, Role.ADMIN, Role.COORDINATOR)
    placement = (
        Placement.objects.filter(youth=youth, status=Placement.Status.ACTIVE).first()
        if staff and not any(pair.is_open for pair in pairs)
        else None
    )
    context = {
        "youth": youth,
        "pairs": pairs,
        "placement": placement,
        "today": timezone.localdate(),
        "target_months": TARGET_MONTHS,
    }
    return render_panel(
        request,
        "buddy/youth_detail_panel.html",
        context,
        title=_("Buddy for %(reference)s") % {"reference": youth.case_reference},
        back_url=youth.get_absolute_url(),
    )
