"""The employer portal: an employer contact keeps up their own employer's openings and demand.

It shows the employer's own details only; the alliance's working notes about the relationship
(pipeline stage, interactions, owner, next action, a reason for declining) never reach it.
"""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext as _

from restart_platform.accounts.access import Role, get_visible_or_404, role_required
from restart_platform.accounts.tokens import invitation_tokens
from restart_platform.stale_edits import save_if_unchanged

from .. import services
from ..forms import DemandProfileForm, OpeningForm
from ..models import DemandProfile, Employer, Opening
from ..selectors import employer_of_contact
from .openings import add_service_errors, form_data, save_opening

employer_contact_only = role_required(Role.EMPLOYER_CONTACT)


def _own_employer(request) -> Employer:
    employer = employer_of_contact(request.user)
    if employer is None:
        raise Http404
    return employer


def _demand_of(employer: Employer) -> DemandProfile | None:
    return DemandProfile.objects.filter(employer=employer).prefetch_related("skills").first()


@employer_contact_only
def portal_home(request):
    employer = _own_employer(request)
    context = {
        "employer": employer,
        "openings": Opening.objects.filter(employer=employer)
        .prefetch_related("required_skills")
        .order_by("status", "start_date", "pk"),
        "contacts": employer.contacts.all(),
        "demand": _demand_of(employer),
    }
    return render(request, "employers/portal_home.html", context)


@employer_contact_only
def portal_opening_create(request):
    employer = _own_employer(request)
    form = OpeningForm(form_data(request), instance=Opening(employer=employer))
    if form.is_valid() and (opening := save_opening(request, form)):
        messages.success(request, _("The opening %(title)s is saved.") % {"title": opening.title})
        return redirect("portal:portal_home")
    return render(
        request,
        "employers/portal_opening_form.html",
        {"form": form, "employer": employer, "opening": None},
    )


@employer_contact_only
def portal_opening_edit(request, pk):
    employer = _own_employer(request)
    opening = get_visible_or_404(Opening.objects.filter(employer=employer), pk=pk, request=request)
    form = OpeningForm(form_data(request), instance=opening)
    if form.is_valid() and save_opening(request, form):
        messages.success(request, _("The opening %(title)s is saved.") % {"title": opening.title})
        return redirect("portal:portal_home")
    context = {"form": form, "employer": employer, "opening": opening}
    return render(request, "employers/portal_opening_form.html", context)


@employer_contact_only
def portal_demand_edit(request):
    employer = _own_employer(request)
    demand = _demand_of(employer) or DemandProfile(employer=employer)
    form = DemandProfileForm(form_data(request), instance=demand)
    if form.is_valid():
        fields = {name: value for name, value in form.cleaned_data.items() if name != "skills"}
        try:
            saved = save_if_unchanged(
                form,
                lambda: services.demand_profile_save(
                    employer=employer, by=request.user, skills=form.cleaned_data["skills"], **fields
                ),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved = None
        if saved is not None:
            messages.success(request, _("Your demand profile is saved."))
            return redirect("portal:portal_home")
    return render(
        request, "employers/portal_demand_form.html", {"form": form, "employer": employer}
    )


class PortalInvitationView(auth_views.PasswordResetConfirmView):
    """The invitation's one-time link: the new employer contact chooses their password.

    Django's password-reset confirmation, with the invitation's own token (72 hours, once), and
    only for an active employer-contact account: nothing else can be opened with it.
    """

    token_generator = invitation_tokens
    template_name = "employers/portal_invitation.html"
    success_url = reverse_lazy("password_reset_complete")

    def get_user(self, uidb64):
        user = super().get_user(uidb64)
        if user is None or not user.is_active or user.role != Role.EMPLOYER_CONTACT:
            return None
        return user
