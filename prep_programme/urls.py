from django.urls import path, re_path

from . import views

app_name = "prep_programme"

urlpatterns = [
    path("", views.cohort_list, name="cohort_list"),
    path("cohorts/new/", views.cohort_create, name="cohort_create"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort_detail"),
    path("cohorts/<int:pk>/edit/", views.cohort_edit, name="cohort_edit"),
    path("cohorts/<int:pk>/employers/", views.involvement_list, name="involvement_list"),
    path("involvements/<int:pk>/remove/", views.involvement_remove, name="involvement_remove"),
    re_path(
        r"^cohorts/(?P<pk>[0-9]+)/export\.(?P<fmt>csv|xlsx)$",
        views.cohort_export,
        name="cohort_export",
    ),
    path("cohorts/<int:pk>/sessions/new/", views.session_create, name="session_create"),
    path("sessions/<int:pk>/attendance/", views.attendance_record, name="attendance_record"),
    path("participants/", views.participant_list, name="participant_list"),
    path("participants/<int:pk>/", views.participant_detail, name="participant_detail"),
    path(
        "participants/<int:pk>/phase/",
        views.participant_move_phase,
        name="participant_move_phase",
    ),
    path("participants/<int:pk>/ratings/", views.skills_rate, name="skills_rate"),
    path("participants/<int:pk>/coaching/", views.coaching_log, name="coaching_log"),
    path("participants/<int:pk>/leave/", views.participant_leave, name="participant_leave"),
    path("participants/<int:pk>/finish/", views.participant_finish, name="participant_finish"),
    path("youth/<int:pk>/enrol/", views.participant_enrol, name="participant_enrol"),
    path("youth/<int:pk>/panel/", views.youth_detail_panel, name="youth_detail_panel"),
    path("cohorts/<int:pk>/employer-ratings/", views.employer_rate, name="employer_rate"),
    path(
        "candidates/<uuid:token>/panel/",
        views.candidate_detail_panel,
        name="candidate_detail_panel",
    ),
]
