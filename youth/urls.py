from django.urls import path

from .views import profiles, records

app_name = "youth"

urlpatterns = [
    path("", profiles.youth_list, name="youth_list"),
    path("new/", profiles.youth_create, name="youth_create"),
    path("merge/", profiles.youth_merge, name="youth_merge"),
    path("<int:pk>/", profiles.youth_detail, name="youth_detail"),
    path("<int:pk>/edit/", profiles.youth_edit, name="youth_edit"),
    path("<int:pk>/caseload/", profiles.youth_move_caseload, name="youth_move_caseload"),
    path("<int:pk>/journey/", profiles.youth_journey, name="youth_journey"),
    path("<int:pk>/consents/new/", records.consent_create, name="consent_create"),
    path("consents/<int:pk>/withdraw/", records.consent_withdraw, name="consent_withdraw"),
    path("<int:pk>/barriers/new/", records.barrier_create, name="barrier_create"),
    path("barriers/<int:pk>/edit/", records.barrier_edit, name="barrier_edit"),
    path("<int:pk>/network/new/", records.network_factor_create, name="network_factor_create"),
    path("network/<int:pk>/delete/", records.network_factor_delete, name="network_factor_delete"),
    path("<int:pk>/contacts/new/", records.contact_create, name="contact_create"),
]
