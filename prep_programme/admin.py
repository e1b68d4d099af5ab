"""The programme's admin: programmes, phases and their criteria are edited here; participants
and what hangs on them are read here and changed through the coordinator pages, whose services
keep the history, the phase on the young person and the reminders right."""

from django.contrib import admin

from restart_platform.accounts.admin import AccessLoggedAdmin

from .models import (
    Attendance,
    CoachingTalk,
    Cohort,
    EmployerInvolvement,
    Participant,
    Phase,
    PhaseChange,
    Programme,
    Session,
    SkillRating,
)


class PhaseInline(admin.StackedInline):
    model = Phase
    extra = 0
    max_num = 3
    fields = [
        "number",
        "name",
        "aims",
        "min_attendance_percent",
        "max_late",
        "window_days",
        "min_core_rating",
    ]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    list_display = ["name", "variant", "planned_weeks", "certificate", "is_active"]
    list_filter = ["variant", "is_active"]
    filter_horizontal = ["core_skills"]
    inlines = [PhaseInline]


class InvolvementInline(admin.TabularInline):
    model = EmployerInvolvement
    extra = 0
    raw_id_fields = ["employer"]


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "city", "starts_on", "ends_on"]
    list_filter = ["city", "programme"]
    search_fields = ["name"]
    list_select_related = ["programme", "city"]
    filter_horizontal = ["coaches"]
    date_hierarchy = "starts_on"
    inlines = [InvolvementInline]


@admin.register(Session)
class SessionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "cohort", "kind", "date", "starts_at"]
    list_filter = ["kind", "cohort__city"]
    list_select_related = ["cohort"]
    raw_id_fields = ["cohort", "employer"]


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class PhaseChangeInline(ReadOnlyInline):
    model = PhaseChange
    fields = ["changed_on", "from_phase", "to_phase", "criteria_met", "note", "changed_by"]
    readonly_fields = fields


class AttendanceInline(ReadOnlyInline):
    model = Attendance
    fields = ["session", "status", "reason", "recorded_by"]
    readonly_fields = fields


class SkillRatingInline(ReadOnlyInline):
    model = SkillRating
    fields = ["rated_on", "skill", "rating", "rater", "employer", "note", "recorded_by"]
    readonly_fields = fields


class CoachingTalkInline(ReadOnlyInline):
    model = CoachingTalk
    fields = ["held_on", "coach", "self_confidence", "career_competences", "agreements"]
    readonly_fields = fields


@admin.register(Participant)
class ParticipantAdmin(AccessLoggedAdmin):
    """Read-only: enrolment, phases and endings go through the services."""

    list_display = ["__str__", "phase", "status", "enrolled_on", "ended_on"]
    list_filter = ["status", "phase", "cohort__city"]
    search_fields = ["youth__first_name", "youth__last_name", "cohort__name"]
    list_select_related = ["youth", "cohort"]
    inlines = [PhaseChangeInline, AttendanceInline, SkillRatingInline, CoachingTalkInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
