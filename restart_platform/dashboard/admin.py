"""The stories of the employer pitch in the admin: the same name check as the coordinator's
form holds here (the model's clean runs in the admin's form too)."""

from django.contrib import admin

from restart_platform.accounts.admin import AccessLoggedAdmin

from .models import Story


@admin.register(Story)
class StoryAdmin(AccessLoggedAdmin):
    list_display = ["title", "youth", "is_shareable", "updated_at"]
    list_filter = ["is_shareable", "youth__city"]
    search_fields = ["title", "text"]
    list_select_related = ["youth"]
    raw_id_fields = ["youth"]
    fields = ["youth", "title", "text", "is_shareable"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
