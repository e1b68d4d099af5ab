"""Enrolment, phases, attendance, ratings and coaching: the rules, the refusals, the reminders."""

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from employers.factories import EmployerFactory
from matching.scoring import PROGRAMME_READINESS, _readiness, load_world
from prep_programme import services
from prep_programme.factories import CohortFactory, ParticipantFactory, SessionFactory
from prep_programme.models import (
    Attendance,
    CoachingTalk,
    EmployerInvolvement,
    Participant,
    PhaseChange,
    Session,
    SkillRating,
)
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import reminders_dispatch_due
from youth.factories import YoungPersonFactory, born_years_ago
from youth.models import YoungPerson
from youth.services import youth_merge

from .conftest import place

PRESENT, LATE = Attendance.Status.PRESENT, Attendance.Status.LATE
UNEXCUSED = Attendance.Status.ABSENT_UNEXCUSED


@pytest.fixture
def running(programme, rotterdam, coord_rotterdam):
    """A cohort running today."""
    cohort = CohortFactory(programme=programme, city=rotterdam)
    cohort.coaches.add(coord_rotterdam)
    return cohort


def enrol(cohort, youth, by, **kwargs):
    return services.participant_enrol(cohort=cohort, youth=youth, by=by, **kwargs)


class TestEnrolment:
    def test_a_young_person_starts_in_phase_1_with_history_journey_and_phase(
        self, running, youth, coord_rotterdam
    ):
        participant = enrol(running, youth, coord_rotterdam)
        assert participant.phase == 1
        assert list(participant.phase_changes.values_list("from_phase", "to_phase")) == [(None, 1)]
        youth.refresh_from_db()
        assert (youth.journey, youth.programme_phase) == (YoungPerson.Journey.PROGRAMME, 1)

    def test_under_18_without_startkwalificatie_needs_the_school_arrangement(
        self, running, jw_rotterdam, coord_rotterdam
    ):
        minor = YoungPersonFactory(youth_worker=jw_rotterdam, date_of_birth=born_years_ago(16))
        with pytest.raises(ValidationError) as refused:
            enrol(running, minor, coord_rotterdam, school_arrangement="  ")
        assert "school_arrangement" in refused.value.message_dict
        assert not Participant.objects.exists()
        participant = enrol(
            running, minor, coord_rotterdam, school_arrangement="Twee dagen school, RMC akkoord"
        )
        assert participant.school_arrangement == "Twee dagen school, RMC akkoord"

    def test_a_young_person_in_a_running_cohort_is_refused_a_second(
        self, running, youth, coord_rotterdam, programme, rotterdam
    ):
        enrol(running, youth, coord_rotterdam)
        other = CohortFactory(programme=programme, city=rotterdam)
        with pytest.raises(ValidationError, match="doet al mee in een lopende groep"):
            enrol(other, youth, coord_rotterdam)
        assert Participant.objects.filter(youth=youth).count() == 1

    def test_the_database_refuses_two_running_participations(self, running, youth):
        ParticipantFactory(cohort=running, youth=youth)
        with pytest.raises(IntegrityError), transaction.atomic():
            ParticipantFactory(cohort=CohortFactory(), youth=youth)

    def test_a_cohort_of_another_city_or_not_running_is_refused(
        self, programme, youth, coord_rotterdam, dordrecht, rotterdam
    ):
        with pytest.raises(ValidationError, match="gemeente van de jongere"):
            enrol(CohortFactory(programme=programme, city=dordrecht), youth, coord_rotterdam)
        finished = CohortFactory(
            programme=programme,
            city=rotterdam,
            starts_on=dt.date(2024, 1, 1),
            ends_on=dt.date(2024, 6, 1),
        )
        with pytest.raises(ValidationError, match="groep die loopt"):
            enrol(finished, youth, coord_rotterdam)
        assert not Participant.objects.exists()


