from django.urls import path

from .views import employers, openings, partners, transfer

app_name = "employers"

urlpatterns = [
    path("", employers.employer_list, name="employer_list"),
    path("new/", employers.employer_create, name="employer_create"),
    path("pipeline/", employers.employer_pipeline, name="employer_pipeline"),
    path("import/", transfer.employer_import, name="employer_import"),
    path("import/example.csv", transfer.employer_import_example, name="employer_import_example"),
    path("export/", transfer.employer_export, name="employer_export"),
    path("<int:pk>/", employers.employer_detail, name="employer_detail"),
    path("<int:pk>/edit/", employers.employer_edit, name="employer_edit"),
    path("<int:pk>/stage/", employers.employer_move_stage, name="employer_move_stage"),
    path("<int:pk>/next-action/", employers.employer_next_action, name="employer_next_action"),
    path("<int:pk>/contacts/new/", employers.contact_create, name="contact_create"),
    path("contacts/<int:pk>/edit/", employers.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/delete/", employers.contact_delete, name="contact_delete"),
    path("<int:pk>/interactions/new/", employers.interaction_create, name="interaction_create"),
    path("<int:pk>/demand/", employers.demand_edit, name="demand_edit"),
    path("<int:pk>/openings/new/", openings.opening_create, name="opening_create"),
    path("openings/", openings.opening_list, name="opening_list"),
    path("openings/<int:pk>/", openings.opening_detail, name="opening_detail"),
    path("openings/<int:pk>/edit/", openings.opening_edit, name="opening_edit"),
    path("partners/", partners.partner_list, name="partner_list"),
    path("partners/new/", partners.partner_create, name="partner_create"),
    path("partners/<int:pk>/", partners.partner_detail, name="partner_detail"),
    path("partners/<int:pk>/edit/", partners.partner_edit, name="partner_edit"),
    path("partners/<int:pk>/agreements/new/", partners.agreement_create, name="agreement_create"),
    path("agreements/<int:pk>/edit/", partners.agreement_edit, name="agreement_edit"),
]
