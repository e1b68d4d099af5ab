from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matching"
    verbose_name = _("Matching")

    def ready(self):
        from restart_platform.notifications.kinds import register_kind
        from youth.services import register_consent_withdrawn_hook

        from . import services

        # Shortlists and shares. The titles name no young person: e-mails leave the platform.
        register_kind("matching.shared", title=_("A candidate is proposed for your opening"))
        register_kind("matching.answered", title=_("An employer answered on a shared profile"))
        register_kind(
            "matching.intake_proposed",
            title=_("An employer wants to meet %(reference)s: plan an intake"),
        )
        register_consent_withdrawn_hook(services.share_withdraw_on_consent_withdrawn)

        # "Interested" proposes an intake: once it is planned, the share is linked to it. (The
        # profile page lists the employers still waiting for one in matching's panel.)
        from intake.services import register_intake_scheduled_hook

        register_intake_scheduled_hook(services.share_link_intake)

        # Placements: the follow-ups ask the employer's relationship owner; an employer becomes
        # active in the pipeline once a young person was placed there.
        from employers.services import register_placement_counter

        from .selectors import placements_at_employer

        register_kind(
            "matching.follow_up", title=_("Follow-up %(reference)s: still at the workplace?")
        )
        register_placement_counter(placements_at_employer)
