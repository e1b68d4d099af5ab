from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.admin import AccessLoggedAdmin
from restart_platform.weights import WeightsAdmin

from .models import WEIGHT_FIELDS, CheckIn, Mentor, Pair, PairScoreWeights


@admin.register(PairScoreWeights)
class PairScoreWeightsAdmin(WeightsAdmin):
    list_display = ["__str__", "updated_at"]
    fieldsets = [
        (
            _("Weights of the components"),
            {
                "fields": list(WEIGHT_FIELDS),
                "description": _(
                    "Each component scores 0 to 1; a score is the weighted mean, out of 100."
                ),
            },
        ),
        (None, {"fields": ["updated_at"]}),
    ]


@admin.register(Mentor)
class MentorAdmin(admin.ModelAdmin):
    """Read here; mentors are added and changed on the coordinator pages, which check capacity
    against the open pairs and the account against the employer."""

    list_display = ["name", "employer", "job_title", "capacity", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name", "employer__name"]
    list_select_related = ["employer"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Mentor._meta.fields] + [
            "skills",
            "work_fields",
            "personal_interests",
        ]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class CheckInInline(admin.TabularInline):
    model = CheckIn
    fields = ["held_on", "logged_by", "trust_mentor", "trust_youth", "job_satisfaction"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Pair)
class PairAdmin(AccessLoggedAdmin):
    """Read-only: a pair is proposed, kicked off and closed through the services, which plan
    and cancel its reminders. The young person shows as a record number, not a name."""

    list_display = ["pk", "mentor", "youth_id", "status", "kickoff_on", "closed_on"]
    list_filter = ["status", "close_reason"]
    list_select_related = ["mentor"]
    inlines = [CheckInInline]
    exclude = ["youth", "placement"]

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in Pair._meta.fields if field.name not in self.exclude]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
