from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    # Under /youth/ for the people who use it; served here because it reads several apps.
    path("youth/caseload/", views.caseload, name="caseload"),
    # The AVG: a young person's file, their erasure, the audit trail (views/privacy.py).
    path("dashboard/youth/<int:pk>/access/", views.youth_access, name="youth_access"),
    path("dashboard/youth/<int:pk>/access.json", views.youth_access_json, name="youth_access_json"),
    path("dashboard/youth/<int:pk>/erase/", views.youth_erase_view, name="youth_erase"),
    path("dashboard/youth/<int:pk>/panel/", views.youth_detail_panel, name="youth_detail_panel"),
    path("dashboard/audit/", views.audit, name="audit"),
    path("dashboard/audit.csv", views.audit_export, name="audit_export"),
]
