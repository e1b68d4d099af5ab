import time

from auditlog.middleware import AuditlogMiddleware as BaseAuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from .client import client_ip
from .signals import SESSION_STARTED_KEY

# Pages a half-logged-in user (password given, second factor not yet) may still reach.
TWO_FACTOR_OPEN_PREFIXES = ("/accounts/2fa/", "/accounts/logout/", "/i18n/", "/static/", "/healthz")


# When a logged-in user's session was last saved, in seconds since the epoch.
SESSION_RENEWED_KEY = "auth_renewed_at"


class SessionRenewalMiddleware:
    """Keep a logged-in user's idle window (SESSION_COOKIE_AGE) open, saving the session at most
    once every SESSION_RENEW_INTERVAL seconds.

    Django's SESSION_SAVE_EVERY_REQUEST would make every page view, a GET included, an UPDATE
    of the session's row and a commit that waits for the disk. Renewed once a minute, the
    window ends between 29 and 30 minutes after the last request instead of exactly 30; the
    cookie's lifetime moves with it, because Django sends the cookie whenever it saves.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            session = request.session
            # The login saved the session: until the first renewal, that is the last one.
            renewed = session.get(SESSION_RENEWED_KEY, session.get(SESSION_STARTED_KEY, 0))
            if not 0 <= now - renewed < settings.SESSION_RENEW_INTERVAL:
                session[SESSION_RENEWED_KEY] = now
        return self.get_response(request)


class SessionLifetimeMiddleware:
    """End a session 12 hours after login, however active it stays (the idle limit is the cookie's)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = (
            request.session.get(SESSION_STARTED_KEY) if request.user.is_authenticated else None
        )
        if started is not None and time.time() - started > settings.SESSION_ABSOLUTE_AGE:
            logout(request)
            messages.info(request, _("Your session has ended. Please log in again."))
            return redirect(settings.LOGIN_URL)
        return self.get_response(request)


class TwoFactorRequiredMiddleware:
    """Everyone who sees young people's records confirms their login with a one-time code
    when REQUIRE_2FA is on (see User.needs_two_factor)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.REQUIRE_2FA
            and user.is_authenticated
            and user.needs_two_factor
            and not user.is_verified()
            and not request.path.startswith(TWO_FACTOR_OPEN_PREFIXES)
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('accounts:two_factor')}?{query}")
        return self.get_response(request)


class PrivateResponseMiddleware:
    """Keep what a logged-in user saw out of every cache, and switch off browser features.

    A profile or an export must not survive logout in the browser's disk cache, so every
    response to an authenticated user says `no-store`. The Permissions-Policy goes on every
    response: no page of ours needs a camera, a microphone or the user's location.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated:
            add_never_cache_headers(response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class AuditlogMiddleware(BaseAuditlogMiddleware):
    """django-auditlog's middleware, with the client's address from our one helper.

    The original believes the first X-Forwarded-For entry, which any client can write.
    """

    @staticmethod
    def _get_remote_addr(request):
        return client_ip(request)

    @staticmethod
    def _get_remote_port(request):
        return None
