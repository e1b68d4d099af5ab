"""Network partners and their agreements: who leads the network in each city, and on what terms."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from restart_platform.accounts.access import cities_for, get_visible_or_404, staff_only
from restart_platform.accounts.models import City
from restart_platform.stale_edits import save_if_unchanged
from restart_platform.view_helpers import PAGE_SIZE, add_service_errors, query_string

from .. import selectors, services
from ..forms import AgreementForm, PartnerFilterForm, PartnerForm
from ..models import Agreement, NetworkPartner
from ..selectors import agreements_visible_to, partners_visible_to


def _city_leads(user, cities: QuerySet[City]) -> list[tuple[City, NetworkPartner | None]]:
    """Each city the user works in with its lead partner, or None: the target is one lead per city."""
    leads = {partner.city_id: partner for partner in partners_visible_to(user).filter(is_lead=True)}
    return [(city, leads.get(city.pk)) for city in cities]


@staff_only
def partner_list(request):
    cities = cities_for(request.user)
    form = PartnerFilterForm(request.GET or None, cities=cities)
    filters = form.cleaned_data if form.is_valid() else {}
    # Explicitly ordered: Django drops Meta.ordering from a query with an aggregate.
    partners = selectors.partners_filtered(request.user, filters)
    context = {
        "form": form,
        "page": Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page")),
        "query_string": query_string(request),
        "city_leads": _city_leads(request.user, cities),
        "is_filtered": bool(filters and any(filters.values())),
    }
    return render(request, "employers/partner_list.html", context)


@staff_only
def partner_detail(request, pk):
    partners = (
        partners_visible_to(request.user).select_related("city").prefetch_related("agreements")
    )
    partner = get_visible_or_404(partners, pk=pk, request=request)
    return render(request, "employers/partner_detail.html", {"partner": partner})


@staff_only
def partner_create(request):
    form = PartnerForm(request.POST or None, cities=cities_for(request.user))
    if request.method == "POST" and form.is_valid() and _save_partner(request, form):
        return redirect(form.instance)
    return render(request, "employers/partner_form.html", {"form": form})


@staff_only
def partner_edit(request, pk):
    partner = get_visible_or_404(partners_visible_to(request.user), pk=pk, request=request)
    form = PartnerForm(request.POST or None, instance=partner, cities=cities_for(request.user))
    if request.method == "POST" and form.is_valid() and _save_partner(request, form):
        return redirect(partner)
    return render(request, "employers/partner_form.html", {"form": form, "partner": partner})


def _save_partner(request, form: PartnerForm) -> NetworkPartner | None:
    """Save through the service, which hands the lead over; say so when it did."""
    partner = form.instance
    previous_lead = None
    if partner.is_lead:
        leads = partners_visible_to(request.user).filter(city=partner.city, is_lead=True)
        previous_lead = leads.exclude(pk=partner.pk).first()
    try:
        # A savepoint of our own: after a refused insert the request can still render the form.
        with transaction.atomic():
            saved = save_if_unchanged(
                form, lambda: services.partner_save(partner=partner, by=request.user)
            )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    except IntegrityError:
        # Two people made a partner lead in the same city at the same moment; the database
        # kept one. The other person sees why and can look again.
        form.add_error(
            "is_lead",
            _(
                "Another partner was made the lead in this city at the same moment. Reload and try again."
            ),
        )
        return None
    if saved is None:
        return None
    if previous_lead:
        message = _("%(new)s now leads the network in %(city)s; %(old)s no longer does.") % {
            "new": partner.name,
            "city": partner.city.name,
            "old": previous_lead.name,
        }
    else:
        message = _("%(name)s is saved.") % {"name": partner.name}
    messages.success(request, message)
    return partner


@staff_only
def agreement_create(request, pk):
    partner = get_visible_or_404(partners_visible_to(request.user), pk=pk, request=request)
    form = AgreementForm(request.POST or None, instance=Agreement(partner=partner))
    if request.method == "POST" and form.is_valid() and _save_agreement(request, form):
        return redirect(partner)
    return render(request, "employers/agreement_form.html", {"form": form, "partner": partner})


@staff_only
def agreement_edit(request, pk):
    agreements = agreements_visible_to(request.user).select_related("partner")
    agreement = get_visible_or_404(agreements, pk=pk, request=request)
    form = AgreementForm(request.POST or None, instance=agreement)
    if request.method == "POST" and form.is_valid() and _save_agreement(request, form):
        return redirect(agreement.partner)
    context = {"form": form, "partner": agreement.partner, "agreement": agreement}
    return render(request, "employers/agreement_form.html", context)


def _save_agreement(request, form: AgreementForm) -> Agreement | None:
    agreement = form.instance  # its partner is set: by the create view, or loaded with it
    try:
        saved = save_if_unchanged(
            form, lambda: services.agreement_save(agreement=agreement, by=request.user)
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return None
    if saved is None:
        return None
    messages.success(request, _("The agreement %(title)s is saved.") % {"title": agreement.title})
    return agreement
