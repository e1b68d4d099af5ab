"""Every URL name, for every role: the expected answer. A new view without a row here fails."""

import datetime as dt

import pytest
from django.contrib.auth.views import redirect_to_login
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from buddy.factories import MentorFactory
from buddy.models import Pair
from employers.factories import (
    AgreementFactory,
    ContactFactory,
    EmployerFactory,
    OpeningFactory,
    PartnerFactory,
)
from intake.factories import IntakeMeetingFactory
from matching.models import FollowUp, Placement, Proposal, ProposalRow, Share, Shortlist
from prep_programme.factories import CohortFactory, SessionFactory
from prep_programme.models import EmployerInvolvement, Participant
from restart_platform.dashboard.models import Story
from restart_platform.notifications.models import Notification, Reminder
from youth.factories import BarrierFactory, ConsentFactory, NetworkFactorFactory, YoungPersonFactory
from youth.models import Consent

ROLES = [
    "anonymous",
    "admin",
    "coord_rotterdam",
    "coord_rotterdam2",
    "coord_dordrecht",
    "jw_rotterdam",
    "jw_rotterdam2",
    "jw_dordrecht",
    "employer1",
    "employer2",
]
STAFF = {"admin", "coord_rotterdam", "coord_rotterdam2", "coord_dordrecht"}
EVERYONE = set(ROLES) - {"anonymous"}
# Everything of Rotterdam: both of its coordinators, never Dordrecht's.
ROTTERDAM_STAFF = {"admin", "coord_rotterdam", "coord_rotterdam2"}
YOUTH_STAFF = STAFF | {"jw_rotterdam", "jw_rotterdam2", "jw_dordrecht"}
# A young person of Rotterdam in jw_rotterdam's caseload: not in jw_rotterdam2's, a colleague.
CASELOAD = ROTTERDAM_STAFF | {"jw_rotterdam"}

