from django.conf import settings
from django.contrib import admin
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from . import views
from .accounts import views as account_views

if settings.REQUIRE_2FA:
    # The admin answers only to users who confirmed their login with a one-time code.
    admin.site.__class__ = OTPAdminSite


def admin_login(request, extra_context=None):
    # One way in: our login page, with its lockout and its second factor.
    return redirect_to_login(request.get_full_path())


admin.site.login = admin_login
admin.site.site_header = "re-START"
admin.site.site_title = "re-START"

urlpatterns = [
    path("", include("restart_platform.dashboard.urls")),
    path("accounts/login/", account_views.LoginView.as_view(), name="login"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("accounts/", include("restart_platform.accounts.urls")),
    path("notifications/", include("restart_platform.notifications.urls")),
    path("employers/", include("employers.urls")),
    path("portal/candidates/", include("matching.portal_urls")),
    path("portal/", include("employers.portal_urls")),
    path("matching/", include("matching.urls")),
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
