"""Project-wide pages: the health check and the error pages, in the layout of the site."""

import logging
import sys

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import InterfaceError, OperationalError, connection
from django.http import HttpResponse, HttpResponseServerError, JsonResponse
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache

from .celery import app as celery_app
from .notifications.selectors import last_dispatch_at, oldest_waiting_age

logger = logging.getLogger(__name__)


@login_not_required
@never_cache
def healthz(request):
    """200 when the database and the broker answer and reminders flow; 503 naming what fails."""
    checks = {"database": _check_database(), "broker": _check_broker()}
    checks["reminders"] = _check_reminders() if checks["database"] == "ok" else "unknown"
    healthy = all(value == "ok" for value in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "fail", **checks}, status=200 if healthy else 503
    )


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception as exc:
        logger.warning("Health check: database unreachable: %s", exc)
        return "unreachable"
    return "ok"


def _check_broker() -> str:
    try:
        with celery_app.connection_for_write() as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
    except Exception as exc:
        logger.warning("Health check: broker unreachable: %s", exc)
        return "unreachable"
    return "ok"


def _check_reminders() -> str:
    # Due reminders that wait are a fault only when no dispatch has run for a while: a fresh
    # server whose first dispatch is a minute away, or a dispatcher working through a backlog,
    # is healthy; a stopped worker or beat is not.
    now = timezone.now()
    waited = oldest_waiting_age(now=now)
    if waited is None or waited <= settings.REMINDER_STUCK_AFTER:
        return "ok"
    last_dispatch = last_dispatch_at()
    if last_dispatch is not None and now - last_dispatch <= settings.REMINDER_STUCK_AFTER:
        return "ok"
    return "stuck"


def _error_page(request, template: str, status: int):
    return render(request, template, status=status)


def page_not_found(request, exception=None):
    return _error_page(request, "404.html", 404)


# How long a browser is asked to wait before trying again while the database is away.
RETRY_AFTER_SECONDS = 60


def server_error(request):
    """The page for an error no view handled. No context processors: the database may be what
    failed. When it is (stopped, restarting, unreachable), the people using the platform see a
    short maintenance page, 503 with Retry-After, rather than an error of the platform's."""
    context = {"request": request}
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        response = HttpResponse(loader.get_template("503.html").render(context), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponseServerError(loader.get_template("500.html").render(context))


def permission_denied(request, exception=None):
    return _error_page(request, "403.html", 403)


def bad_request(request, exception=None):
    return _error_page(request, "400.html", 400)


def csrf_failure(request, reason=""):
    return _error_page(request, "403_csrf.html", 403)
