from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    name = "restart_platform.dashboard"
    label = "dashboard"
    verbose_name = _("Dashboard")

    def ready(self):
        from restart_platform.privacy import mask_in_change_history

        from . import subscribers  # noqa: F401  (what this app reacts to: docs/events.md)

        # Every app's privacy.py is loaded by now: their scrubbed fields stay out of the history.
        mask_in_change_history()