class TestPhases:
    def test_a_phase_cannot_be_skipped(self, running, youth, coord_rotterdam):
        participant = enrol(running, youth, coord_rotterdam)
        with pytest.raises(ValidationError) as refused:
            services.participant_move_phase(
                participant=participant, to_phase=3, note="Gaat goed", by=coord_rotterdam
            )
        assert "to_phase" in refused.value.message_dict
        participant.refresh_from_db()
        assert participant.phase == 1

    def test_the_database_refuses_a_skipping_history_row(self, running, youth, coord_rotterdam):
        participant = ParticipantFactory(cohort=running, youth=youth)
        with pytest.raises(IntegrityError), transaction.atomic():
            PhaseChange.objects.create(
                participant=participant, from_phase=1, to_phase=3, changed_by=coord_rotterdam
            )

    def test_unmet_criteria_without_a_note_are_refused_and_nothing_changes(
        self, running, youth, coord_rotterdam
    ):
        participant = enrol(running, youth, coord_rotterdam)
        with pytest.raises(ValidationError) as refused:
            services.participant_move_phase(
                participant=participant, to_phase=2, note=" ", by=coord_rotterdam
            )
        assert "note" in refused.value.message_dict
        assert participant.phase_changes.count() == 1
        youth.refresh_from_db()
        assert youth.programme_phase == 1

    def test_a_move_with_unmet_criteria_and_a_note_keeps_the_checklist(
        self, running, youth, coord_rotterdam
    ):
        participant = enrol(running, youth, coord_rotterdam)
        services.participant_move_phase(
            participant=participant, to_phase=2, note="Ziek geweest", by=coord_rotterdam
        )
        change = participant.phase_changes.latest("pk")
        assert (change.from_phase, change.to_phase, change.criteria_met) == (1, 2, False)
        assert [item["met"] for item in change.checklist] == [False, False]
        assert change.note == "Ziek geweest"

    def test_a_move_with_every_criterion_met_needs_no_note(self, running, youth, coord_rotterdam):
        participant = enrol(running, youth, coord_rotterdam)
        today = timezone.localdate()
        for days_back in range(5):
            session = SessionFactory(cohort=running, date=today - dt.timedelta(days=days_back))
            services.attendance_record(
                session=session, marks={participant.pk: (PRESENT, "")}, by=coord_rotterdam
            )
        services.participant_move_phase(
            participant=participant, to_phase=2, note="", by=coord_rotterdam
        )
        assert participant.phase_changes.latest("pk").criteria_met is True

    def test_phase_3_is_an_active_placement_of_this_young_person(
        self, running, youth, coord_rotterdam, jw_rotterdam
    ):
        participant = enrol(running, youth, coord_rotterdam)
        services.participant_move_phase(
            participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
        )
        move = {"participant": participant, "to_phase": 3, "note": "Klaar", "by": coord_rotterdam}
        with pytest.raises(ValidationError) as refused:
            services.participant_move_phase(**move)
        assert "placement" in refused.value.message_dict
        someone_else = YoungPersonFactory(youth_worker=jw_rotterdam, city=running.city)
        theirs = place(someone_else, by=coord_rotterdam)
        with pytest.raises(ValidationError, match="actieve plaatsing van deze jongere"):
            services.participant_move_phase(**move, placement=theirs)
        ours = place(youth, by=coord_rotterdam, agreement="employment")
        services.participant_move_phase(**move, placement=ours)
        participant.refresh_from_db()
        assert (participant.phase, participant.placement) == (3, ours)
        assert (participant.placement_employer, participant.placement_kind) == (
            ours.opening.employer,
            "job",
        )

    def test_another_citys_coordinator_cannot_link_a_placement_they_may_not_see(
        self, running, youth, coord_rotterdam, coord_dordrecht
    ):
        participant = enrol(running, youth, coord_rotterdam)
        services.participant_move_phase(
            participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
        )
        placement = place(youth, by=coord_rotterdam)
        with pytest.raises(ValidationError):
            services.participant_move_phase(
                participant=participant,
                to_phase=3,
                note="x",
                by=coord_dordrecht,
                placement=placement,
            )
        participant.refresh_from_db()
        assert participant.phase == 2

    def test_readiness_in_matching_follows_the_phase(self, running, youth, coord_rotterdam):
        def readiness():
            return _readiness(load_world([youth.pk], []).youth[0])

        before = readiness()
        participant = enrol(running, youth, coord_rotterdam)
        assert readiness() == PROGRAMME_READINESS[1] != before
        services.participant_move_phase(
            participant=participant, to_phase=2, note="Klaar", by=coord_rotterdam
        )
        assert readiness() == PROGRAMME_READINESS[2] > PROGRAMME_READINESS[1]

    def test_leaving_early_needs_a_reason_and_cancels_the_reminders(
        self, running, youth, coord_rotterdam
    ):
        participant = enrol(running, youth, coord_rotterdam)
        with pytest.raises(ValidationError):
            services.participant_leave(participant=participant, reason="", by=coord_rotterdam)
        services.participant_leave(participant=participant, reason="Verhuisd", by=coord_rotterdam)
        participant.refresh_from_db()
        assert (participant.status, participant.left_reason) == ("left", "Verhuisd")
        assert not Reminder.objects.open().filter(kind="prep.no_coaching").exists()
        youth.refresh_from_db()
        assert youth.programme_phase is None

    def test_finishing_records_the_certificate(self, running, youth, coord_rotterdam):
        participant = enrol(running, youth, coord_rotterdam)
        services.participant_finish(
            participant=participant, certificate="Praktijkverklaring", by=coord_rotterdam
        )
        participant.refresh_from_db()
        assert (participant.status, participant.certificate) == ("finished", "Praktijkverklaring")
        assert participant.ended_on == timezone.localdate()


