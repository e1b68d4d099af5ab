"""The young-people pages: the list, the caseload, the profile, registration, edits and merging.

Every profile is loaded through `get_visible_or_404(..., audit=True)`: each look at a young
person's record, and each refused attempt, is written to the access log.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from restart_platform.accounts.access import (
    Role,
    get_visible_or_404,
    may_see_sensitive,
    registration_cities_for,
    role_required,
    staff_only,
    youth_workers_for,
)
from restart_platform.accounts.access import cities_for as staff_cities_for
from restart_platform.accounts.audit import log_access
from restart_platform.accounts.models import AccessEvent
from restart_platform.stale_edits import save_if_unchanged
from restart_platform.view_helpers import add_service_errors, page_by_keys, query_string

from .. import selectors, services
from ..forms import (
    ContactMomentForm,
    JourneyForm,
    MergeForm,
    MoveCaseloadForm,
    YouthFilterForm,
    YouthForm,
)
from ..models import WEEKDAYS, Consent, YoungPerson

youth_pages = role_required(
    Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, audit_model=YoungPerson
)

CHANGED_BY_SOMEONE_ELSE = gettext_lazy(
    "Someone else saved this profile since you opened it; reload to see their changes. "
    "Nothing of yours was saved."
)


def youth_for(
    request, pk, *, action: str = "view", queryset: QuerySet | None = None
) -> YoungPerson:
    """The young person, if the user may see them; the look (or the refusal) is logged."""
    queryset = queryset if queryset is not None else selectors.youth_visible_to(request.user)
    return get_visible_or_404(queryset, pk=pk, request=request, audit=True, action=action)


def profile_or_list_url(user, youth: YoungPerson) -> str:
    """After a change that may move the young person out of the user's scope (another caseload)."""
    if selectors.youth_visible_to(user).filter(pk=youth.pk).exists():
        return youth.get_absolute_url()
    return reverse("youth:youth_list")


def form_errors_text(form) -> str:
    return " ".join(error for errors in form.errors.values() for error in errors)