# name -> (args builder, roles allowed, method[, POST data builder]). An allowed role gets 200,
# or the redirect REDIRECTS names; every other role 404, and anonymous the login page.
# A builder takes the world and returns URL args; records belong to coord_rotterdam / Rotterdam.
MATRIX = {
    "dashboard:home": (None, EVERYONE, "get"),
    "notifications:notification_list": (None, EVERYONE, "get"),
    "notifications:notification_open": (
        lambda w: [w["notification"].pk],
        {"coord_rotterdam"},
        "get",
    ),
    "notifications:notification_read_all": (None, EVERYONE, "post"),
    "notifications:reminder_failed_list": (None, STAFF, "get"),
    "notifications:reminder_retry": (
        lambda w: [w["failed"].pk],
        ROTTERDAM_STAFF,
        "post",
    ),
    "accounts:two_factor": (None, EVERYONE, "get"),
    "employers:employer_list": (None, STAFF, "get"),
    "employers:employer_create": (None, STAFF, "get"),
    "employers:employer_pipeline": (None, STAFF, "get"),
    "employers:employer_import": (None, STAFF, "get"),
    "employers:employer_import_example": (None, STAFF, "get"),
    "employers:employer_export": (None, STAFF, "get"),
    "employers:employer_detail": (lambda w: [w["employer"].pk], ROTTERDAM_STAFF, "get"),
    "employers:employer_edit": (lambda w: [w["employer"].pk], ROTTERDAM_STAFF, "get"),
    "employers:employer_move_stage": (lambda w: [w["employer"].pk], ROTTERDAM_STAFF, "post"),
    "employers:employer_next_action": (lambda w: [w["employer"].pk], ROTTERDAM_STAFF, "post"),
    "employers:contact_create": (lambda w: [w["employer"].pk], ROTTERDAM_STAFF, "get"),
    "employers:contact_edit": (lambda w: [w["contact"].pk], ROTTERDAM_STAFF, "get"),
    "employers:contact_delete": (lambda w: [w["contact"].pk], ROTTERDAM_STAFF, "get"),
    "employers:interaction_create": (lambda w: [w["employer"].pk], ROTTERDAM_STAFF, "post"),
    "employers:demand_edit": (lambda w: [w["employer"].pk], ROTTERDAM_STAFF, "get"),
    "employers:opening_create": (lambda w: [w["employer"].pk], ROTTERDAM_STAFF, "get"),
    "employers:opening_list": (None, STAFF, "get"),
    "employers:opening_detail": (lambda w: [w["opening"].pk], ROTTERDAM_STAFF, "get"),
    "employers:opening_edit": (lambda w: [w["opening"].pk], ROTTERDAM_STAFF, "get"),
    "employers:partner_list": (None, STAFF, "get"),
    "employers:partner_create": (None, STAFF, "get"),
    "employers:partner_detail": (lambda w: [w["partner"].pk], ROTTERDAM_STAFF, "get"),
    "employers:partner_edit": (lambda w: [w["partner"].pk], ROTTERDAM_STAFF, "get"),
    "employers:agreement_create": (lambda w: [w["partner"].pk], ROTTERDAM_STAFF, "get"),
    "employers:agreement_edit": (lambda w: [w["agreement"].pk], ROTTERDAM_STAFF, "get"),
    "youth:youth_list": (None, YOUTH_STAFF, "get"),
    "dashboard:caseload": (None, YOUTH_STAFF, "get"),
    "dashboard:fidelity": (None, STAFF, "get"),
    # The AVG: a young person's file and erasure for staff of their city; the panel on the
    # profile for whoever sees it (it shows youth workers nothing); the audit trail for staff.
    "dashboard:youth_access": (lambda w: [w["youth"].pk], ROTTERDAM_STAFF, "get"),
    "dashboard:youth_access_json": (lambda w: [w["youth"].pk], ROTTERDAM_STAFF, "get"),
    "dashboard:youth_erase": (lambda w: [w["youth"].pk], ROTTERDAM_STAFF, "get"),
    "dashboard:youth_detail_panel": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "dashboard:audit": (None, STAFF, "get"),
    "dashboard:audit_export": (None, STAFF, "get"),
    "youth:youth_create": (None, YOUTH_STAFF, "get"),
    "youth:youth_merge": (None, STAFF, "get"),
    "youth:youth_detail": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "youth:youth_edit": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "youth:youth_move_caseload": (lambda w: [w["youth"].pk], CASELOAD, "post"),
    "youth:youth_journey": (lambda w: [w["youth"].pk], CASELOAD, "post"),
    "youth:consent_create": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "youth:consent_withdraw": (lambda w: [w["consent"].pk], CASELOAD, "get"),
    "youth:barrier_create": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "youth:barrier_edit": (lambda w: [w["barrier"].pk], CASELOAD, "get"),
    "youth:network_factor_create": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "youth:network_factor_delete": (lambda w: [w["factor"].pk], CASELOAD, "get"),
    "youth:contact_create": (lambda w: [w["youth"].pk], CASELOAD, "post"),
    "intake:intake_list": (None, YOUTH_STAFF, "get"),
    "intake:intake_create": (None, YOUTH_STAFF, "get"),
    "intake:intake_detail": (lambda w: [w["intake"].pk], CASELOAD, "get"),
    "intake:intake_edit": (lambda w: [w["intake"].pk], CASELOAD, "get"),
    "intake:intake_cancel": (lambda w: [w["intake"].pk], CASELOAD, "get"),
    "intake:intake_record": (lambda w: [w["intake"].pk], CASELOAD, "get"),
    "intake:intake_attendance": (lambda w: [w["past_intake"].pk], CASELOAD, "get"),
    "intake:intake_ics": (lambda w: [w["intake"].pk], CASELOAD, "get"),
    "matching:matching_home": (None, STAFF, "get"),
    "matching:shortlist_create": (
        None,
        ROTTERDAM_STAFF,
        "post",
        lambda w: {"youth": w["youth"].pk, "opening": w["opening"].pk},
    ),
    "matching:share_create": (lambda w: [w["shortlist"].pk], ROTTERDAM_STAFF, "get"),
    "matching:share_withdraw": (lambda w: [w["share"].pk], ROTTERDAM_STAFF, "get"),
    "matching:proposal_list": (None, STAFF, "get"),
    # Another city's coordinator may post, and is told to choose one of their own cities.
    "matching:proposal_create": (None, STAFF, "post", lambda w: {"city": w["youth"].city_id}),
    "matching:proposal_detail": (lambda w: [w["proposal"].pk], ROTTERDAM_STAFF, "get"),
    "matching:proposal_row_decide": (
        lambda w: [w["proposal_row"].pk],
        ROTTERDAM_STAFF,
        "post",
        lambda w: {"decision": "reject"},
    ),
    "matching:placement_list": (None, STAFF, "get"),
    "matching:placement_create": (None, STAFF, "get"),
    "matching:placement_detail": (lambda w: [w["placement"].pk], ROTTERDAM_STAFF, "get"),
    "matching:placement_end": (lambda w: [w["placement"].pk], ROTTERDAM_STAFF, "get"),
    "matching:follow_up_answer": (lambda w: [w["follow_up"].pk], ROTTERDAM_STAFF, "post"),
    # Matching's panels on the profile and the opening page: whoever sees the page sees the panel.
    "matching:youth_detail_panel": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "matching:opening_detail_panel": (lambda w: [w["opening"].pk], ROTTERDAM_STAFF, "get"),
    # The pre-employment programme: a Rotterdam cohort coached by coord_rotterdam, with
    # jw_rotterdam's young person in it and employer1's company involved.
    "prep_programme:cohort_list": (None, EVERYONE, "get"),
    "prep_programme:cohort_detail": (
        lambda w: [w["cohort"].pk],
        CASELOAD | {"employer1"},
        "get",
    ),
    "prep_programme:cohort_export": (lambda w: [w["cohort"].pk, "csv"], CASELOAD, "get"),
    "prep_programme:session_create": (lambda w: [w["cohort"].pk], ROTTERDAM_STAFF, "get"),
    "prep_programme:attendance_record": (lambda w: [w["session"].pk], ROTTERDAM_STAFF, "get"),
    "prep_programme:participant_detail": (lambda w: [w["participant"].pk], CASELOAD, "get"),
    "prep_programme:participant_move_phase": (
        lambda w: [w["participant"].pk],
        ROTTERDAM_STAFF,
        "get",
    ),
    "prep_programme:participant_leave": (lambda w: [w["participant"].pk], ROTTERDAM_STAFF, "get"),
    "prep_programme:participant_finish": (lambda w: [w["participant"].pk], ROTTERDAM_STAFF, "get"),
    "prep_programme:participant_enrol": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "prep_programme:skills_rate": (lambda w: [w["participant"].pk], ROTTERDAM_STAFF, "get"),
    "prep_programme:coaching_log": (lambda w: [w["participant"].pk], ROTTERDAM_STAFF, "get"),
    "prep_programme:youth_detail_panel": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "prep_programme:participant_list": (None, YOUTH_STAFF, "get"),
    "prep_programme:cohort_create": (None, STAFF, "get"),
    "prep_programme:cohort_edit": (lambda w: [w["cohort"].pk], ROTTERDAM_STAFF, "get"),
    "prep_programme:involvement_list": (lambda w: [w["cohort"].pk], ROTTERDAM_STAFF, "get"),
    "prep_programme:involvement_remove": (
        lambda w: [w["involvement"].pk],
        ROTTERDAM_STAFF,
        "get",
    ),
    # employer1's company takes part in the cohort; employer2's does not.
    "prep_programme:employer_rate": (lambda w: [w["cohort"].pk], {"employer1"}, "get"),
    # The programme's panel on the candidate page: only the employer the profile is shared with.
    "prep_programme:candidate_detail_panel": (lambda w: [w["share"].token], {"employer1"}, "get"),
    # The candidates shared with employer1's company, reached by their token.
    "candidates:candidate_list": (None, {"employer1", "employer2"}, "get"),
    "candidates:candidate_detail": (lambda w: [w["share"].token], {"employer1"}, "get"),
    "candidates:candidate_answer": (lambda w: [w["share"].token], {"employer1"}, "post"),
    # Both employer contacts have a portal, each on their own employer.
    "portal:portal_home": (None, {"employer1", "employer2"}, "get"),
    "portal:portal_opening_create": (None, {"employer1", "employer2"}, "get"),
    "portal:portal_opening_edit": (lambda w: [w["opening"].pk], {"employer1"}, "get"),
    "portal:portal_demand_edit": (None, {"employer1", "employer2"}, "get"),
    # The buddy programme: employer1 is the pair's mentor; employer2 is no mentor.
    "buddy:pair_list": (None, YOUTH_STAFF, "get"),
    "buddy:mentor_home": (None, {"employer1", "employer2"}, "get"),
    "buddy:pair_detail": (lambda w: [w["pair"].pk], CASELOAD | {"employer1"}, "get"),
    "buddy:pair_kickoff": (lambda w: [w["pair"].pk], ROTTERDAM_STAFF, "get"),
    "buddy:pair_close": (lambda w: [w["pair"].pk], ROTTERDAM_STAFF, "get"),
    "buddy:checkin_create": (lambda w: [w["pair"].pk], CASELOAD | {"employer1"}, "get"),
    "buddy:concern_create": (lambda w: [w["pair"].pk], CASELOAD | {"employer1"}, "get"),
    "buddy:pair_propose": (lambda w: [w["placement"].pk], ROTTERDAM_STAFF, "get"),
    "buddy:youth_detail_panel": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "buddy:buddy_profile_edit": (lambda w: [w["youth"].pk], CASELOAD, "get"),
    "buddy:mentor_list": (None, STAFF, "get"),
    "buddy:buddy_overview": (None, STAFF, "get"),
    "buddy:mentor_create": (None, STAFF, "get"),
    "buddy:mentor_detail": (lambda w: [w["pair"].mentor_id], ROTTERDAM_STAFF, "get"),
    "buddy:mentor_edit": (lambda w: [w["pair"].mentor_id], ROTTERDAM_STAFF, "get"),
    "dashboard:kpis": (None, STAFF, "get"),
    "dashboard:kpis_export": (lambda w: ["xlsx"], STAFF, "get"),
    "dashboard:pitch": (None, STAFF, "get"),
    "dashboard:story_list": (None, STAFF, "get"),
    "dashboard:story_create": (None, STAFF, "get"),
    "dashboard:story_edit": (lambda w: [w["story"].pk], ROTTERDAM_STAFF, "get"),
}
# name -> where an allowed role is sent: a builder of the exact Location from the world and the
# role, called after the request (a new record's id is known only then).
REDIRECTS = {
    "notifications:notification_read_all": lambda w, role: reverse(
        "notifications:notification_list"
    ),
    "notifications:reminder_retry": lambda w, role: reverse("notifications:reminder_failed_list"),
    "employers:employer_move_stage": lambda w, role: w["employer"].get_absolute_url(),
    "employers:employer_next_action": lambda w, role: w["employer"].get_absolute_url(),
    "employers:interaction_create": lambda w, role: w["employer"].get_absolute_url(),
    "youth:youth_move_caseload": lambda w, role: w["youth"].get_absolute_url(),
    "youth:youth_journey": lambda w, role: w["youth"].get_absolute_url(),
    "youth:contact_create": lambda w, role: w["youth"].get_absolute_url(),
    "matching:shortlist_create": lambda w, role: reverse("matching:matching_home"),
    # Dordrecht's coordinator asked for Rotterdam: back to the list, to choose their own city.
    "matching:proposal_create": lambda w, role: (
        reverse("matching:proposal_list")
        if role == "coord_dordrecht"
        else reverse("matching:proposal_detail", args=[Proposal.objects.latest("pk").pk])
    ),
    "matching:proposal_row_decide": lambda w, role: reverse(
        "matching:proposal_detail", args=[w["proposal"].pk]
    ),
}
# Public pages and framework pages that answer everyone the same way.
PUBLIC = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "healthz",
    "portal:portal_invitation",  # the invitation's one-time link, its own test
}
LOGGED_IN_ONLY = {"password_change", "password_change_done"}


