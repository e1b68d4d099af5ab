from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from restart_platform.accounts.admin import AccessLoggedAdmin

from . import services
from .models import (
    Barrier,
    CaseloadChange,
    Consent,
    ContactMoment,
    JourneyChange,
    NetworkFactor,
    YoungPerson,
    YouthSkill,
)


class BarrierInline(admin.TabularInline):
    model = Barrier
    extra = 0
    fields = ["kind", "severity", "note", "is_resolved", "resolved_on", "recorded_by"]
    raw_id_fields = ["recorded_by"]


class ConsentInline(admin.TabularInline):
    """Read here; a consent is given and withdrawn only through the consent service."""

    model = Consent
    extra = 0
    fields = ["purpose", "given_on", "recorded_by", "withdrawn_on", "withdrawn_by"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class YouthSkillInline(admin.TabularInline):
    model = YouthSkill
    extra = 0
    raw_id_fields = ["assessed_by"]


class HistoryInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class JourneyChangeInline(HistoryInline):
    model = JourneyChange
    fields = ["changed_at", "from_status", "to_status", "reason", "changed_by"]
    readonly_fields = fields


class CaseloadChangeInline(HistoryInline):
    model = CaseloadChange
    fields = ["changed_at", "youth_worker", "changed_by"]
    readonly_fields = fields


class TargetGroupExceptionFilter(admin.SimpleListFilter):
    """Registered outside the target group, with a reason: the exceptions, countable."""

    title = _("target group")
    parameter_name = "target_group_exception"

    def lookups(self, request, model_admin):
        return [("yes", _("Registered as an exception")), ("no", _("In the target group"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.exclude(target_group_reason="")
        if self.value() == "no":
            return queryset.filter(target_group_reason="")
        return queryset


@admin.register(YoungPerson)
class YoungPersonAdmin(AccessLoggedAdmin):
    list_display = [
        "case_reference",
        "first_name",
        "last_name",
        "city",
        "youth_worker",
        "journey",
        "registered_on",
    ]
    list_filter = [
        "city",
        "journey",
        "referred_by",
        "has_startkwalificatie",
        TargetGroupExceptionFilter,
        "school_level",
    ]
    search_fields = ["first_name", "last_name", "preferred_name", "email", "phone"]
    list_select_related = ["city", "youth_worker"]
    raw_id_fields = ["youth_worker", "merged_into"]
    filter_horizontal = ["interests"]
    date_hierarchy = "registered_on"
    readonly_fields = ["version", "journey", "journey_changed_at", "merged_into"]
    inlines = [
        ConsentInline,
        BarrierInline,
        YouthSkillInline,
        JourneyChangeInline,
        CaseloadChangeInline,
    ]

    def has_delete_permission(self, request, obj=None):
        # A young person is never deleted: erasure is anonymisation, which keeps the record of
        # what was disclosed to whom (their consents and shares).
        return False


@admin.register(Barrier)
class BarrierAdmin(AccessLoggedAdmin):
    list_display = ["youth", "kind", "severity", "is_resolved", "resolved_on"]
    list_filter = ["kind", "severity", "is_resolved"]
    search_fields = ["youth__first_name", "youth__last_name", "note"]
    list_select_related = ["youth"]
    raw_id_fields = ["youth", "recorded_by"]


@admin.register(Consent)
class ConsentAdmin(AccessLoggedAdmin):
    """Read-only: a consent changes only through the consent service, which stops whatever
    relied on it (a profile shared with an employer) in the same transaction. Withdrawing is
    an action here that calls that service."""

    list_display = ["youth", "purpose", "given_on", "withdrawn_on"]
    list_filter = ["purpose", "withdrawn_on"]
    search_fields = ["youth__first_name", "youth__last_name"]
    list_select_related = ["youth"]
    date_hierarchy = "given_on"
    actions = ["withdraw"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description=_("Withdraw the selected consents"), permissions=["view"])
    def withdraw(self, request, queryset):
        withdrawn = 0
        for consent in queryset.filter(withdrawn_on__isnull=True):
            services.consent_withdraw(consent=consent, by=request.user)
            withdrawn += 1
        message = ngettext(
            "%(count)s consent withdrawn.", "%(count)s consents withdrawn.", withdrawn
        )
        self.message_user(request, message % {"count": withdrawn}, messages.SUCCESS)


@admin.register(ContactMoment)
class ContactMomentAdmin(AccessLoggedAdmin):
    list_display = ["youth", "kind", "date", "author"]
    list_filter = ["kind"]
    search_fields = ["youth__first_name", "youth__last_name", "summary"]
    list_select_related = ["youth", "author"]
    raw_id_fields = ["youth", "author"]
    date_hierarchy = "date"


@admin.register(NetworkFactor)
class NetworkFactorAdmin(AccessLoggedAdmin):
    list_display = ["youth", "effect", "description"]
    list_filter = ["effect"]
    search_fields = ["youth__first_name", "youth__last_name", "description"]
    list_select_related = ["youth"]
    raw_id_fields = ["youth", "recorded_by"]


@admin.register(JourneyChange, CaseloadChange)
class HistoryAdmin(AccessLoggedAdmin):
    list_select_related = ["youth"]
    raw_id_fields = ["youth"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
