from django.urls import path

from .views import portal

app_name = "portal"

urlpatterns = [
    path("", portal.portal_home, name="portal_home"),
    path("openings/new/", portal.portal_opening_create, name="portal_opening_create"),
    path("openings/<int:pk>/edit/", portal.portal_opening_edit, name="portal_opening_edit"),
    path("demand/", portal.portal_demand_edit, name="portal_demand_edit"),
    path(
        "welcome/<uidb64>/<token>/", portal.PortalInvitationView.as_view(), name="portal_invitation"
    ),
]
