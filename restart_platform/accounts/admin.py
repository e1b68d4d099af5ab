from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import AccessEvent, City, Organisation, User
from .services import two_factor_reset


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
