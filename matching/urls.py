from django.urls import path

from .views import panels, placements, proposals, shares

app_name = "matching"

urlpatterns = [
    path("", shares.matching_home, name="matching_home"),
    path("shortlist/add/", shares.shortlist_create, name="shortlist_create"),
    path("shortlist/<int:pk>/share/", shares.share_create, name="share_create"),
    path("shares/<int:pk>/withdraw/", shares.share_withdraw, name="share_withdraw"),
    path("proposals/", proposals.proposal_list, name="proposal_list"),
    path("proposals/new/", proposals.proposal_create, name="proposal_create"),
    path("proposals/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path(
        "proposals/rows/<int:pk>/decide/", proposals.proposal_row_decide, name="proposal_row_decide"
    ),
    path("placements/", placements.placement_list, name="placement_list"),
    path("placements/new/", placements.placement_create, name="placement_create"),
    path("placements/<int:pk>/", placements.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/end/", placements.placement_end, name="placement_end"),
    path("follow-ups/<int:pk>/", placements.follow_up_answer, name="follow_up_answer"),
    # The panels on the pages of lower apps (restart_platform.panels): named `<slot>_panel`.
    path("youth/<int:pk>/", panels.youth_detail_panel, name="youth_detail_panel"),
    path("openings/<int:pk>/", panels.opening_detail_panel, name="opening_detail_panel"),
]
