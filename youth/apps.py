from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class YouthConfig(AppConfig):
    name = "youth"
    verbose_name = _("Young people")

    def ready(self):
        from restart_platform.notifications.kinds import register_kind

        register_kind("youth.no_contact", title=_("No contact for 30 days with %(reference)s"))
        register_kind(
            "youth.retention_applied",
            title=_("Retention period: young people who left long ago were anonymised"),
        )
