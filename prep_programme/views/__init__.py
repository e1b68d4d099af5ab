"""Pages of the pre-employment programme at /prep/, split by area."""

from .cohorts import (
    attendance_record,
    cohort_create,
    cohort_detail,
    cohort_edit,
    cohort_export,
    cohort_list,
    involvement_list,
    involvement_remove,
    session_create,
)
from .employer import candidate_detail_panel, employer_rate
from .participants import (
    coaching_log,
    participant_detail,
    participant_enrol,
    participant_finish,
    participant_leave,
    participant_list,
    participant_move_phase,
    skills_rate,
    youth_detail_panel,
)

__all__ = [
    "attendance_record",
    "candidate_detail_panel",
    "coaching_log",
    "cohort_create",
    "cohort_detail",
    "cohort_edit",
    "cohort_export",
    "cohort_list",
    "employer_rate",
    "involvement_list",
    "involvement_remove",
    "participant_detail",
    "participant_enrol",
    "participant_finish",
    "participant_leave",
    "participant_list",
    "participant_move_phase",
    "session_create",
    "skills_rate",
    "youth_detail_panel",
]
