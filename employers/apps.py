from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmployersConfig(AppConfig):
    name = "employers"
    verbose_name = _("Employers")

    def ready(self):
        from restart_platform.notifications.kinds import register_kind

        register_kind("employers.next_action", title=_("Next action due for %(reference)s"))
        register_kind(
            "employers.stale_digest",
            title=_("Weekly overview: leads and contacted employers without contact for 30 days"),
        )
