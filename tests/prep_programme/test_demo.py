"""seed_demo gives every city a running cohort with a life in it, and Rotterdam a finished one."""

import pytest
from django.core.management import call_command

from prep_programme.models import Attendance, CoachingTalk, Cohort, Participant, SkillRating
from restart_platform.accounts.models import City

pytestmark = pytest.mark.django_db


def test_each_city_has_a_running_cohort_in_every_phase_and_a_finished_one_has_certificates():
    call_command("seed_demo")
    for city in City.objects.all():
        [cohort] = [c for c in Cohort.objects.filter(city=city) if c.is_running]
        active = Participant.objects.filter(cohort=cohort, status="active")
        assert set(active.values_list("phase", flat=True)) == {1, 2, 3}
        assert cohort.sessions.count() == 12
        assert Attendance.objects.filter(session__cohort=cohort).exists()
        assert SkillRating.objects.filter(participant__cohort=cohort).exists()
        assert CoachingTalk.objects.filter(participant__cohort=cohort).exists()
        assert cohort.involvements.exists()
        # Phase 3 is a placement of the young person; ratings come from all three raters.
        assert all(p.placement.youth_id == p.youth_id for p in active.filter(phase=3))
        raters = SkillRating.objects.filter(participant__cohort=cohort).values_list("rater")
        assert {rater for (rater,) in raters} == {"coach", "self", "employer"}
    finished = Participant.objects.filter(status="finished")
    assert finished.exists()
    assert all(participant.certificate for participant in finished)
    assert all(not participant.cohort.is_running for participant in finished)
