"""The main navigation: a few top-level entries and groups, each item shown to the roles whose
pages (`role_required` on the view) let them open it.

The menu is data: add a page by adding one `Item` line to the group it belongs in. A group
whose items a role may open none of is not shown to that role.
"""

from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .access import Role, has_role

EVERYONE = (Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER, Role.EMPLOYER_CONTACT)
STAFF = (Role.ADMIN, Role.COORDINATOR)
YOUTH_PAGES = (Role.ADMIN, Role.COORDINATOR, Role.YOUTH_WORKER)


@dataclass(frozen=True)
class Item:
    url_name: str
    label: str
    roles: tuple[str, ...]
    # A page that is another view of the same URL (the shared profiles are /matching/?show=shares)
    query: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    items: tuple[Item, ...]


# Labels are short: the whole bar fits one line at 1366 px in Dutch and in English, with room
# for one more group.
NAVIGATION: tuple[Item | Group, ...] = (
    Item("dashboard:home", pgettext_lazy("menu", "Start"), EVERYONE),
    Group(
        "employers",
        pgettext_lazy("menu", "Employers"),
        (
            Item("employers:employer_list", _("Employers"), STAFF),
            Item("employers:employer_pipeline", _("Pipeline"), STAFF),
            Item("employers:opening_list", _("Openings"), STAFF),
            Item("employers:partner_list", _("Partners"), STAFF),
        ),
    ),
    Group(
        "youth",
        pgettext_lazy("menu", "Young people"),
        (
            Item("youth:youth_list", _("Young people"), YOUTH_PAGES),
            Item("dashboard:caseload", _("Caseload"), YOUTH_PAGES),
            Item("intake:intake_list", _("Intakes"), YOUTH_PAGES),
        ),
    ),
    Group(
        "matching",
        pgettext_lazy("menu", "Matching"),
        (
            Item("matching:matching_home", _("Suggestions and shortlist"), STAFF),
            Item("matching:matching_home", _("Shared profiles"), STAFF, {"show": "shares"}),
            Item("matching:proposal_list", _("Assignment proposals"), STAFF),
            Item("matching:placement_list", _("Placements"), STAFF),
        ),
    ),
    Group(
        "guidance",
        pgettext_lazy("menu", "Guidance"),
        (
            Item("buddy:pair_list", _("Buddy pairs"), YOUTH_PAGES),
            Item("buddy:mentor_list", _("Mentors"), STAFF),
            Item("buddy:buddy_overview", _("Buddy programme overview"), STAFF),
            Item("prep_programme:cohort_list", _("Pre-employment programme"), YOUTH_PAGES),
            Item("prep_programme:participant_list", _("Programme participants"), YOUTH_PAGES),
        ),
    ),
    Group(
        "figures",
        pgettext_lazy("menu", "Figures"),
        (
            Item("dashboard:kpis", _("Dashboard"), STAFF),
            Item("dashboard:fidelity", _("Fidelity to the working elements"), STAFF),
            Item("dashboard:pitch", _("Employer pitch"), STAFF),
            Item("dashboard:story_list", _("Stories for the pitch"), STAFF),
            Item("dashboard:audit", _("Audit trail"), STAFF),
        ),
    ),
    # An employer contact's portal, each page at the top level.
    Item("portal:portal_home", _("My company"), (Role.EMPLOYER_CONTACT,)),
    Item("candidates:candidate_list", _("Candidates"), (Role.EMPLOYER_CONTACT,)),
    Item("buddy:mentor_home", _("My buddy pairs"), (Role.EMPLOYER_CONTACT,)),
    Item(
        "prep_programme:cohort_list",
        pgettext_lazy("menu", "Pre-employment"),
        (Role.EMPLOYER_CONTACT,),
    ),
)

# The account menu (the user's name on the right): pages about the running of the platform.
ACCOUNT_MENU: tuple[Item, ...] = (
    Item("notifications:reminder_failed_list", _("Failed reminders"), STAFF),
)


def _entry(item: Item) -> dict:
    url = reverse(item.url_name)
    if item.query:
        url = f"{url}?{urlencode(item.query)}"
    return {"url": url, "label": item.label, "query": item.query, "active": False}


def navigation(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_menu": []}
    menu, items = [], []
    for entry in NAVIGATION:
        if isinstance(entry, Item):
            if has_role(user, *entry.roles):
                link = _entry(entry)
                menu.append({"kind": "item", **link})
                items.append(link)
            continue
        links = [_entry(item) for item in entry.items if has_role(user, *item.roles)]
        if links:
            menu.append({"kind": "group", "key": entry.key, "label": entry.label, "items": links})
            items.extend(links)
    current = _current(request, items)
    if current is not None:
        current["active"] = True
    for group in menu:
        if group["kind"] == "group":
            group["active"] = any(link["active"] for link in group["items"])
    account = [_entry(item) for item in ACCOUNT_MENU if has_role(user, *item.roles)]
    for link in account:
        link["active"] = current is None and request.path == link["url"]
    return {
        "nav_menu": menu,
        "nav_items": items,  # every link of the menu, flat
        "account_items": account,
        "show_admin_link": user.is_staff,
    }


def _current(request, items: list[dict]) -> dict | None:
    """The menu link of the section this page belongs to: the longest menu path the page's path
    starts with (the start page only as itself); of links to the same path, the one whose query
    the page's query matches, before the one without a query."""
    path = request.path

    def score(link: dict) -> tuple[int, int] | None:
        link_path = link["url"].split("?", 1)[0]
        if not (path == link_path or (link_path != "/" and path.startswith(link_path))):
            return None
        query = link["query"]
        if query and any(request.GET.get(key) != value for key, value in query.items()):
            return None
        return (len(link_path), len(query))

    scored = [(s, link) for link in items if (s := score(link)) is not None]
    return max(scored, key=lambda pair: pair[0])[1] if scored else None