class TestAttendance:
    def test_a_whole_session_is_recorded_at_once_and_corrected_in_place(
        self, running, coord_rotterdam, jw_rotterdam
    ):
        one, two = (ParticipantFactory(cohort=running) for _ in range(2))
        session = SessionFactory(cohort=running)
        services.attendance_record(
            session=session,
            marks={one.pk: (PRESENT, ""), two.pk: (LATE, "")},
            by=coord_rotterdam,
        )
        services.attendance_record(
            session=session, marks={two.pk: (PRESENT, "")}, by=coord_rotterdam
        )
        assert dict(session.attendances.values_list("participant_id", "status")) == {
            one.pk: PRESENT,
            two.pk: PRESENT,
        }

    def test_attendance_for_a_session_of_another_cohort_saves_nothing(
        self, running, coord_rotterdam
    ):
        ours = ParticipantFactory(cohort=running)
        theirs = ParticipantFactory(cohort=CohortFactory())
        session = SessionFactory(cohort=running)
        with pytest.raises(ValidationError, match="deelnemers van deze groep"):
            services.attendance_record(
                session=session,
                marks={ours.pk: (PRESENT, ""), theirs.pk: (PRESENT, "")},
                by=coord_rotterdam,
            )
        assert not Attendance.objects.exists()

    def test_an_unknown_status_saves_nothing(self, running, coord_rotterdam):
        one, two = (ParticipantFactory(cohort=running) for _ in range(2))
        with pytest.raises(ValidationError):
            services.attendance_record(
                session=SessionFactory(cohort=running),
                marks={one.pk: (PRESENT, ""), two.pk: ("sleeping", "")},
                by=coord_rotterdam,
            )
        assert not Attendance.objects.exists()

    def test_a_session_outside_the_cohorts_dates_is_refused(self, running, coord_rotterdam):
        with pytest.raises(ValidationError) as refused:
            services.session_create(
                cohort=running,
                kind=Session.Kind.TRAINING,
                date=running.ends_on + dt.timedelta(days=1),
                starts_at=dt.time(9),
                by=coord_rotterdam,
            )
        assert "date" in refused.value.message_dict
        assert not Session.objects.exists()

    def test_two_absences_without_reason_in_a_row_remind_coach_and_youth_worker_once(
        self, running, youth, coord_rotterdam, jw_rotterdam
    ):
        participant = enrol(running, youth, coord_rotterdam)
        today = timezone.localdate()
        first = SessionFactory(cohort=running, date=today - dt.timedelta(days=1))
        second = SessionFactory(cohort=running, date=today)
        services.attendance_record(
            session=first, marks={participant.pk: (UNEXCUSED, "")}, by=coord_rotterdam
        )
        assert not Reminder.objects.filter(kind="prep.absent_twice").exists()
        for _ in range(2):  # recorded twice (a correction of the screen): still one reminder each
            services.attendance_record(
                session=second, marks={participant.pk: (UNEXCUSED, "")}, by=coord_rotterdam
            )
        reminders = Reminder.objects.filter(kind="prep.absent_twice")
        assert reminders.count() == 2
        mail.outbox.clear()
        with time_machine.travel(timezone.now() + dt.timedelta(minutes=1), tick=False):
            reminders_dispatch_due()
            reminders_dispatch_due()
        assert sorted(address for m in mail.outbox for address in m.to) == sorted(
            [coord_rotterdam.email, jw_rotterdam.email]
        )
        assert all(youth.last_name not in m.subject for m in mail.outbox)

    def test_a_correction_to_present_cancels_the_absence_reminder(
        self, running, youth, coord_rotterdam
    ):
        participant = enrol(running, youth, coord_rotterdam)
        today = timezone.localdate()
        first = SessionFactory(cohort=running, date=today - dt.timedelta(days=1))
        second = SessionFactory(cohort=running, date=today)
        for session in (first, second):
            services.attendance_record(
                session=session, marks={participant.pk: (UNEXCUSED, "")}, by=coord_rotterdam
            )
        services.attendance_record(
            session=second, marks={participant.pk: (PRESENT, "")}, by=coord_rotterdam
        )
        assert not Reminder.objects.open().filter(kind="prep.absent_twice").exists()


