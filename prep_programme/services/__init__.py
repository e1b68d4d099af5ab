"""Writes of the pre-employment programme: enrolment, phases, attendance, ratings, coaching,
cohorts and the employers involved. A package split by area; callers use `services.<name>`."""

from .cohorts import coaches_for, cohort_save, involvement_add, involvement_remove
from .common import (
    ABSENT_TWICE_KIND,
    ENROLMENT_KIND,
    NO_COACHING_DAYS,
    NO_COACHING_KIND,
    PLACEMENT_ENDED_KIND,
    PLACEMENT_TO_LINK_KIND,
)
from .participants import (
    enrolment_propose,
    participant_enrol,
    participant_finish,
    participant_leave,
    participant_move_phase,
    participations_erase,
    participations_move,
    placement_ended,
    placement_started,
    placements_to_link,
)
from .records import attendance_record, coaching_log, session_create, skills_rate

__all__ = [
    "ABSENT_TWICE_KIND",
    "ENROLMENT_KIND",
    "NO_COACHING_DAYS",
    "NO_COACHING_KIND",
    "PLACEMENT_ENDED_KIND",
    "PLACEMENT_TO_LINK_KIND",
    "attendance_record",
    "coaches_for",
    "coaching_log",
    "cohort_save",
    "enrolment_propose",
    "involvement_add",
    "involvement_remove",
    "participant_enrol",
    "participant_finish",
    "participant_leave",
    "participant_move_phase",
    "participations_erase",
    "participations_move",
    "placement_ended",
    "placement_started",
    "placements_to_link",
    "session_create",
    "skills_rate",
]
