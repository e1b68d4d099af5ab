from auditlog.admin import LogEntryAdmin as AuditlogLogEntryAdmin
from auditlog.models import LogEntry
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import SEARCH_VAR
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _

from .audit import log_access
from .models import AccessEvent, City, Organisation, User
from .services import two_factor_reset


class AccessLoggedAdmin(admin.ModelAdmin):
    """The admin of a model that holds a young person's data: every look goes in the access log.

    The list (with what was searched for), a record, its delete page and its history are each
    logged once the record is looked up, as allowed, refused or not found; a look in the admin
    is a look like any other.
    """

    def changelist_view(self, request, extra_context=None):
        action = "admin_search" if request.GET.get(SEARCH_VAR) else "admin_list"
        try:
            response = super().changelist_view(request, extra_context)
        except PermissionDenied:
            self._log(request, "", AccessEvent.Outcome.DENIED, action)
            raise
        self._log(request, "", AccessEvent.Outcome.ALLOWED, action)
        return response

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._log_lookup(request, object_id, "admin_view", self.has_view_or_change_permission)
        return super().change_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._log_lookup(request, object_id, "admin_delete", self.has_delete_permission)
        return super().delete_view(request, object_id, extra_context)

    def history_view(self, request, object_id, extra_context=None):
        self._log_lookup(request, object_id, "admin_history", self.has_view_or_change_permission)
        return super().history_view(request, object_id, extra_context)

    def _log_lookup(self, request, object_id, action: str, may) -> None:
        obj = self.get_object(request, unquote(object_id))
        if obj is None:
            outcome = AccessEvent.Outcome.NOT_FOUND
        elif may(request, obj):
            outcome = AccessEvent.Outcome.ALLOWED
        else:
            outcome = AccessEvent.Outcome.DENIED
        self._log(request, unquote(object_id), outcome, action)

    def _log(self, request, object_id: str, outcome: str, action: str) -> None:
        log_access(
            request=request,
            model=self.model,
            object_id=object_id,
            outcome=outcome,
            action=action,
            path=request.get_full_path(),
        )


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = [
        "username",
        "first_name",
        "last_name",
        "email",
        "role",
        "is_active",
        "last_login",
    ]
    list_filter = ["role", "cities", "is_active", "organisation"]
    search_fields = ["username", "first_name", "last_name", "email"]
    filter_horizontal = ["cities", "groups", "user_permissions"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Role and scope"), {"fields": ["role", "cities", "organisation", "language"]}),
    ]
    add_fieldsets = [
        *DjangoUserAdmin.add_fieldsets,
        (_("Role and scope"), {"fields": ["role", "first_name", "last_name", "email", "language"]}),
    ]
    actions = ["reset_second_factor"]

    @admin.action(description=_("Reset second factor (lost phone)"), permissions=["change"])
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            two_factor_reset(user=user, by=request.user)
        self.message_user(
            request,
            _("The second factor of %(count)d accounts was removed; they set it up at next login.")
            % {"count": len(queryset)},
            messages.SUCCESS,
        )


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ["name", "slug"]
    search_fields = ["name"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "city"]
    list_filter = ["city"]
    search_fields = ["name"]


@admin.register(AccessEvent)
class AccessEventAdmin(admin.ModelAdmin):
    """Read-only: nobody, not even an admin, can change or remove an access entry."""

    list_display = [
        "created_at",
        "actor",
        "actor_role",
        "action",
        "content_type",
        "object_id",
        "outcome",
        "ip_address",
    ]
    list_filter = ["outcome", "action", "actor_role", "content_type"]
    search_fields = ["object_id", "actor__username", "path"]
    date_hierarchy = "created_at"
    list_select_related = ["actor", "content_type"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


# The change history holds what the records held: reading it is a look at a young person's data.
admin.site.unregister(LogEntry)


@admin.register(LogEntry)
class LogEntryAdmin(AccessLoggedAdmin, AuditlogLogEntryAdmin):
    pass
