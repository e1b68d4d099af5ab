from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification_list"),
    path("<int:pk>/", views.notification_open, name="notification_open"),
    path("read-all/", views.notification_read_all, name="notification_read_all"),
    path("failed/", views.reminder_failed_list, name="reminder_failed_list"),
    path("failed/<int:pk>/retry/", views.reminder_retry, name="reminder_retry"),
]
