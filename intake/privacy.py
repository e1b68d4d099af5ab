"""Intake meetings and records of a young person (restart_platform.privacy). Kept on erasure:
dates, duration, status, who attended, the outcome and the motivation scores."""

from django.utils.translation import gettext_lazy as _

from restart_platform.privacy import Section, register

from .models import IntakeMeeting, IntakeRecord, PendingOutcome

register(
    Section(
        IntakeMeeting,
        "youth",
        _("Intake meetings"),
        scrub=(
            "third_party_name",
            "place",
            "cancel_reason",
            "present_employer_name",
            "present_employer_role",
        ),
    ),
    Section(
        IntakeRecord,
        "meeting__youth",
        _("Intake records"),
        scrub=(
            "motivation_words",
            "motivation_drivers",
            "network_helping",
            "network_hindering",
            "youth_expectations",
            "employer_expectations",
            "agreed_expectations",
            "youth_impression",
            "employer_impression",
            "outcome_note",
            "next_step",
        ),
    ),
    # Which intakes await their outcome: kept by the database from the meetings and records
    # (intake/models.py), so it follows their erasure by itself and holds no text.
    Section(PendingOutcome, "youth", _("Intakes awaiting their outcome")),
)
