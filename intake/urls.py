from django.urls import path

from . import views

app_name = "intake"

urlpatterns = [
    path("", views.intake_list, name="intake_list"),
    path("new/", views.intake_create, name="intake_create"),
    path("<int:pk>/", views.intake_detail, name="intake_detail"),
    path("<int:pk>/edit/", views.intake_edit, name="intake_edit"),
    path("<int:pk>/cancel/", views.intake_cancel, name="intake_cancel"),
    path("<int:pk>/attendance/", views.intake_attendance, name="intake_attendance"),
    path("<int:pk>/record/", views.intake_record, name="intake_record"),
    path("<int:pk>/calendar.ics", views.intake_ics, name="intake_ics"),
]
