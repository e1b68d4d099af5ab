from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from . import views
from .accounts import views as account_views
from .accounts.access import is_admin

if settings.REQUIRE_2FA:
    # The admin answers only to users who confirmed their login with a one-time code.
    admin.site.__class__ = OTPAdminSite


def admin_login(request, extra_context=None):
    # One way in: our login page, with its lockout and its second factor.
    return redirect_to_login(request.get_full_path())


_site_has_permission = admin.site.has_permission


def admin_has_permission(request) -> bool:
    # The admin does not exist for anyone logged in but an administrator, not even for a
    # coordinator flagged is_staff: 404 at once, rather than the admin's redirect to its login.
    if request.user.is_authenticated and not is_admin(request.user):
        raise Http404
    # For an administrator, the site's own rule: active staff, with a confirmed second factor
    # when one is required.
    return _site_has_permission(request)


admin.site.login = admin_login
admin.site.has_permission = admin_has_permission
admin.site.site_header = "re-START"
admin.site.site_title = "re-START"

urlpatterns = [
    path("", include("restart_platform.dashboard.urls")),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path(
        "accounts/password_reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("restart_platform.accounts.urls")),
    path("notifications/", include("restart_platform.notifications.urls")),
    path("employers/", include("employers.urls")),
    path("portal/candidates/", include("matching.portal_urls")),
    path("portal/", include("employers.portal_urls")),
    path("matching/", include("matching.urls")),
    path("prep/", include("prep_programme.urls")),
    path("youth/", include("youth.urls")),
    path("intake/", include("intake.urls")),
    path("buddy/", include("buddy.urls")),
    path("i18n/setlang/", account_views.set_language, name="set_language"),
    path("healthz", views.healthz, name="healthz"),
    path("admin/", admin.site.urls),
]

handler404 = "restart_platform.views.page_not_found"
handler500 = "restart_platform.views.server_error"
handler403 = "restart_platform.views.permission_denied"
handler400 = "restart_platform.views.bad_request"
