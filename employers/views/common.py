"""What every employers page shares: who may come in, the cities they work in, list paging."""

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from restart_platform.accounts.access import Role, role_required
from restart_platform.accounts.models import City

PAGE_SIZE = 25
staff_only = role_required(Role.ADMIN, Role.COORDINATOR)


def cities_for(user) -> QuerySet[City]:
    """The cities a user may pick: all for an admin, their own for a coordinator."""
    return (
        City.objects.all() if user.role == Role.ADMIN else City.objects.filter(pk__in=user.city_ids)
    )


def query_string(request) -> str:
    """The list's current search and filters, for pagination and export links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def add_service_errors(form, exc: ValidationError) -> None:
    """A rule the service enforces shows at its field when the form has it, otherwise on top."""
    errors = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, field_messages in errors:
        form.add_error(field if field in form.fields else None, field_messages)
