from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Intake")

    def ready(self):
        from restart_platform.notifications.kinds import register_kind
        from youth.selectors import register_attention_annotation
        from youth.services import register_merge_hook

        from . import selectors, services

        register_kind("intake.invitation", title=_("Invitation: intake %(reference)s"))
        register_kind("intake.updated", title=_("Changed: intake %(reference)s"))
        register_kind("intake.cancelled", title=_("Cancelled: intake %(reference)s"))
        register_kind("intake.day_before", title=_("Tomorrow: intake %(reference)s"))
        register_kind(
            "intake.outcome_missing", title=_("Record the outcome of intake %(reference)s")
        )
        register_kind("intake.next_step", title=_("Next step due after intake %(reference)s"))
        register_attention_annotation(selectors.annotate_awaiting_outcome)
        register_merge_hook(services.intake_move_on_merge)
