"""What an employer contact sees of the programme: the rating page of a cohort their employer
takes part in, and the panel on a shared candidate's page."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from employers.selectors import employer_of_contact
from matching.selectors import share_readable_by
from restart_platform.accounts.access import (
    get_visible_or_404,
)
from restart_platform.panels import render_panel
from restart_platform.view_helpers import (
    add_service_errors,
)

from .. import selectors, services
from ..forms import (
    EmployerRatingForm,
)
from ..models import (
    SkillRating,
)
from .common import employer_contact_only


@employer_contact_only
def employer_rate(request, pk):
    """An employer contact rates participants of a cohort their employer takes part in, after a
    workplace visit, and sees the ratings they made there (nobody else's)."""
    employer = employer_of_contact(request.user)
    cohort = get_visible_or_404(
        selectors.cohorts_rated_by(employer), pk=pk, request=request, action="rate"
    )
    form = EmployerRatingForm(
        request.POST or None,
        skills=cohort.programme.core_skills.all(),
        participants=selectors.participants_to_rate(cohort),
    )
    if form.is_valid():
        try:
            services.skills_rate(
                participant=form.cleaned_data["participant"],
                ratings=form.ratings(),
                rater=SkillRating.Rater.EMPLOYER,
                employer=employer,
                by=request.user,
                on=form.cleaned_data["rated_on"],
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Ratings saved. Thank you."))
            return redirect("prep_programme:employer_rate", cohort.pk)
    context = {
        "cohort": cohort,
        "form": form,
        "ratings": selectors.ratings_made_by(request.user).filter(participant__cohort=cohort),
    }
    return render(request, "prep_programme/employer_rate.html", context)


@employer_contact_only
def candidate_detail_panel(request, token):
    """On the employer's candidate page (matching's portal): the programme phase and the
    coach's latest core ratings, only for a candidate shared with and readable by this
    employer now; minimised (no notes, no attendance, no coaching)."""
    share = share_readable_by(employer_of_contact(request.user), token=token)
    if share is None:
        raise Http404
    context = {"summary": selectors.programme_summary_for_employer(share.youth_id)}
    return render_panel(
        request,
        "prep_programme/candidate_detail_panel.html",
        context,
        title=_("Pre-employment programme"),
        back_url=reverse("candidates:candidate_detail", args=[token]),
    )
