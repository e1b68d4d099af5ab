"""Who may see what: the platform's access rules, in one place.

Every view and every queryset asks this module. Models describe where their scope lives (the
field path to their city, to the responsible youth worker, to their employer, to their owner);
the rules below turn a user and those paths into a filter. A record outside a user's scope is
answered with 404, exactly as a record that does not exist.

    admin             everything
    coordinator       everything in their cities
    youth worker      their own caseload (rows whose `caseload` path points at them)
    employer contact  rows of their own employer (`employer_contact`: the path to the user
                      account of the employer's contact people)
    anyone            rows they own personally (`owner` path, or `own_q` for rows that
                      are nobody else's business, such as notifications)
"""

from collections.abc import Callable
from functools import wraps

from django.core.exceptions import ValidationError
from django.db.models import Model, Q, QuerySet
from django.http import Http404, HttpRequest

from .audit import log_access
from .models import AccessEvent, City, User

Role = User.Role

# A filter that matches no row; Django turns it into an empty result without a query error.
NOTHING = Q(pk__in=[])
# A filter that matches every row. Not Q(): an empty Q vanishes when OR-ed with another. Not
# Q(pk__isnull=False) either: Django writes that as "id IS NOT NULL", which PostgreSQL then
# estimates as a filter and plans around (a sequential scan to count 10,000 young people, three
# times the index's cost). The negation of NOTHING is a condition Django leaves out of the SQL.
EVERYTHING = ~NOTHING


def has_role(user, *roles: str) -> bool:
    return bool(user.is_authenticated and user.is_active and user.role in roles)


def is_admin(user) -> bool:
    return has_role(user, Role.ADMIN)


def is_staff_member(user) -> bool:
    """Admins and coordinators: the people who run the alliance."""
    return has_role(user, Role.ADMIN, Role.COORDINATOR)


def scope_q(
    user,
    *,
    city: str | None = None,
    caseload: str | None = None,
    employer_contact: str | None = None,
    owner: str | None = None,
) -> Q:
    """The rows a user may see, as a filter over the model's scope paths.

    A path that is not given grants nothing, so a model that names no `caseload` is invisible
    to youth workers. Admins see every row.
    """
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    if user.role == Role.ADMIN:
        return EVERYTHING
    q = NOTHING
    if owner:
        q |= Q(**{owner: user})
    if city and user.role == Role.COORDINATOR:
        q |= Q(**{f"{city}__in": user.city_ids})
    if caseload and user.role == Role.YOUTH_WORKER:
        q |= Q(**{caseload: user})
    if employer_contact and user.role == Role.EMPLOYER_CONTACT:
        q |= Q(**{employer_contact: user})
    return q


def may_see_case_reference(user) -> bool:
    """The people who work with young people; never an employer contact, whose e-mails and
    notifications name a candidate at most by a first name."""
    return has_role(user, Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER)


def may_see_sensitive(user, *, city_id: int, caseload_user_id: int) -> bool:
    """Barriers and notes: the young person's own youth worker, coordinators of their city, admins."""
    if not (user.is_authenticated and user.is_active):
        return False
    if user.role == Role.ADMIN:
        return True
    if user.role == Role.COORDINATOR:
        return city_id in user.city_ids
    return user.role == Role.YOUTH_WORKER and caseload_user_id == user.pk


def own_q(user, path: str = "user") -> Q:
    """Personal rows (a user's notifications): their owner only, administrators included."""
    if not (user.is_authenticated and user.is_active):
        return NOTHING
    return Q(**{path: user})


def visible(queryset: QuerySet, user, **paths: str) -> QuerySet:
    """`queryset` narrowed to what `user` may see; see `scope_q` for the paths."""
    return queryset.filter(scope_q(user, **paths))


