from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IntakeConfig(AppConfig):
    name = "intake"
    verbose_name = _("Intake")

    def ready(self):
        from restart_platform.notifications.kinds import register_kind

        from . import subscribers  # noqa: F401  (what this app reacts to: docs/events.md)

        register_kind("intake.invitation", title=_("Invitation: intake %(reference)s"))
        register_kind("intake.updated", title=_("Changed: intake %(reference)s"))
        register_kind("intake.cancelled", title=_("Cancelled: intake %(reference)s"))
        register_kind("intake.day_before", title=_("Tomorrow: intake %(reference)s"))
        register_kind(
            "intake.outcome_missing", title=_("Record the outcome of intake %(reference)s")
        )
        register_kind("intake.next_step", title=_("Next step due after intake %(reference)s"))