def _url_names(resolver=None, namespace=""):
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the admin has its own test
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from _url_names(entry, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}"


def test_every_url_name_has_a_row_in_the_matrix():
    missing = set(_url_names()) - set(MATRIX) - PUBLIC - LOGGED_IN_ONLY
    assert not missing, f"Add these URL names to the permission matrix: {sorted(missing)}"
    assert set(REDIRECTS) <= set(MATRIX)


@pytest.fixture
def world(cast, rotterdam):
    from django.utils import timezone

    notification = Notification.objects.create(user=cast["coord_rotterdam"], title="Test", url="/")
    failed = Reminder.objects.create(
        key="failed-1",
        kind="general",
        due_at=timezone.now(),
        next_attempt_at=timezone.now(),
        recipient=cast["jw_rotterdam"],
        city=rotterdam,
        status=Reminder.Status.FAILED,
    )
    employer = EmployerFactory(city=rotterdam, owner=cast["coord_rotterdam"])
    ContactFactory(
        employer=employer, user=cast["employer1"]
    )  # employer1 is this employer's portal user
    EmployerFactory(
        city=rotterdam, owner=cast["coord_rotterdam"], kvk_number="99999999"
    ).contacts.create(name="Other", user=cast["employer2"])
    partner = PartnerFactory(city=rotterdam)
    youth = YoungPersonFactory(youth_worker=cast["jw_rotterdam"], city=rotterdam)
    opening = OpeningFactory(employer=employer)
    placement = Placement.objects.create(
        youth=youth,
        opening=opening,
        start_date=timezone.localdate(),
        hours_per_week=24,
        agreement="employment",
        created_by=cast["coord_rotterdam"],
    )
    mentor = MentorFactory(employer=employer, user=cast["employer1"])
    pair = Pair.objects.create(
        youth=youth,
        mentor=mentor,
        placement=placement,
        score=70,
        proposed_by=cast["coord_rotterdam"],
        status=Pair.Status.KICKED_OFF,
        kickoff_on=timezone.localdate(),
    )
    proposal = Proposal.objects.create(
        city=rotterdam,
        requested_by=cast["coord_rotterdam"],
        status=Proposal.Status.DONE,
        finished_at=timezone.now(),
    )
    cohort = CohortFactory(city=rotterdam)
    involvement = EmployerInvolvement.objects.create(cohort=cohort, employer=employer, kind="visit")
    return {
        "cohort": cohort,
        "involvement": involvement,
        "session": SessionFactory(cohort=cohort),
        "participant": Participant.objects.create(
            cohort=cohort, youth=youth, enrolled_on=cohort.starts_on
        ),
        "proposal": proposal,
        "proposal_row": ProposalRow.objects.create(
            proposal=proposal, youth=youth, opening=opening, score=60
        ),
        "shortlist": Shortlist.objects.create(
            youth=youth, opening=opening, score=50, created_by=cast["coord_rotterdam"]
        ),
        "share": Share.objects.create(
            youth=youth, opening=opening, shared_by=cast["coord_rotterdam"]
        ),
        "placement": placement,
        "pair": pair,
        "follow_up": FollowUp.objects.create(
            placement=placement, month=1, due_on=timezone.localdate()
        ),
        "youth": youth,
        "story": Story.objects.create(
            youth=youth,
            title="Van stage naar contract",
            text="Begon als stagiair, werkt nu vast.",
            created_by=cast["coord_rotterdam"],
        ),
        # The consent to share: the share above stands on it, read live by the portal.
        "consent": ConsentFactory(youth=youth, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS),
        "barrier": BarrierFactory(youth=youth),
        "factor": NetworkFactorFactory(youth=youth),
        "intake": IntakeMeetingFactory(youth=youth),
        "past_intake": IntakeMeetingFactory(
            youth=youth, starts_at=timezone.now() - dt.timedelta(hours=2)
        ),
        "notification": notification,
        "failed": failed,
        "employer": employer,
        "contact": ContactFactory(employer=employer),
        "opening": opening,
        "partner": partner,
        "agreement": AgreementFactory(partner=partner),
        **cast,
    }


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_role_gets_the_expected_answer(name, role, world, client, client_for):
    build_args, allowed, method, *build_data = MATRIX[name]
    url = reverse(name, args=build_args(world) if build_args else None)
    http = client if role == "anonymous" else client_for(world[role])
    data = build_data[0](world) if build_data else {}
    response = getattr(http, method)(url, data)
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"] == redirect_to_login(url)["Location"]
    elif role in allowed and name in REDIRECTS:
        assert response.status_code == 302, f"{role} should be sent on from {name}"
        assert response["Location"] == REDIRECTS[name](world, role)
    elif role in allowed:
        assert response.status_code == 200, f"{role} should reach {name}"
    else:
        assert response.status_code == 404, f"{role} should get 404 on {name}"


