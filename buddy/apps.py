from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BuddyConfig(AppConfig):
    name = "buddy"
    verbose_name = _("Buddy programme")

    def ready(self):
        from restart_platform.notifications.kinds import register_kind

        from . import subscribers  # noqa: F401  (what this app reacts to: docs/events.md)

        # To mentors (employer side): no case reference, no name of a young person.
        register_kind("buddy.checkin_due", title=_("A buddy check-in is due"))
        # To the youth worker and the coordinator.
        register_kind(
            "buddy.no_checkin", title=_("No buddy check-in for %(reference)s for eight weeks")
        )
        register_kind(
            "buddy.month_11", title=_("Buddy pair of %(reference)s: plan the 12-month review")
        )
        register_kind("buddy.review", title=_("Buddy pair of %(reference)s: the 12-month review"))
        register_kind(
            "buddy.placement_ended",
            title=_("The placement of %(reference)s ended: close or continue the buddy pair"),
        )
        register_kind(
            "buddy.consent_withdrawn",
            title=_("%(reference)s withdrew the buddy consent: the mentor sees nothing more"),
        )
        register_kind("buddy.concern", title=_("A buddy raised a concern about %(reference)s"))
