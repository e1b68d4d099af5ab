from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from restart_platform.accounts.admin import AccessLoggedAdmin
from restart_platform.weights import WeightsAdmin

from .models import FollowUp, Placement, Proposal, ProposalRow, ScoreWeights, Share, Shortlist


@admin.register(ScoreWeights)
class ScoreWeightsAdmin(WeightsAdmin):
    list_display = ["__str__", "minimum_score", "updated_at"]
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
class PlacementAdmin(AccessLoggedAdmin):
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


class ReadOnlyAdmin(AccessLoggedAdmin):
    """Shortlists, shares and proposals change only through the coordinator pages, whose
    services check consent, scope and places and plan the reminders: here they are read."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Shortlist)
class ShortlistAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "score", "rank", "created_by", "created_at"]
    list_select_related = ["created_by"]
    search_fields = ["reason", "opening__title"]


@admin.register(Share)
class ShareAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "status", "answer", "shared_at", "answered_at"]
    list_filter = ["status", "answer"]
    search_fields = ["opening__title", "opening__employer__name"]


@admin.register(Proposal)
class ProposalAdmin(ReadOnlyAdmin):
    list_display = [
        "__str__",
        "status",
        "youth_count",
        "place_count",
        "total_score",
        "seconds",
        "requested_by",
    ]
    list_filter = ["status", "city"]
    list_select_related = ["city", "requested_by"]


@admin.register(ProposalRow)
class ProposalRowAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "proposal", "decision", "decided_by", "decided_at"]
    list_filter = ["decision"]
    list_select_related = ["proposal__city", "decided_by"]
