from django.shortcuts import render
from django.utils import timezone

from restart_platform.notifications.selectors import notifications_for

from ..selectors import start_page_sections


def home(request):
    """The start page: what needs this person's attention, per role. Every section is counted
    in the database, so the page costs the same number of queries whatever the data size."""
    user = request.user
    context = {
        "sections": start_page_sections(user, now=timezone.now()),
        "recent_notifications": notifications_for(user=user).filter(read_at__isnull=True)[:5],
    }
    return render(request, "dashboard/home.html", context)
