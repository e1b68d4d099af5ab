from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from restart_platform.accounts.access import Role, get_visible_or_404, role_required

from . import services
from .selectors import failed_reminders_for, notifications_for

PAGE_SIZE = 25


def notification_list(request):
    page = Paginator(notifications_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/notification_list.html", {"page": page})


@require_http_methods(["GET", "POST"])
def notification_open(request, pk):
    """POST: mark the notification read and follow its link. GET (the link in an e-mail) shows
    an unread notification with a button to open it: a GET changes nothing, so a link checker
    or a prefetching browser cannot mark it read unseen."""
    notification = get_visible_or_404(notifications_for(user=request.user), pk=pk, request=request)
    if request.method == "GET" and notification.read_at is None:
        return render(
            request, "notifications/notification_open.html", {"notification": notification}
        )
    if request.method == "POST":
        services.notification_mark_read(notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}
    ):
        return redirect(notification.url)
    return redirect("notifications:notification_list")


@require_POST
def notification_read_all(request):
    count = (
        notifications_for(user=request.user)
        .filter(read_at__isnull=True)
        .update(read_at=timezone.now())
    )
    messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
    return redirect("notifications:notification_list")


@role_required(Role.ADMIN, Role.COORDINATOR)
def reminder_failed_list(request):
    page = Paginator(failed_reminders_for(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/reminder_failed_list.html", {"page": page})


@role_required(Role.ADMIN, Role.COORDINATOR)
@require_POST
def reminder_retry(request, pk):
    reminder = get_visible_or_404(failed_reminders_for(user=request.user), pk=pk, request=request)
    services.reminder_retry(reminder=reminder)
    messages.success(request, _("The reminder will be sent again within a minute."))
    return redirect("notifications:reminder_failed_list")
