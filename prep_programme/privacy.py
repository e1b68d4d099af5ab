"""The pre-employment programme's rows about a young person (restart_platform.privacy). Kept on
erasure: cohort, phases, dates, attendance, ratings and the certificate obtained (a course name,
counted in the figures)."""

from django.utils.translation import gettext_lazy as _

from restart_platform.privacy import Section, register

from .models import Attendance, CoachingTalk, Participant, PhaseChange, SkillRating

register(
    Section(
        Participant,
        "youth",
        _("Programme participations"),
        scrub=("school_arrangement", "left_reason"),
        keep=("certificate",),
    ),
    Section(
        PhaseChange,
        "participant__youth",
        _("Programme phase changes"),
        scrub=("note",),
        keep=("checklist",),  # the criteria as measured: yes/no per criterion
    ),
    Section(Attendance, "participant__youth", _("Programme attendance"), scrub=("reason",)),
    Section(SkillRating, "participant__youth", _("Programme skill ratings"), scrub=("note",)),
    Section(
        CoachingTalk,
        "participant__youth",
        _("Coaching talks"),
        scrub=("career_competences", "agreements"),
    ),
)