class TestRatingsAndCoaching:
    def test_a_rating_outside_1_to_5_is_refused_and_nothing_is_saved(
        self, running, youth, coord_rotterdam, programme
    ):
        participant = enrol(running, youth, coord_rotterdam)
        first, second = programme.core_skills.all()[:2]
        for wrong in (0, 6):
            with pytest.raises(ValidationError):
                services.skills_rate(
                    participant=participant,
                    ratings={first: (4, ""), second: (wrong, "")},
                    rater=SkillRating.Rater.COACH,
                    by=coord_rotterdam,
                )
        assert not SkillRating.objects.exists()

    def test_the_database_refuses_a_rating_outside_1_to_5(
        self, running, coord_rotterdam, programme
    ):
        participant = ParticipantFactory(cohort=running)
        with pytest.raises(IntegrityError), transaction.atomic():
            SkillRating.objects.create(
                participant=participant,
                skill=programme.core_skills.first(),
                rating=6,
                rater="coach",
                recorded_by=coord_rotterdam,
            )

    def test_a_coach_rating_of_3_or_more_feeds_the_skills_matching_reads(
        self, running, youth, coord_rotterdam, programme
    ):
        participant = enrol(running, youth, coord_rotterdam)
        good, weak = programme.core_skills.all()[:2]
        services.skills_rate(
            participant=participant,
            ratings={good: (4, "Werkt goed samen"), weak: (2, "")},
            rater=SkillRating.Rater.COACH,
            by=coord_rotterdam,
        )
        assert set(youth.skill_assessments.values_list("skill_id", flat=True)) == {good.pk}

    def test_an_employer_rating_is_made_by_a_contact_of_an_employer_of_the_cohort(
        self, running, youth, coord_rotterdam, programme, employer_contact1
    ):
        from employers.factories import ContactFactory

        participant = enrol(running, youth, coord_rotterdam)
        skill = programme.core_skills.first()
        stranger = EmployerFactory(city=running.city)
        ContactFactory(employer=stranger, user=employer_contact1)
        rate = {
            "participant": participant,
            "ratings": {skill: (3, "")},
            "rater": SkillRating.Rater.EMPLOYER,
            "employer": stranger,
        }
        with pytest.raises(ValidationError):
            services.skills_rate(**rate, by=employer_contact1)
        EmployerInvolvement.objects.create(cohort=running, employer=stranger, kind="visit")
        with pytest.raises(ValidationError):  # the coach does not rate in the employer's name
            services.skills_rate(**rate, by=coord_rotterdam)
        services.skills_rate(**rate, by=employer_contact1)
        assert SkillRating.objects.get().employer == stranger

    def test_no_coaching_for_two_weeks_reminds_the_coach_once(
        self, running, youth, coord_rotterdam
    ):
        participant = enrol(running, youth, coord_rotterdam)
        talk_day = timezone.localdate()
        services.coaching_log(
            participant=participant,
            coach=coord_rotterdam,
            held_on=talk_day,
            self_confidence=3,
            agreements="Elke dag om 9 uur aanwezig",
        )
        pending = Reminder.objects.open().filter(kind="prep.no_coaching")
        assert pending.count() == 1
        reminder = pending.get()
        assert reminder.due_at.date() == talk_day + dt.timedelta(days=14)
        mail.outbox.clear()
        with time_machine.travel(reminder.due_at + dt.timedelta(minutes=1), tick=False):
            reminders_dispatch_due()
            reminders_dispatch_due()
        assert [m.to for m in mail.outbox] == [[coord_rotterdam.email]]

    def test_a_self_confidence_outside_1_to_5_is_refused(self, running, youth, coord_rotterdam):
        participant = enrol(running, youth, coord_rotterdam)
        with pytest.raises(ValidationError):
            services.coaching_log(
                participant=participant,
                coach=coord_rotterdam,
                held_on=timezone.localdate(),
                self_confidence=7,
                agreements="x",
            )
        assert not CoachingTalk.objects.exists()


class TestMerge:
    def test_a_merge_moves_the_participation_with_its_records(
        self, running, youth, coord_rotterdam, jw_rotterdam
    ):
        duplicate = YoungPersonFactory(youth_worker=jw_rotterdam, city=running.city)
        participant = enrol(running, duplicate, coord_rotterdam)
        session = SessionFactory(cohort=running)
        services.attendance_record(
            session=session, marks={participant.pk: (PRESENT, "")}, by=coord_rotterdam
        )
        youth_merge(keep=youth, duplicate=duplicate, by=coord_rotterdam)
        participant.refresh_from_db()
        youth.refresh_from_db()
        duplicate.refresh_from_db()
        assert participant.youth == youth
        assert participant.attendances.count() == 1
        assert (youth.programme_phase, duplicate.programme_phase) == (1, None)

    def test_two_running_participations_refuse_the_merge(
        self, running, youth, coord_rotterdam, jw_rotterdam, programme
    ):
        duplicate = YoungPersonFactory(youth_worker=jw_rotterdam, city=running.city)
        enrol(running, duplicate, coord_rotterdam)
        enrol(CohortFactory(programme=programme, city=running.city), youth, coord_rotterdam)
        with pytest.raises(ValidationError, match="lopende groep"):
            youth_merge(keep=youth, duplicate=duplicate, by=coord_rotterdam)
        duplicate.refresh_from_db()
        assert duplicate.merged_into is None
        assert Participant.objects.filter(youth=duplicate).count() == 1
