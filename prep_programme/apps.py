from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrepProgrammeConfig(AppConfig):
    name = "prep_programme"
    verbose_name = _("Pre-employment programme")

    def ready(self):
        from restart_platform.notifications.kinds import register_kind

        from . import subscribers  # noqa: F401  (what this app reacts to: docs/events.md)

        # The titles name no young person: e-mails leave the platform.
        register_kind(
            "prep.absent_twice",
            title=_("Absent twice in a row without a reason: %(reference)s"),
        )
        register_kind(
            "prep.enrolment_proposed",
            title=_("Intake %(reference)s: enrol in the pre-employment programme"),
        )
        register_kind("prep.no_coaching", title=_("No coaching talk for two weeks: %(reference)s"))
        register_kind(
            "prep.placement_to_link",
            title=_("Placed during phase 2: consider phase 3 for %(reference)s"),
        )
        register_kind(
            "prep.placement_ended",
            title=_("The phase 3 placement ended: %(reference)s"),
        )
