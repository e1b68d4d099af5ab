"""Coordinator pages for employers: the list, the record, the pipeline board, contacts and demand."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.db.models import Count
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from restart_platform.accounts.access import (
    cities_for,
    coordinators_for,
    get_visible_or_404,
    staff_only,
)
from restart_platform.stale_edits import save_if_unchanged
from restart_platform.view_helpers import (
    add_service_errors,
    page_by_keys,
    query_string,
    safe_next_url,
)

from .. import selectors, services
from ..forms import (
    ContactForm,
    DemandProfileForm,
    EmployerFilterForm,
    EmployerForm,
    InteractionForm,
    NextActionForm,
    StageForm,
)
from ..models import Contact, DemandProfile, Employer


def _filter_form(request) -> EmployerFilterForm:
    return EmployerFilterForm(
        request.GET or None,
        cities=cities_for(request.user),
        coordinators=coordinators_for(request.user),
    )


@staff_only
def employer_list(request):
    form = _filter_form(request)
    filters = form.cleaned_data if form.is_valid() else {}
    employers = selectors.employers_filtered(request.user, filters, today=timezone.localdate())
    page = page_by_keys(employers, request.GET.get("page"))
    context = {"form": form, "page": page, "query_string": query_string(request)}
    return render(request, "employers/employer_list.html", context)


@staff_only
def employer_detail(request, pk):
    employer = get_visible_or_404(
        selectors.employers_for_detail(request.user), pk=pk, request=request
    )
    context = {
        "employer": employer,
        "demand": getattr(employer, "demand", None),
        "stage_form": StageForm(initial={"stage": employer.stage}, record=employer),
        "next_action_form": NextActionForm(
            record=employer,
            initial={
                "next_action": employer.next_action,
                "next_action_due": employer.next_action_due,
            },
        ),
        "interaction_form": InteractionForm(),
    }
    return render(request, "employers/employer_detail.html", context)


@staff_only
def employer_create(request):
    form = _employer_form(request)
    if form.is_valid() and not _needs_duplicate_confirmation(request, form):
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name != "confirm_not_duplicate"
        }
        employer = _save_or_report(
            form, lambda: services.employer_create(by=request.user, **fields)
        )
        if employer:
            messages.success(
                request, _("%(name)s is registered as a lead.") % {"name": employer.name}
            )
            return redirect(employer)
    return render(request, "employers/employer_form.html", {"form": form})


@staff_only
def employer_edit(request, pk):
    employer = get_visible_or_404(
        selectors.employers_visible_to(request.user), pk=pk, request=request
    )
    form = _employer_form(request, instance=employer)
    if form.is_valid() and not _needs_duplicate_confirmation(request, form):
        fields = {
            name: value
            for name, value in form.cleaned_data.items()
            if name != "confirm_not_duplicate"
        }
        if _save_or_report(
            form,
            lambda: save_if_unchanged(
                form,
                lambda: services.employer_update(employer=employer, by=request.user, **fields),
            ),
        ):
            messages.success(request, _("The changes are saved."))
            return redirect(employer)
    return render(request, "employers/employer_form.html", {"form": form, "employer": employer})


def _employer_form(request, instance=None) -> EmployerForm:
    return EmployerForm(
        request.POST or None,
        instance=instance,
        user=request.user,
        cities=cities_for(request.user),
        coordinators=coordinators_for(request.user),
    )


def _needs_duplicate_confirmation(request, form: EmployerForm) -> bool:
    """Show possible duplicates before saving; the user confirms they are a different employer."""
    data = form.cleaned_data
    form.possible_duplicates = selectors.possible_duplicates(
        request.user,
        name=data["name"],
        kvk_number=data["kvk_number"],
        city_id=data["city"].pk,
        exclude_pk=form.instance.pk,
    )
    return bool(form.possible_duplicates) and not data.get("confirm_not_duplicate")


def _save_or_report(form, save):
    try:
        return save()
    except ValidationError as exc:
        add_service_errors(form, exc)
    except IntegrityError:
        form.add_error(
            None,
            _(
                "Someone saved a conflicting change at the same moment. Check the details and try again."
            ),
        )
    return None


@staff_only
def employer_pipeline(request):
    """The recruitment board: a column per stage; cards move without a page reload (HTMX)."""
    form = _filter_form(request)
    filters = form.cleaned_data if form.is_valid() else {}
    employers = selectors.employers_filtered(request.user, filters, today=timezone.localdate())
    context = {
        "form": form,
        "columns": _board_columns(employers),
        "query_string": query_string(request),
        "stage_choices": Employer.Stage.choices,
    }
    return render(request, "employers/employer_pipeline.html", context)


def _board_fragment(request, *, moved: Employer, error: str | None):
    """The board again, under the filters it was shown with, after a card moved (or did not)."""
    filters_query = QueryDict(request.POST.get("filters", ""))
    form = EmployerFilterForm(
        filters_query or None,
        cities=cities_for(request.user),
        coordinators=coordinators_for(request.user),
    )
    filters = form.cleaned_data if form.is_valid() else {}
    employers = selectors.employers_filtered(request.user, filters, today=timezone.localdate())
    context = {
        "columns": _board_columns(employers),
        "query_string": filters_query.urlencode(),
        "stage_choices": Employer.Stage.choices,
        "moved": moved,
        "error": error,
    }
    return render(request, "employers/includes/pipeline_board.html", context)


BOARD_CARDS_PER_COLUMN = 30  # more than that is a list's job; the column links to it


def _board_columns(employers) -> list[dict]:
    """Each stage's count, and its first cards in the board's order: two queries, however many
    employers there are (the database ranks them per stage; the rest stay in the database)."""
    counts = dict(employers.order_by().values_list("stage").annotate(n=Count("pk")))
    cards = {stage: [] for stage in Employer.Stage.values}
    for employer in selectors.first_per_stage(employers, BOARD_CARDS_PER_COLUMN):
        cards[employer.stage].append(employer)
    return [
        {
            "stage": stage,
            "label": label,
            "employers": cards[stage],
            "count": counts.get(stage, 0),
        }
        for stage, label in Employer.Stage.choices
    ]


@staff_only
@require_POST
def employer_move_stage(request, pk):
    employer = get_visible_or_404(
        selectors.employers_visible_to(request.user), pk=pk, request=request
    )
    form = StageForm(request.POST)
    error = None
    if form.is_valid():
        try:
            employer = services.employer_move_stage(
                employer=employer,
                to_stage=form.cleaned_data["stage"],
                by=request.user,
                reason=form.cleaned_data["reason"],
                shown=form.shown(),
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
    else:  # the form's own words: a missing stage, or a reason that is too long
        error = " ".join(message for field in form.errors.values() for message in field)
    if request.htmx:
        return _board_fragment(request, moved=employer, error=error)
    if error:
        messages.error(request, error)
    else:
        messages.success(
            request,
            _("%(name)s moved to %(stage)s.")
            % {"name": employer.name, "stage": employer.get_stage_display()},
        )
    return redirect(safe_next_url(request) or employer.get_absolute_url())


@staff_only
@require_POST
def employer_next_action(request, pk):
    employer = get_visible_or_404(
        selectors.employers_visible_to(request.user), pk=pk, request=request
    )
    form = NextActionForm(request.POST)
    if form.is_valid():
        try:
            services.employer_set_next_action(
                employer=employer,
                action=form.cleaned_data["next_action"],
                due=form.cleaned_data["next_action_due"],
                by=request.user,
                shown=form.shown(),
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("The next action is saved; the owner gets a reminder on the due date.")
            )
    else:
        messages.error(
            request, " ".join(error for errors in form.errors.values() for error in errors)
        )
    return redirect(employer)


@staff_only
@require_POST
def interaction_create(request, pk):
    employer = get_visible_or_404(
        selectors.employers_visible_to(request.user), pk=pk, request=request
    )
    form = InteractionForm(request.POST)
    if form.is_valid():
        services.interaction_log(employer=employer, by=request.user, **form.cleaned_data)
        messages.success(request, _("The interaction is logged."))
    else:
        messages.error(
            request, " ".join(error for errors in form.errors.values() for error in errors)
        )
    return redirect(employer)


@staff_only
def contact_create(request, pk):
    employer = get_visible_or_404(
        selectors.employers_visible_to(request.user), pk=pk, request=request
    )
    return _contact_form(request, Contact(employer=employer), created=True)


@staff_only
def contact_edit(request, pk):
    contact = _contact_for(request, pk)
    return _contact_form(request, contact, created=False)


def _contact_for(request, pk) -> Contact:
    employers = selectors.employers_visible_to(request.user)
    return get_object_or_404(
        Contact.objects.select_related("employer").filter(employer__in=employers), pk=pk
    )


def _contact_form(request, contact: Contact, *, created: bool):
    form = ContactForm(request.POST or None, instance=contact)
    if form.is_valid() and _save_or_report(
        form,
        lambda: save_if_unchanged(
            form,
            lambda: services.contact_save(
                contact=form.instance,
                by=request.user,
                invite=form.cleaned_data.get("invite", False),
            ),
        ),
    ):
        messages.success(
            request,
            _("The contact person is added.") if created else _("The changes are saved."),
        )
        if form.cleaned_data.get("invite"):
            messages.success(request, _("The invitation to the portal is on its way."))
        return redirect(contact.employer)
    return render(
        request,
        "employers/contact_form.html",
        {"form": form, "employer": contact.employer, "contact": contact},
    )


@staff_only
def contact_delete(request, pk):
    contact = _contact_for(request, pk)
    if request.method == "POST":
        services.contact_delete(contact=contact, by=request.user)
        messages.success(
            request, _("%(name)s is removed from the contact persons.") % {"name": contact.name}
        )
        return redirect(contact.employer)
    return render(
        request, "employers/contact_delete.html", {"contact": contact, "employer": contact.employer}
    )


@staff_only
def demand_edit(request, pk):
    employer = get_visible_or_404(
        selectors.employers_visible_to(request.user), pk=pk, request=request
    )
    profile = DemandProfile.objects.filter(employer=employer).first() or DemandProfile(
        employer=employer
    )
    form = DemandProfileForm(request.POST or None, instance=profile)
    if form.is_valid():
        fields = dict(form.cleaned_data)
        skills = fields.pop("skills")
        if save_if_unchanged(
            form,
            lambda: services.demand_profile_save(
                employer=employer, by=request.user, skills=skills, **fields
            ),
        ):
            messages.success(request, _("The demand profile is saved."))
            return redirect(employer)
    return render(request, "employers/demand_form.html", {"form": form, "employer": employer})
