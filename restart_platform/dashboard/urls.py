from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/fidelity/", views.fidelity, name="fidelity"),
    # Under /youth/ for the people who use it; served here because it reads several apps.
    path("youth/caseload/", views.caseload, name="caseload"),
    path("dashboard/", views.kpis, name="kpis"),
    path("dashboard/export/<slug:fmt>/", views.kpis_export, name="kpis_export"),
    path("dashboard/pitch/", views.pitch, name="pitch"),
    path("dashboard/stories/", views.story_list, name="story_list"),
    path("dashboard/stories/new/", views.story_create, name="story_create"),
    path("dashboard/stories/<int:pk>/", views.story_edit, name="story_edit"),
    # The AVG: a young person's file, their erasure, the audit trail (views/privacy.py).
    path("dashboard/youth/<int:pk>/access/", views.youth_access, name="youth_access"),
    path("dashboard/youth/<int:pk>/access.json", views.youth_access_json, name="youth_access_json"),
    path("dashboard/youth/<int:pk>/erase/", views.youth_erase_view, name="youth_erase"),
    path("dashboard/youth/<int:pk>/panel/", views.youth_detail_panel, name="youth_detail_panel"),
    path("dashboard/audit/", views.audit, name="audit"),
    path("dashboard/audit.csv", views.audit_export, name="audit_export"),
]
