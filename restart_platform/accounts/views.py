import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.i18n import set_language as django_set_language
from django_otp import login as otp_login
from django_otp import match_token

from restart_platform.view_helpers import is_our_path

from .client import client_ip
from .forms import TokenForm
from .ratelimit import within_limit
from .services import (
    ENROLMENT_VALID_SECONDS,
    pending_device,
    two_factor_enrol,
    two_factor_pending_key,
    user_has_second_factor,
    user_set_language,
)


class LoginView(auth_views.LoginView):
    """Django's login, which also brings back the language the user chose last time."""

    def form_valid(self, form):
        response = super().form_valid(form)
        language = form.get_user().language
        if language in dict(settings.LANGUAGES):
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                language,
                max_age=settings.LANGUAGE_COOKIE_AGE,
                samesite="Lax",
                secure=settings.HTTPS,
                httponly=True,
            )
        return response


class PasswordResetView(auth_views.PasswordResetView):
    """Django's password reset, braked per address and per e-mail address entered.

    Without a brake the form sends mail to any account as often as anyone likes. The answer
    for an unknown address stays the same as for a known one; only the count differs.
    """

    def form_valid(self, form):
        window = settings.PASSWORD_RESET_LIMIT_WINDOW
        address_ok = within_limit(
            scope="password-reset-address",
            key=client_ip(self.request) or "",
            limit=settings.PASSWORD_RESET_LIMIT_PER_ADDRESS,
            window=window,
        )
        account_ok = address_ok and within_limit(
            scope="password-reset-account",
            key=form.cleaned_data["email"].strip().lower(),
            limit=settings.PASSWORD_RESET_LIMIT_PER_ACCOUNT,
            window=window,
        )
        if not account_ok:
            form.add_error(
                None,
                _(
                    "Too many password reset requests. Try again in an hour, or ask your coordinator."
                ),
            )
            return self.form_invalid(form)
        return super().form_valid(form)


def two_factor(request):
    """Confirm a login with a code from the authenticator app or a backup code."""
    if not user_has_second_factor(user=request.user):
        return _two_factor_setup(request)
    form = TokenForm(request.POST or None)
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["token"])
        if device is not None:
            otp_login(request, device)
            messages.success(request, _("Your login is confirmed."))
            return redirect(_safe_next(request))
        form.add_error("token", _("This code is not correct or has expired. Try the newest code."))
    return render(request, "accounts/two_factor.html", {"form": form, "setting_up": False})


def _two_factor_setup(request):
    """First use: a key for this session only, valid ten minutes; then the backup codes, once."""
    form = TokenForm(request.POST or None)
    if form.is_valid():
        enrolled = two_factor_enrol(
            user=request.user, session=request.session, token=form.cleaned_data["token"]
        )
        if enrolled is not None:
            device, codes = enrolled
            otp_login(request, device)
            context = {"codes": codes, "next": resolve_url(_safe_next(request))}
            return render(request, "accounts/two_factor_backup_codes.html", context)
        form.add_error(
            "token",
            _(
                "This code is not correct, or the key expired. Scan the code shown now and try again."
            ),
        )
    device = pending_device(user=request.user, key=two_factor_pending_key(session=request.session))
    context = {
        "form": form,
        "setting_up": True,
        "qr_svg_uri": segno.make(device.config_url, error="m").svg_data_uri(scale=5),
        "secret": _base32_secret(device),
        "valid_minutes": ENROLMENT_VALID_SECONDS // 60,
    }
    return render(request, "accounts/two_factor.html", context)


@login_not_required
@require_POST
def set_language(request):
    """Switch the interface language; a logged-in user keeps the choice for e-mails too."""
    response = django_set_language(request)
    language = request.POST.get("language")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        user_set_language(user=request.user, language=language)
    return response


def _safe_next(request) -> str:
    target = request.GET.get("next", "")
    if is_our_path(request, target):
        return target
    return settings.LOGIN_REDIRECT_URL


def _base32_secret(device) -> str:
    from base64 import b32encode

    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
