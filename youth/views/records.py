"""What is recorded about a young person: consents, barriers, network factors, contacts.

Each record is reached through its young person, loaded with the access log written, so a
record outside the user's scope answers 404 exactly like a missing one.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Model
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from restart_platform.accounts.access import may_see_sensitive
from restart_platform.accounts.audit import log_access
from restart_platform.accounts.models import AccessEvent
from restart_platform.stale_edits import save_if_unchanged
from restart_platform.view_helpers import add_service_errors

from .. import services
from ..forms import BarrierForm, ConsentForm, ContactMomentForm, NetworkFactorForm
from ..models import Barrier, Consent, NetworkFactor, YoungPerson
from .profiles import form_errors_text, youth_for, youth_pages


def _record_for(request, model: type[Model], pk, *, action: str):
    """A consent, barrier or network factor, through its young person."""
    youth_id = model.objects.filter(pk=pk).values_list("youth_id", flat=True).first()
    if youth_id is None:
        log_access(
            request=request,
            model=model,
            object_id=pk,
            outcome=AccessEvent.Outcome.NOT_FOUND,
            action=action,
        )
        raise Http404
    youth = youth_for(request, youth_id, action=action)
    record = model.objects.get(pk=pk)
    record.youth = youth
    return record


def _sensitive_only(request, youth: YoungPerson) -> None:
    """Barriers and the network are shown to few (see may_see_sensitive); the rest get 404."""
    if not may_see_sensitive(
        request.user, city_id=youth.city_id, caseload_user_id=youth.youth_worker_id
    ):
        raise Http404


@youth_pages
def consent_create(request, pk):
    youth = youth_for(request, pk, action="consent_give")
    form = ConsentForm(request.POST or None, instance=Consent(youth=youth))
    if form.is_valid():
        try:
            consent = services.consent_give(youth=youth, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("The consent is recorded: %(purpose)s.")
                % {"purpose": consent.get_purpose_display()},
            )
            return redirect(youth)
    return render(request, "youth/consent_form.html", {"form": form, "youth": youth})


@youth_pages
def consent_withdraw(request, pk):
    consent = _record_for(request, Consent, pk, action="consent_withdraw")
    if not consent.is_active:
        messages.info(request, _("This consent was withdrawn already."))
        return redirect(consent.youth)
    if request.method == "POST":
        services.consent_withdraw(consent=consent, by=request.user)
        messages.success(
            request,
            _("The consent is withdrawn: %(purpose)s.")
            % {"purpose": consent.get_purpose_display()},
        )
        return redirect(consent.youth)
    return render(
        request, "youth/consent_withdraw.html", {"consent": consent, "youth": consent.youth}
    )


@youth_pages
def barrier_create(request, pk):
    youth = youth_for(request, pk, action="barrier_create")
    _sensitive_only(request, youth)
    return _barrier_form(request, Barrier(youth=youth), created=True)


@youth_pages
def barrier_edit(request, pk):
    barrier = _record_for(request, Barrier, pk, action="barrier_edit")
    _sensitive_only(request, barrier.youth)
    return _barrier_form(request, barrier, created=False)


def _barrier_form(request, barrier: Barrier, *, created: bool):
    form = BarrierForm(request.POST or None, instance=barrier)
    if form.is_valid():
        try:
            saved = save_if_unchanged(
                form, lambda: services.barrier_save(barrier=form.instance, by=request.user)
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
            saved = None
        if saved is not None:
            messages.success(
                request, _("The barrier is added.") if created else _("The changes are saved.")
            )
            return redirect(barrier.youth)
    context = {"form": form, "youth": barrier.youth, "barrier": barrier if not created else None}
    return render(request, "youth/barrier_form.html", context)


@youth_pages
def network_factor_create(request, pk):
    youth = youth_for(request, pk, action="network_factor_create")
    _sensitive_only(request, youth)
    form = NetworkFactorForm(request.POST or None, instance=NetworkFactor(youth=youth))
    if form.is_valid():
        try:
            services.network_factor_save(factor=form.instance, by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The network factor is added."))
            return redirect(youth)
    return render(request, "youth/network_factor_form.html", {"form": form, "youth": youth})


@youth_pages
def network_factor_delete(request, pk):
    factor = _record_for(request, NetworkFactor, pk, action="network_factor_delete")
    _sensitive_only(request, factor.youth)
    if request.method == "POST":
        services.network_factor_delete(factor=factor, by=request.user)
        messages.success(request, _("The network factor is removed."))
        return redirect(factor.youth)
    return render(
        request, "youth/network_factor_delete.html", {"factor": factor, "youth": factor.youth}
    )


@youth_pages
@require_POST
def contact_create(request, pk):
    youth = youth_for(request, pk, action="contact_log")
    form = ContactMomentForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(youth)
    try:
        services.contact_log(youth=youth, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The contact is logged."))
    return redirect(youth)