@pytest.mark.parametrize("role", sorted(EVERYONE))
def test_only_admins_reach_the_admin_site(role, world, client_for):
    response = client_for(world[role]).get(reverse("admin:index"))
    if role == "admin":
        assert response.status_code == 200
    else:
        assert response.status_code == 404  # the admin does not exist for them


def _page_without_request_details(response, url: str) -> str:
    """The body less what differs per request anyway: the CSRF token, the path asked for."""
    import re

    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", response.content.decode())
    return html.replace(url, "<url>")


@pytest.mark.parametrize(
    ("name", "role", "record"),
    [
        ("notifications:reminder_retry", "coord_dordrecht", "failed"),
        ("notifications:notification_open", "coord_dordrecht", "notification"),
        ("notifications:notification_open", "admin", "notification"),
        ("matching:youth_detail_panel", "coord_dordrecht", "youth"),
        ("matching:opening_detail_panel", "coord_dordrecht", "opening"),
        ("prep_programme:participant_detail", "coord_dordrecht", "participant"),
        ("prep_programme:youth_detail_panel", "jw_dordrecht", "youth"),
        ("buddy:pair_detail", "coord_dordrecht", "pair"),
        ("buddy:pair_detail", "employer2", "pair"),
        ("buddy:youth_detail_panel", "jw_dordrecht", "youth"),
        ("dashboard:youth_access", "coord_dordrecht", "youth"),
        ("dashboard:youth_access_json", "coord_dordrecht", "youth"),
        ("dashboard:youth_erase", "coord_dordrecht", "youth"),
        ("dashboard:youth_detail_panel", "jw_dordrecht", "youth"),
    ],
)
def test_a_record_out_of_scope_gets_the_same_404_as_a_missing_one(
    world, client_for, name, role, record
):
    client = client_for(world[role])
    method = MATRIX[name][2]
    hidden_url, missing_url = reverse(name, args=[world[record].pk]), reverse(name, args=[999_999])
    hidden, missing = getattr(client, method)(hidden_url), getattr(client, method)(missing_url)
    assert hidden.status_code == missing.status_code == 404
    assert _page_without_request_details(hidden, hidden_url) == _page_without_request_details(
        missing, missing_url
    )
