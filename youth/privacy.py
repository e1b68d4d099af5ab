"""The young person's own rows, for the right of access and erasure (restart_platform.privacy).

Kept on erasure, as coarse data for the figures: city, youth worker, journey and its dates,
registration date, school level, startkwalificatie, availability (days and hours), the year of
birth (the date becomes 1 January of that year), consents (purpose and dates: the legal ground
of what was shared), skills and interests (taxonomy terms), barrier kinds and severities.
"""

from django.db.models.functions import TruncYear
from django.utils.translation import gettext_lazy as _

from restart_platform.privacy import Section, register

from .models import (
    Barrier,
    CaseloadChange,
    Consent,
    ContactMoment,
    JourneyChange,
    LastContact,
    NetworkFactor,
    YoungPerson,
    YouthSkill,
)

register(
    Section(
        YoungPerson,
        "",
        _("Profile"),
        scrub=(
            "email",
            "phone",
            "address",
            "postcode",
            "last_school",
            "target_group_reason",
            "school_obligation_arrangement",
            "ambitions",
            "left_reason",
            "notes",
        ),
        # The name reads "Geanonimiseerd" on every page, whichever of the name fields it shows.
        replace={
            "first_name": "Geanonimiseerd",
            "last_name": "",
            "preferred_name": "",
            "date_of_birth": TruncYear("date_of_birth"),
        },
        keep=("available_days",),  # weekdays, for matching figures
    ),
    Section(Consent, "youth", _("Consents")),
    Section(YouthSkill, "youth", _("Skills")),
    Section(Barrier, "youth", _("Barriers"), scrub=("note",)),
    Section(NetworkFactor, "youth", _("Network"), scrub=("description",)),
    Section(ContactMoment, "youth", _("Contact moments"), scrub=("summary",)),
    # The date of the latest contact moment, kept by the database (nothing to scrub: the
    # contact moments keep their dates too).
    Section(LastContact, "youth", _("Last contact")),
    Section(JourneyChange, "youth", _("Journey"), scrub=("reason",)),
    Section(CaseloadChange, "youth", _("Caseload history")),
)
