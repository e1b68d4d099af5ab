"""The grouped main menu: per role only the pages the role may open, grouped; the page shown and
its group marked as current."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from employers.factories import ContactFactory
from restart_platform.accounts.context_processors import NAVIGATION, Group, Item, navigation

pytestmark = pytest.mark.django_db

STAFF_GROUPS = {
    "employers": [
        "/employers/",
        "/employers/pipeline/",
        "/employers/openings/",
        "/employers/partners/",
    ],
    "youth": ["/youth/", "/youth/caseload/", "/intake/"],
    "matching": [
        "/matching/",
        "/matching/?show=shares",
        "/matching/proposals/",
        "/matching/placements/",
    ],
    "guidance": [
        "/buddy/",
        "/buddy/mentors/",
        "/buddy/overview/",
        "/prep/",
        "/prep/participants/",
    ],
    "figures": [
        "/dashboard/",
        "/dashboard/fidelity/",
        "/dashboard/pitch/",
        "/dashboard/stories/",
        "/dashboard/audit/",
    ],
}


def menu_for(user, path="/", **query):
    request = RequestFactory().get(path, query)
    request.user = user
    return navigation(request)


def shape(menu) -> list:
    """The menu as top-level links and groups of links."""
    return [
        (entry["key"], [item["url"] for item in entry["items"]])
        if entry["kind"] == "group"
        else entry["url"]
        for entry in menu["nav_menu"]
    ]


@pytest.mark.parametrize("role", ["admin", "coord_rotterdam", "coord_dordrecht"])
def test_admins_and_coordinators_get_every_group(cast, role):
    assert shape(menu_for(cast[role])) == ["/", *STAFF_GROUPS.items()]
    assert [item["url"] for item in menu_for(cast[role])["account_items"]] == [
        reverse("notifications:reminder_failed_list")
    ]


def test_a_youth_worker_gets_their_young_people_and_guidance_only(cast):
    menu = menu_for(cast["jw_rotterdam"])
    assert shape(menu) == [
        "/",
        ("youth", ["/youth/", "/youth/caseload/", "/intake/"]),
        ("guidance", ["/buddy/", "/prep/", "/prep/participants/"]),
    ]
    assert menu["account_items"] == []


def test_an_employer_contact_gets_the_portal_pages_at_the_top_level(cast):
    menu = menu_for(cast["employer1"])
    assert shape(menu) == ["/", "/portal/", "/portal/candidates/", "/buddy/mine/", "/prep/"]
    assert menu["account_items"] == []


def test_every_menu_link_opens_for_the_role_that_sees_it(cast, client_for):
    for contact in (cast["employer1"], cast["employer2"]):
        ContactFactory(user=contact)  # the portal is that of the contact's own employer
    for user in cast.values():
        client = client_for(user)
        menu = menu_for(user)
        for link in [*menu["nav_items"], *menu["account_items"]]:
            assert (user.username, link["url"], client.get(link["url"]).status_code) == (
                user.username,
                link["url"],
                200,
            )


def test_a_role_that_does_not_get_a_page_in_the_menu_is_refused_it(cast, client_for):
    """The roles on the items are those of the views: whoever gets no item for a page answers
    404 there, so the menu never hides a page a role may open, nor offers one it may not."""
    roles_of = {}
    for entry in NAVIGATION:
        for item in entry.items if isinstance(entry, Group) else (entry,):
            roles_of.setdefault(item.url_name, set()).update(item.roles)
    for url_name, roles in roles_of.items():
        for user in cast.values():
            if user.role not in roles:
                status = client_for(user).get(reverse(url_name)).status_code
                assert (url_name, user.username, status) == (url_name, user.username, 404)


def test_the_page_and_its_group_are_marked_current(cast):
    menu = menu_for(cast["coord_rotterdam"], "/employers/pipeline/")
    assert [item["url"] for item in menu["nav_items"] if item["active"]] == ["/employers/pipeline/"]
    assert [entry["key"] for entry in menu["nav_menu"] if entry.get("active")] == ["employers"]


def test_a_detail_page_marks_the_list_it_belongs_to(cast):
    menu = menu_for(cast["coord_rotterdam"], "/matching/placements/12/")
    assert [item["url"] for item in menu["nav_items"] if item["active"]] == [
        "/matching/placements/"
    ]


def test_the_shared_profiles_are_told_apart_from_the_shortlist_by_their_query(cast):
    user = cast["coord_rotterdam"]
    shares = menu_for(user, "/matching/", show="shares", status="active")
    shortlist = menu_for(user, "/matching/")
    assert [i["url"] for i in shares["nav_items"] if i["active"]] == ["/matching/?show=shares"]
    assert [i["url"] for i in shortlist["nav_items"] if i["active"]] == ["/matching/"]


def test_the_start_page_is_current_only_on_itself(cast):
    assert [i["url"] for i in menu_for(cast["admin"], "/")["nav_items"] if i["active"]] == ["/"]
    on_youth = menu_for(cast["admin"], "/youth/3/")
    assert [i["url"] for i in on_youth["nav_items"] if i["active"]] == ["/youth/"]


def test_the_rendered_menu_marks_the_page_and_its_group_for_assistive_technology(cast, client_for):
    html = client_for(cast["coord_rotterdam"]).get("/employers/pipeline/").content.decode()
    assert (
        'id="menu-employers" data-bs-toggle="dropdown" aria-expanded="false" aria-current="true"'
        in html
    )
    assert 'href="/employers/pipeline/" aria-current="page"' in html
    assert html.count('aria-current="true"') == 1
    assert html.count('aria-current="page"') == 1


def test_a_group_with_no_page_for_the_role_is_left_out(cast, monkeypatch):
    staff_only = Group("staff", "Staff", (Item("employers:employer_list", "List", ("admin",)),))
    monkeypatch.setattr(
        "restart_platform.accounts.context_processors.NAVIGATION", (*NAVIGATION, staff_only)
    )
    assert "staff" in [entry.get("key") for entry in menu_for(cast["admin"])["nav_menu"]]
    assert "staff" not in [
        entry.get("key") for entry in menu_for(cast["coord_rotterdam"])["nav_menu"]
    ]


def test_anonymous_visitors_get_no_menu():
    from django.contrib.auth.models import AnonymousUser

    request = RequestFactory().get("/accounts/login/")
    request.user = AnonymousUser()
    assert navigation(request)["nav_menu"] == []
