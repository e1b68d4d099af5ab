"""What list and form pages of every app share: the page size, the list's query string, and
turning a service's refusal into form errors."""

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.utils.http import url_has_allowed_host_and_scheme

PAGE_SIZE = 25


def query_string(request) -> str:
    """The list's current search and filters, for pagination and export links."""
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def page_by_keys(ordered: QuerySet, number, *, rows: QuerySet | None = None) -> Page:
    """A page of `ordered`, found by reading only its primary keys; the page's rows are then
    read from `rows` (by default `ordered` itself), with what each row shows, in that order.

    Asked for rows with their related records and per-row lookups, PostgreSQL joins and looks
    up every row before it sorts and keeps 25 (it plans for all of them). Sorting the keys
    alone and reading the 25 rows afterwards costs one more query and a fraction of the time."""
    page = Paginator(ordered.values_list("pk", flat=True), PAGE_SIZE).get_page(number)
    keys = list(page.object_list)
    found = (ordered if rows is None else rows).order_by().in_bulk(keys)
    page.object_list = [found[key] for key in keys if key in found]
    return page


def id_from_query(value: str) -> int | None:
    """A row id from the query string, or None: ASCII digits only (isdigit() also takes "²",
    which int() then refuses with a 500)."""
    if value.isascii() and value.isdigit() and len(value) <= 18:
        return int(value)
    return None


def add_service_errors(form, exc: ValidationError) -> None:
    """A rule the service enforces shows at its field when the form has it, otherwise on top."""
    errors = exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
    for field, field_messages in errors:
        form.add_error(field if field in form.fields else None, field_messages)
    if getattr(exc, "code", None) == "stale" and hasattr(form, "show_current"):
        form.show_current()  # someone else changed the record: the next save is a choice


def safe_next_url(request, field: str = "next") -> str | None:
    """The page to go back to after a POST, if it is one of ours (never an open redirect)."""
    url = request.POST.get(field, "")
    return url if is_our_path(request, url) else None


def is_our_path(request, url: str) -> bool:
    """A path on this site. A bare word passes Django's host check too, but `redirect()` then
    takes it for a URL name, and a name that does not exist is a NoReverseMatch: a 500."""
    return url.startswith("/") and url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
