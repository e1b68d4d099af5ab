from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from .models import ScoreWeights


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
