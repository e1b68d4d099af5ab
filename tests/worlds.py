"""The test worlds more than one suite builds on."""

import datetime as dt

from django.utils import timezone

from buddy.factories import MentorFactory
from buddy.models import BuddyProfile, CheckIn, Concern, Pair
from employers.factories import ContactFactory, EmployerFactory, OpeningFactory
from intake.factories import IntakeMeetingFactory, IntakeRecordFactory
from intake.models import IntakeRecord
from matching import services as matching
from matching.models import FollowUp, Placement, Proposal, ProposalRow
from prep_programme.factories import CohortFactory, SessionFactory
from prep_programme.models import (
    Attendance,
    CoachingTalk,
    EmployerInvolvement,
    Participant,
    PhaseChange,
    SkillRating,
)
from restart_platform.dashboard.models import Story
from restart_platform.taxonomy.models import Skill
from youth import services as youth_services
from youth.factories import BarrierFactory, ConsentFactory, NetworkFactorFactory, YoungPersonFactory
from youth.models import CaseloadChange, Consent, YouthSkill


def young_person_with_every_record(*, rotterdam, coord, jw, employer_user) -> dict:
    """One young person with a row of every kind the platform holds about them, every consent
    given, and an employer whose contact (`employer_user`) sees them: shared, invited to their
    intake, placed there, and their buddy at work."""
    now, today = timezone.now(), timezone.localdate()
    employer = EmployerFactory(city=rotterdam, owner=coord, stage="committed")
    ContactFactory(employer=employer, user=employer_user)
    opening = OpeningFactory(employer=employer, places=3)
    youth = YoungPersonFactory(
        youth_worker=jw, city=rotterdam, registered_on=today - dt.timedelta(days=90)
    )
    for purpose in Consent.Purpose.values:
        ConsentFactory(youth=youth, purpose=purpose)
    YouthSkill.objects.create(youth=youth, skill=Skill.objects.first(), assessed_by=jw)
    BarrierFactory(youth=youth)
    NetworkFactorFactory(youth=youth)
    youth_services.contact_log(youth=youth, by=jw, kind="phone", date=today, summary="belde")
    youth_services.youth_change_journey(youth=youth, to_status="intake", by=jw, reason="gesprek")
    CaseloadChange.objects.create(youth=youth, youth_worker=jw, changed_by=coord)
    # The intake the employer is invited to, and its finished record: their words reach the
    # employer's candidate page.
    meeting = IntakeMeetingFactory(
        youth=youth,
        employer_contact=employer_user,
        third_party_name="Moeder",
        cancel_reason="",
    )
    IntakeRecordFactory(
        meeting=meeting,
        status=IntakeRecord.Status.FINISHED,
        outcome=IntakeRecord._meta.get_field("outcome").choices[0][0],
        next_step="Stage regelen",
        next_step_on=today + dt.timedelta(days=7),
        finished_at=now,
    )
    # A second intake, next month: its outcome is still to be recorded (PendingOutcome).
    IntakeMeetingFactory(youth=youth, starts_at=now + dt.timedelta(days=30))
    entry = matching.shortlist_add(youth=youth, opening=opening, by=coord, reason="past goed")
    share = matching.share_create(shortlist=entry, by=coord)
    placement = Placement.objects.create(
        youth=youth,
        opening=opening,
        start_date=today - dt.timedelta(days=20),
        hours_per_week=24,
        agreement="employment",
        created_by=coord,
    )
    follow_up = FollowUp.objects.create(
        placement=placement, month=1, due_on=today + dt.timedelta(days=10)
    )
    proposal = Proposal.objects.create(
        city=rotterdam, requested_by=coord, status=Proposal.Status.DONE, finished_at=now
    )
    ProposalRow.objects.create(proposal=proposal, youth=youth, opening=opening, score=60)
    cohort = CohortFactory(city=rotterdam)
    EmployerInvolvement.objects.create(cohort=cohort, employer=employer, kind="visit")
    session = SessionFactory(cohort=cohort)
    participant = Participant.objects.create(
        cohort=cohort, youth=youth, enrolled_on=cohort.starts_on
    )
    PhaseChange.objects.create(participant=participant, to_phase=1, changed_by=coord)
    Attendance.objects.create(
        session=session, participant=participant, status="absent", recorded_by=coord
    )
    SkillRating.objects.create(
        participant=participant,
        skill=Skill.objects.first(),
        rating=3,
        rater="coach",
        recorded_by=coord,
    )
    CoachingTalk.objects.create(
        participant=participant, coach=coord, self_confidence=3, agreements="x"
    )
    BuddyProfile.objects.create(youth=youth)
    mentor = MentorFactory(employer=employer, user=employer_user, capacity=2)
    pair = Pair.objects.create(
        youth=youth,
        mentor=mentor,
        placement=placement,
        score=70,
        score_components={"skills": 10},
        proposed_by=coord,
        status=Pair.Status.KICKED_OFF,
        kickoff_on=today - dt.timedelta(days=14),
    )
    CheckIn.objects.create(pair=pair, held_on=today, logged_by=employer_user)
    Concern.objects.create(pair=pair, what="x", raised_by=employer_user)
    Story.objects.create(
        youth=youth, title="Aan de slag", text="Begon", is_shareable=True, created_by=coord
    )
    return {
        "youth": youth,
        "employer": employer,
        "opening": opening,
        "share": share,
        "meeting": meeting,
        "intake": meeting,
        "placement": placement,
        "follow_up": follow_up,
        "proposal": proposal,
        "cohort": cohort,
        "participant": participant,
        "pair": pair,
    }
