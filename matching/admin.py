from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import FollowUp, Placement, ScoreWeights


@admin.register(ScoreWeights)
class ScoreWeightsAdmin(admin.ModelAdmin):
    """The one row of weights: edited, never added twice or deleted."""

    list_display = ["__str__", "minimum_score", "updated_at"]
    readonly_fields = ["updated_at"]
    fieldsets = [
        (
            _("Weights of the components"),
            {
                "fields": [
                    "interests",
                    "required_skills",
                    "nice_skills",
                    "distance",
                    "availability",
                    "readiness",
                    "circular",
                ],
                "description": _(
                    "Each component scores 0 to 1; a score is the weighted mean, out of 100."
                ),
            },
        ),
        (None, {"fields": ["minimum_score", "updated_at"]}),
    ]

    def has_add_permission(self, request):
        return not ScoreWeights.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


# --- Placements and their follow-ups: read here, changed through the coordinator pages ---------


class FollowUpInline(admin.TabularInline):
    model = FollowUp
    fields = ["month", "due_on", "still_there", "reason", "answered_at", "answered_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Placement)
class PlacementAdmin(admin.ModelAdmin):
    """Read-only: a placement fills a place and plans reminders, which only the service does."""

    list_display = ["__str__", "start_date", "agreement", "status", "ended_on"]
    list_filter = ["status", "agreement"]
    list_select_related = ["youth", "opening"]
    inlines = [FollowUpInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
