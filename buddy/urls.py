from django.urls import path

from .views import mentors, overview, pairs, panels

app_name = "buddy"

urlpatterns = [
    path("", pairs.pair_list, name="pair_list"),
    path("mine/", pairs.mentor_home, name="mentor_home"),
    path("overview/", overview.buddy_overview, name="buddy_overview"),
    path("pairs/<int:pk>/", pairs.pair_detail, name="pair_detail"),
    path("pairs/<int:pk>/kick-off/", pairs.pair_kickoff, name="pair_kickoff"),
    path("pairs/<int:pk>/close/", pairs.pair_close, name="pair_close"),
    path("pairs/<int:pk>/check-in/", pairs.checkin_create, name="checkin_create"),
    path("pairs/<int:pk>/concern/", pairs.concern_create, name="concern_create"),
    path("placements/<int:pk>/propose/", pairs.pair_propose, name="pair_propose"),
    path("mentors/", mentors.mentor_list, name="mentor_list"),
    path("mentors/new/", mentors.mentor_create, name="mentor_create"),
    path("mentors/<int:pk>/", mentors.mentor_detail, name="mentor_detail"),
    path("mentors/<int:pk>/edit/", mentors.mentor_edit, name="mentor_edit"),
    path("youth/<int:pk>/profile/", mentors.buddy_profile_edit, name="buddy_profile_edit"),
    # The panel on the young person's profile (restart_platform.panels): named `<slot>_panel`.
    path("youth/<int:pk>/", panels.youth_detail_panel, name="youth_detail_panel"),
]
