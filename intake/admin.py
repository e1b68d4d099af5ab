from django.contrib import admin

from restart_platform.accounts.admin import AccessLoggedAdmin

from .models import IntakeMeeting, IntakeRecord


class IntakeRecordInline(admin.StackedInline):
    model = IntakeRecord
    extra = 0
    filter_horizontal = ["barriers", "network_factors"]
    raw_id_fields = ["finished_by", "outcome_opening"]
    readonly_fields = ["version", "finished_at"]


@admin.register(IntakeMeeting)
class IntakeMeetingAdmin(AccessLoggedAdmin):
    list_display = [
        "reference",
        "youth",
        "starts_at",
        "place",
        "youth_worker",
        "employer_contact",
        "status",
        "employer_present",
        "third_party_present",
    ]
    list_filter = ["status", "employer_present", "third_party_present", "youth__city"]
    search_fields = ["youth__first_name", "youth__last_name", "place"]
    list_select_related = ["youth", "youth_worker", "employer_contact"]
    raw_id_fields = [
        "youth",
        "youth_worker",
        "employer_contact",
        "opening",
        "third_party",
        "present_contact",
        "created_by",
    ]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "sequence"]
    inlines = [IntakeRecordInline]


@admin.register(IntakeRecord)
class IntakeRecordAdmin(AccessLoggedAdmin):
    list_display = ["meeting", "status", "non_committal", "outcome", "next_step_on", "finished_at"]
    list_filter = ["status", "non_committal", "no_barriers_found", "outcome"]
    search_fields = ["meeting__youth__first_name", "meeting__youth__last_name"]
    list_select_related = ["meeting", "meeting__youth"]
    raw_id_fields = ["meeting", "finished_by", "outcome_opening"]
    filter_horizontal = ["barriers", "network_factors"]
