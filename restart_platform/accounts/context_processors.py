from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .access import Role, has_role

# The main navigation per role. Later apps add their entries here, next to the role rules.
NAVIGATION = [
    (
        "dashboard:home",
        _("Home"),
        (Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, Role.EMPLOYER_CONTACT),
    ),
    ("dashboard:caseload", _("Caseload"), (Role.YOUTH_WORKER,)),
    ("youth:youth_list", _("Young people"), (Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER)),
    ("intake:intake_list", _("Intakes"), (Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER)),
    ("matching:matching_home", _("Matching"), (Role.ADMIN, Role.COORDINATOR)),
    (
        "prep_programme:cohort_list",
        # Short: the coordinator's menu must fit one line at 1280 px.
        pgettext_lazy("menu", "Pre-employment"),
        (Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, Role.EMPLOYER_CONTACT),
    ),
    ("buddy:pair_list", _("Buddies"), (Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER)),
    ("employers:employer_list", _("Employers"), (Role.ADMIN, Role.COORDINATOR)),
    ("employers:employer_pipeline", _("Pipeline"), (Role.ADMIN, Role.COORDINATOR)),
    ("employers:opening_list", _("Openings"), (Role.ADMIN, Role.COORDINATOR)),
    ("employers:partner_list", _("Partners"), (Role.ADMIN, Role.COORDINATOR)),
    ("portal:portal_home", _("My company"), (Role.EMPLOYER_CONTACT,)),
    ("candidates:candidate_list", _("Candidates"), (Role.EMPLOYER_CONTACT,)),
    ("buddy:mentor_home", _("My buddy pairs"), (Role.EMPLOYER_CONTACT,)),
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
        {"url": reverse(name), "label": label}
        for name, label, roles in NAVIGATION
        if has_role(user, *roles)
    ]
    current = _current_url(request.path, [item["url"] for item in items])
    for item in items:
        item["active"] = item["url"] == current
    return {"nav_items": items, "show_admin_link": user.is_staff}


def _current_url(path: str, urls: list[str]) -> str | None:
    """The section this page belongs to: the longest menu URL it starts with (home only as itself)."""
    matches = [url for url in urls if path == url or (url != "/" and path.startswith(url))]
    return max(matches, key=len, default=None)
