from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from restart_platform.notifications.kinds import register_kind

        from . import subscribers  # noqa: F401  (what this app reacts to: docs/events.md)

        # Shortlists and shares. The titles name no young person: e-mails leave the platform.
        register_kind("matching.shared", title=_("A candidate is proposed for your opening"))
        register_kind("matching.answered", title=_("An employer answered on a shared profile"))
        register_kind(
            "matching.intake_proposed",
            title=_("An employer wants to meet %(reference)s: plan an intake"),
        )

        # Placements: the follow-ups ask the employer's relationship owner.
        register_kind(
            "matching.follow_up", title=_("Follow-up %(reference)s: still at the workplace?")
        )
