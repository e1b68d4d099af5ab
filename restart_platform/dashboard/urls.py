from django.urls import path

from . import views

app_name = "dashboard"

urlpatterns = [
    path("", views.home, name="home"),
    path("dashboard/fidelity/", views.fidelity, name="fidelity"),
    # Under /youth/ for the people who use it; served here because it reads several apps.
    path("youth/caseload/", views.caseload, name="caseload"),
]
