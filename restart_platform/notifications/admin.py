from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import services
from .models import Notification, Reminder


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = [
        "kind",
        "key",
        "status",
        "due_at",
        "next_attempt_at",
        "attempts",
        "recipient",
        "recipient_role",
        "sent_to",
        "possibly_duplicate",
    ]
    list_filter = ["status", "kind", "city", "possibly_duplicate"]
    search_fields = ["key", "kind", "object_id", "recipient__username", "sent_to__username"]
    date_hierarchy = "due_at"
    list_select_related = ["recipient", "sent_to"]
    readonly_fields = [
        "status",
        "attempts",
        "claimed_at",
        "claim_token",
        "sent_at",
        "sent_to",
        "last_error",
        "possibly_duplicate",
        "created_at",
        "next_attempt_at",
    ]
    raw_id_fields = ["recipient"]
    actions = ["retry_failed"]

    @admin.action(description=_("Send the selected failed reminders again"))
    def retry_failed(self, request, queryset):
        for reminder in queryset.filter(status=Reminder.Status.FAILED):
            services.reminder_retry(reminder=reminder)

    def save_model(self, request, obj, form, change):
        # A reminder planned by hand goes through the same service as any other.
        if change:
            super().save_model(request, obj, form, change)
            return
        planned = services.plan_reminder(
            key=obj.key,
            kind=obj.kind,
            due_at=obj.due_at,
            recipient=obj.recipient,
            recipient_role=obj.recipient_role,
            city=obj.city,
        )
        obj.pk = planned.pk


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "user", "created_at", "read_at"]
    list_filter = ["read_at"]
    search_fields = ["title", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "reminder"]
