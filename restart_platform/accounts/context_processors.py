from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from .access import Role, has_role

# The main navigation per role. Later apps add their entries here, next to the role rules.
NAVIGATION = [
    (
        "dashboard:home",
        _("Home"),
        (Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, Role.EMPLOYER_CONTACT),
    ),
    (
        "notifications:notification_list",
        _("Notifications"),
        (Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, Role.EMPLOYER_CONTACT),
    ),
    ("notifications:reminder_failed_list", _("Failed reminders"), (Role.ADMIN, Role.COORDINATOR)),
]


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = [
        {"url": reverse(name), "label": label, "active": request.path == reverse(name)}
        for name, label, roles in NAVIGATION
        if has_role(user, *roles)
    ]
    return {"nav_items": items, "show_admin_link": user.is_staff}
