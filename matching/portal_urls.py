from django.urls import path

from .views import portal

app_name = "candidates"

urlpatterns = [
    path("", portal.candidate_list, name="candidate_list"),
    path("<uuid:token>/", portal.candidate_detail, name="candidate_detail"),
    path("<uuid:token>/answer/", portal.candidate_answer, name="candidate_answer"),
]
