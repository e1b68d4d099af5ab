from django.contrib import admin
from django.db import models

from .models import (
    Agreement,
    Contact,
    DemandProfile,
    Employer,
    Interaction,
    NetworkPartner,
    Opening,
    OwnerChange,
    StageChange,
)


class ReadOnlyHistoryMixin:
    """History is written by the services when a person acts; nobody edits it afterwards.

    Deleting stays allowed, so that removing an employer (on request, say) takes its history along.
    """

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class ContactInline(admin.TabularInline):
    model = Contact
    fields = ["name", "job_title", "email", "phone", "user"]
    raw_id_fields = ["user"]
    extra = 0


class InteractionInline(admin.TabularInline):
    model = Interaction
    fields = ["date", "kind", "summary", "author"]
    raw_id_fields = ["author"]
    extra = 0


class OpeningInline(admin.TabularInline):
    model = Opening
    # The course fields stay: a learning-work place needs them, or the database refuses it.
    fields = [
        "title",
        "kind",
        "status",
        "start_date",
        "hours_per_week",
        "places",
        "crebo_code",
        "mbo_level",
    ]
    show_change_link = True
    extra = 0


class StageChangeInline(ReadOnlyHistoryMixin, admin.TabularInline):
    model = StageChange
    fields = ["changed_at", "from_stage", "to_stage", "reason", "changed_by"]
    readonly_fields = fields
    extra = 0


class OwnerChangeInline(ReadOnlyHistoryMixin, admin.TabularInline):
    model = OwnerChange
    fields = ["changed_at", "owner", "changed_by"]
    readonly_fields = fields
    extra = 0


@admin.register(Employer)
class EmployerAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["name", "kvk_number", "city", "sector", "stage", "owner", "next_action_due"]
    list_filter = [
        "stage",
        "city",
        "circularity",
        "sector",
        "found_via",
        "is_accredited_learning_company",
    ]
    search_fields = ["name", "kvk_number"]
    list_select_related = ["city", "sector", "owner"]
    raw_id_fields = ["owner"]
    date_hierarchy = "created_at"
    readonly_fields = ["stage_changed_at", "created_at", "updated_at"]
    inlines = [
        ContactInline,
        InteractionInline,
        OpeningInline,
        StageChangeInline,
        OwnerChangeInline,
    ]


@admin.register(StageChange)
class StageChangeAdmin(ReadOnlyHistoryMixin, admin.ModelAdmin):
    list_display = ["employer", "from_stage", "to_stage", "changed_at", "changed_by"]
    list_filter = ["to_stage", "employer__city"]
    search_fields = ["employer__name", "reason"]
    list_select_related = ["employer", "changed_by"]
    date_hierarchy = "changed_at"


@admin.register(OwnerChange)
class OwnerChangeAdmin(ReadOnlyHistoryMixin, admin.ModelAdmin):
    list_display = ["employer", "owner", "changed_at", "changed_by"]
    list_filter = ["employer__city"]
    search_fields = ["employer__name", "owner__username", "owner__last_name"]
    list_select_related = ["employer", "owner", "changed_by"]
    date_hierarchy = "changed_at"


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["name", "employer", "job_title", "email", "phone", "user"]
    list_filter = ["employer__city"]
    search_fields = ["name", "email", "employer__name"]
    list_select_related = ["employer", "user"]
    autocomplete_fields = ["employer"]
    raw_id_fields = ["user"]


@admin.register(Interaction)
class InteractionAdmin(admin.ModelAdmin):
    list_display = ["date", "employer", "kind", "author"]
    list_filter = ["kind", "employer__city"]
    search_fields = ["employer__name", "summary"]
    list_select_related = ["employer", "author"]
    autocomplete_fields = ["employer"]
    raw_id_fields = ["author"]
    date_hierarchy = "date"


@admin.register(DemandProfile)
class DemandProfileAdmin(admin.ModelAdmin):
    list_display = [
        "employer",
        "openings_12_months",
        "openings_24_months",
        "expected_retirements",
        "expects_labour_shortage",
        "offers_jobs",
        "offers_paid_internships",
        "offers_learning_work_places",
        "offers_buddies",
        "updated_at",
    ]
    list_filter = [
        "expects_labour_shortage",
        "offers_jobs",
        "offers_paid_internships",
        "offers_learning_work_places",
        "offers_buddies",
        "employer__city",
    ]
    search_fields = ["employer__name", "roles"]
    list_select_related = ["employer"]
    autocomplete_fields = ["employer"]
    filter_horizontal = ["skills"]
    date_hierarchy = "updated_at"


@admin.register(Opening)
class OpeningAdmin(admin.ModelAdmin):
    list_display = ["title", "employer", "kind", "status", "start_date", "places"]
    list_filter = ["kind", "status", "employer__city"]
    search_fields = ["title", "employer__name", "crebo_code"]
    list_select_related = ["employer"]
    autocomplete_fields = ["employer"]
    filter_horizontal = ["required_skills", "nice_to_have_skills"]
    date_hierarchy = "start_date"


class AgreementInline(admin.TabularInline):
    model = Agreement
    fields = ["title", "kind", "starts_on", "ends_on"]
    extra = 0


@admin.register(NetworkPartner)
class NetworkPartnerAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "city", "is_lead", "contact_name", "contact_email"]
    list_filter = ["kind", "city", "is_lead"]
    search_fields = ["name", "contact_name", "contact_email"]
    list_select_related = ["city"]
    inlines = [AgreementInline]


@admin.register(Agreement)
class AgreementAdmin(admin.ModelAdmin):
    list_display = ["title", "partner", "kind", "starts_on", "ends_on"]
    list_filter = ["kind", "partner__city"]
    search_fields = ["title", "partner__name"]
    list_select_related = ["partner"]
    autocomplete_fields = ["partner"]
    date_hierarchy = "starts_on"