def get_visible_or_404(
    queryset: QuerySet,
    *,
    pk,
    request: HttpRequest,
    audit: bool = False,
    action: str = "view",
) -> Model:
    """Load one row from an already scoped queryset, or answer 404.

    With `audit`, the look is written to the access log: allowed, refused (the row exists but
    is outside the user's scope) or not found.
    """
    try:
        obj = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, ValidationError):
        if audit:
            exists = (
                queryset.model._base_manager.filter(pk=pk).exists()
                if _valid_pk(queryset, pk)
                else False
            )
            outcome = AccessEvent.Outcome.DENIED if exists else AccessEvent.Outcome.NOT_FOUND
            log_access(
                request=request, model=queryset.model, object_id=pk, outcome=outcome, action=action
            )
        raise Http404 from None
    if audit:
        log_access(
            request=request,
            model=queryset.model,
            object_id=obj.pk,
            outcome=AccessEvent.Outcome.ALLOWED,
            action=action,
        )
    return obj


def _valid_pk(queryset: QuerySet, pk) -> bool:
    try:
        queryset.model._meta.pk.to_python(pk)
    except ValidationError:
        return False
    return True


def role_required(*roles: str, audit_model: type[Model] | None = None) -> Callable:
    """A view only some roles use; everyone else gets 404, as if the page did not exist.

    With `audit_model`, a refused attempt on a record (the view's `pk`) is written to the access
    log, like a refusal by scope: someone outside these roles tried to open a profile.
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not has_role(request.user, *roles):
                if audit_model is not None and "pk" in kwargs and request.user.is_authenticated:
                    _log_refusal(request, audit_model, kwargs["pk"])
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _log_refusal(request: HttpRequest, model: type[Model], pk) -> None:
    queryset = model._base_manager.all()
    exists = _valid_pk(queryset, pk) and queryset.filter(pk=pk).exists()
    outcome = AccessEvent.Outcome.DENIED if exists else AccessEvent.Outcome.NOT_FOUND
    log_access(request=request, model=model, object_id=pk, outcome=outcome)


# --- The choices a form may offer, and a service accept --------------------------------------
# A form's choice list comes from these rules, and the service that saves the choice asks the
# same rule again: a value posted by hand that the form would not have offered is refused.


def cities_for(user) -> QuerySet[City]:
    """The cities a user may pick on a form or filter: all for an admin, their own for a coordinator."""
    return (
        City.objects.all() if user.role == Role.ADMIN else City.objects.filter(pk__in=user.city_ids)
    )


def registration_cities_for(user) -> QuerySet[City]:
    """The cities a young person may be registered in: a youth worker's is their organisation's."""
    if user.role == Role.YOUTH_WORKER:
        return City.objects.filter(pk=user.organisation.city_id if user.organisation_id else None)
    return cities_for(user) if is_staff_member(user) else City.objects.none()


def coordinators_for(user) -> QuerySet[User]:
    """Who may own an employer relationship: the coordinators of the cities this user sees."""
    coordinators = User.objects.filter(role=Role.COORDINATOR, is_active=True)
    if is_admin(user):
        return coordinators
    if not is_staff_member(user):
        return coordinators.none()
    return coordinators.filter(cities__in=user.city_ids).distinct()


def youth_workers_for(user) -> QuerySet[User]:
    """Whose caseload a young person may go to: the youth workers of the user's cities (a youth
    worker's city is their organisation's)."""
    workers = User.objects.filter(role=Role.YOUTH_WORKER, is_active=True).select_related(
        "organisation"
    )
    if is_admin(user):
        return workers
    if has_role(user, Role.YOUTH_WORKER):
        return (
            workers.filter(organisation__city=user.organisation.city_id)
            if user.organisation_id
            else workers.filter(pk=user.pk)
        )
    if is_staff_member(user):
        return workers.filter(organisation__city__in=user.city_ids)
    return workers.none()


def offered(choices: QuerySet, value) -> bool:
    """Whether `value` (a row, or None) is one of the choices a rule above gives."""
    return value is None or choices.filter(pk=value.pk).exists()


staff_only = role_required(Role.ADMIN, Role.COORDINATOR)