@youth_pages
def youth_list(request):
    user = request.user
    is_staff = user.role != Role.YOUTH_WORKER
    form = YouthFilterForm(
        request.GET or None,
        cities=staff_cities_for(user) if is_staff else None,
        youth_workers=youth_workers_for(user) if is_staff else None,
    )
    filters = form.cleaned_data if form.is_valid() else {}
    youth = selectors.youth_filtered(user, filters, today=timezone.localdate())
    page = page_by_keys(youth, request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": query_string(request)}
    return render(request, "youth/youth_list.html", context)


@youth_pages
def youth_detail(request, pk):
    youth = youth_for(
        request,
        pk,
        queryset=selectors.youth_for_detail(request.user).prefetch_related("intakes__record"),
    )
    user = request.user
    workers = _workers_for_city(user, youth)
    consents = list(youth.consents.all())
    context = {
        "youth": youth,
        "sensitive": may_see_sensitive(
            user, city_id=youth.city_id, caseload_user_id=youth.youth_worker_id
        ),
        "active_consents": [consent for consent in consents if consent.is_active],
        "withdrawn_consents": [consent for consent in consents if not consent.is_active],
        "registration_consent_missing": not any(
            consent.is_active and consent.purpose == Consent.Purpose.REGISTRATION
            for consent in consents
        ),
        "journey_form": JourneyForm(initial={"to_status": youth.journey}, record=youth),
        "move_form": MoveCaseloadForm(
            youth_workers=workers, initial={"to_worker": youth.youth_worker_id}, record=youth
        ),
        "contact_form": ContactMomentForm(),
        "available_days": [str(label) for code, label in WEEKDAYS if code in youth.available_days],
        "intakes": youth.intakes.all(),
    }
    return render(request, "youth/youth_detail.html", context)


def _workers_for_city(user, youth: YoungPerson):
    """A young person moves to a youth worker who works in their city."""
    return youth_workers_for(user).filter(organisation__city=youth.city_id)


@youth_pages
def youth_create(request):
    form = _youth_form(request)
    if form.is_valid() and not _needs_duplicate_confirmation(request, form):
        youth = _save_or_report(
            form,
            lambda: services.youth_register(
                by=request.user,
                interests=form.cleaned_data["interests"],
                skills=form.cleaned_data["skills"],
                **form.profile_fields(),
            ),
        )
        if youth:
            messages.success(
                request, _("%(reference)s is registered.") % {"reference": youth.case_reference}
            )
            return redirect(profile_or_list_url(request.user, youth))
    return render(request, "youth/youth_form.html", {"form": form})


@youth_pages
def youth_edit(request, pk):
    youth = youth_for(request, pk, action="edit")
    form = _youth_form(request, instance=youth)
    if form.is_valid() and not _needs_duplicate_confirmation(request, form):
        saved = _save_or_report(
            form,
            lambda: save_if_unchanged(
                form,
                lambda: services.youth_update(
                    youth=youth,
                    version=form.cleaned_data["version"],
                    by=request.user,
                    interests=form.cleaned_data["interests"],
                    skills=form.cleaned_data["skills"],
                    **form.profile_fields(),
                ),
            ),
        )
        if saved:
            messages.success(request, _("The changes are saved."))
            return redirect(profile_or_list_url(request.user, saved))
    return render(request, "youth/youth_form.html", {"form": form, "youth": youth})


def _youth_form(request, instance=None) -> YouthForm:
    return YouthForm(
        request.POST or None,
        instance=instance,
        user=request.user,
        cities=registration_cities_for(request.user),
        youth_workers=youth_workers_for(request.user),
    )


def _needs_duplicate_confirmation(request, form: YouthForm) -> bool:
    """Show possible duplicates before saving. Those outside the user's scope are only counted:
    that a young person is known in another caseload is all the user may learn of them."""
    if not form.identity_changed():
        return False
    data = form.cleaned_data
    found = selectors.possible_duplicates(
        first_name=data["first_name"],
        last_name=data["last_name"],
        date_of_birth=data["date_of_birth"],
        email=data["email"],
        phone=data["phone"],
        exclude_pk=form.instance.pk,
    )
    visible = set(
        selectors.youth_visible_to(request.user)
        .filter(pk__in=[duplicate.pk for duplicate in found])
        .values_list("pk", flat=True)
    )
    form.possible_duplicates = [duplicate for duplicate in found if duplicate.pk in visible]
    form.hidden_duplicates = len(found) - len(form.possible_duplicates)
    _log_duplicate_check(request, found, visible)
    return bool(found) and not data.get("confirm_not_duplicate")


def _log_duplicate_check(request, found: list[YoungPerson], visible: set[int]) -> None:
    """Every check is a look: a name and birth date, e-mail or phone tried against all records.
    Each match is logged, as refused when it lies outside the user's scope; no match, too."""
    if not found:
        log_access(
            request=request,
            model=YoungPerson,
            object_id="",
            outcome=AccessEvent.Outcome.NOT_FOUND,
            action="duplicate_check",
        )
    for duplicate in found:
        outcome = (
            AccessEvent.Outcome.ALLOWED if duplicate.pk in visible else AccessEvent.Outcome.DENIED
        )
        log_access(request=request, target=duplicate, outcome=outcome, action="duplicate_check")


def _save_or_report(form, save):
    try:
        return save()
    except ValidationError as exc:
        add_service_errors(form, exc)
    except services.RecordChangedError:
        form.add_error(None, CHANGED_BY_SOMEONE_ELSE)
    except IntegrityError:
        form.add_error(
            None,
            _(
                "Someone saved a conflicting change at the same moment. Check the details and try again."
            ),
        )
    return None


@youth_pages
@require_POST
def youth_move_caseload(request, pk):
    youth = youth_for(request, pk, action="move_caseload")
    form = MoveCaseloadForm(request.POST, youth_workers=_workers_for_city(request.user, youth))
    if not form.is_valid():
        messages.error(request, form_errors_text(form))
        return redirect(youth)
    worker = form.cleaned_data["to_worker"]
    try:
        services.youth_move_caseload(
            youth=youth, to_worker=worker, by=request.user, shown=form.shown()
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(youth)
    messages.success(
        request,
        _("%(reference)s is now in the caseload of %(worker)s.")
        % {"reference": youth.case_reference, "worker": worker},
    )
    return redirect(profile_or_list_url(request.user, youth))


@youth_pages
@require_POST
def youth_journey(request, pk):
    youth = youth_for(request, pk, action="journey")
    form = JourneyForm(request.POST)
    if form.is_valid():
        try:
            youth = services.youth_change_journey(
                youth=youth,
                to_status=form.cleaned_data["to_status"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                shown=form.shown(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request,
                _("The journey is now: %(journey)s.") % {"journey": youth.get_journey_display()},
            )
    else:
        messages.error(request, form_errors_text(form))
    return redirect(youth)


@staff_only
def youth_merge(request):
    """Pick two records (GET), compare them side by side, then confirm (POST)."""
    form = MergeForm((request.POST if request.method == "POST" else request.GET) or None)
    records = _records_to_merge(request, form) if form.is_valid() else None
    if records and request.method == "POST":
        try:
            keep = services.youth_merge(keep=records[0], duplicate=records[1], by=request.user)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(duplicate)s is merged into %(keep)s.")
                % {"duplicate": records[1].case_reference, "keep": keep.case_reference},
            )
            return redirect(keep)
    keep, duplicate = records or (None, None)
    return render(
        request, "youth/youth_merge.html", {"form": form, "keep": keep, "duplicate": duplicate}
    )


def _records_to_merge(request, form: MergeForm) -> tuple[YoungPerson, YoungPerson] | None:
    found = {}
    for name in ("keep", "duplicate"):
        try:
            found[name] = youth_for(
                request,
                form.cleaned_data[name],
                action="merge",
                queryset=selectors.youth_for_detail(request.user),
            )
        except Http404:
            form.add_error(
                name, _("There is no young person with this reference in your caseloads.")
            )
    return (found["keep"], found["duplicate"]) if len(found) == 2 else None
