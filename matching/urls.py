from django.urls import path

from .views import placements, shares

app_name = "matching"

urlpatterns = [
    path("", shares.matching_home, name="matching_home"),
    path("shortlist/add/", shares.shortlist_create, name="shortlist_create"),
    path("shortlist/<int:pk>/share/", shares.share_create, name="share_create"),
    path("shares/<int:pk>/withdraw/", shares.share_withdraw, name="share_withdraw"),
    path("placements/", placements.placement_list, name="placement_list"),
    path("placements/new/", placements.placement_create, name="placement_create"),
    path("placements/<int:pk>/", placements.placement_detail, name="placement_detail"),
    path("placements/<int:pk>/end/", placements.placement_end, name="placement_end"),
    path("follow-ups/<int:pk>/", placements.follow_up_answer, name="follow_up_answer"),
]
