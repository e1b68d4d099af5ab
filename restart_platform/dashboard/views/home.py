from django.shortcuts import render

from restart_platform.accounts.access import is_staff_member
from restart_platform.notifications.selectors import failed_reminders_for, notifications_for


def home(request):
    """The start page: what needs this person's attention, per role."""
    user = request.user
    context = {
        "recent_notifications": notifications_for(user=user).filter(read_at__isnull=True)[:5],
        "failed_reminder_count": failed_reminders_for(user=user).count()
        if is_staff_member(user)
        else None,
    }
    return render(request, "dashboard/home.html", context)
