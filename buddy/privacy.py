"""The buddy programme's rows about a young person (restart_platform.privacy). Kept on erasure:
mentor, dates, status, scores and the kinds of help needed (a choice list), for the figures."""

from django.utils.translation import gettext_lazy as _

from restart_platform.privacy import Section, register

from .models import BuddyProfile, CheckIn, Concern, Pair

register(
    Section(BuddyProfile, "youth", _("Buddy profile"), keep=("help_needed",)),
    Section(
        Pair,
        "youth",
        _("Buddy pairs"),
        scrub=(
            "kickoff_agreements",
            "onboarding_organisation",
            "onboarding_culture",
            "onboarding_practical",
            "closing_conversation",
        ),
        keep=("score_components",),  # numbers per matching component
    ),
    Section(
        CheckIn,
        "pair__youth",
        _("Buddy check-ins"),
        scrub=("work_note", "wellbeing_note", "organisation_note", "practical_note", "career_note"),
    ),
    Section(Concern, "pair__youth", _("Buddy concerns"), scrub=("what",)),
)
