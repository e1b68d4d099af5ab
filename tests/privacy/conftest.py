"""A young person with a row of every kind the platform holds about them, and a unique marker
string planted in every free-text field that erasure must overwrite."""

import datetime as dt
import itertools

import pytest
from django.db import models
from django.utils import timezone

from buddy.factories import PairFactory
from buddy.models import BuddyProfile, CheckIn, Concern
from employers.factories import ContactFactory, EmployerFactory, OpeningFactory
from intake.factories import IntakeMeetingFactory, IntakeRecordFactory
from matching import services as matching
from matching.models import FollowUp, Placement, Proposal, ProposalRow
from prep_programme.factories import CohortFactory, SessionFactory
from prep_programme.models import Attendance, CoachingTalk, Participant, PhaseChange, SkillRating
from restart_platform.accounts.audit import log_access
from restart_platform.dashboard.models import Story
from restart_platform.privacy import sections
from restart_platform.taxonomy.models import Skill
from youth import services as youth_services
from youth.factories import (
    BarrierFactory,
    ConsentFactory,
    NetworkFactorFactory,
    YoungPersonFactory,
)
from youth.models import CaseloadChange, Consent, JourneyChange, YouthSkill

MARK = "zqx7"  # every planted marker starts with it; nothing else in the test world does


def plant_markers(youth) -> list[str]:
    """Overwrite every field that erasure scrubs with a unique marker, through save(), so the
    change history records them as a real edit would. Returns the markers."""
    counter = itertools.count(1)
    planted = []
    for section in sections():
        text_fields = [
            name
            for name in (*section.scrub, *section.replace)
            if isinstance(section.model._meta.get_field(name), models.CharField | models.TextField)
        ]
        for row in section.rows_of(youth):
            for name in text_fields:
                model_field = row._meta.get_field(name)
                number = next(counter)
                # Unique: the number ends with an "x", so no marker is the start of another.
                marker = f"{MARK}{number}x-{section.model.__name__}.{name}"
                if isinstance(model_field, models.EmailField):
                    marker = f"{MARK}{number}x@example.org"
                elif model_field.max_length:
                    marker = marker[: max(model_field.max_length, len(f"{MARK}{number}x"))]
                setattr(row, name, marker)
                planted.append(marker)
            if text_fields:
                row.save(update_fields=text_fields)
    return planted


@pytest.fixture
def world(rotterdam, coord_rotterdam, jw_rotterdam, employer_contact1, admin):
    now, today = timezone.now(), timezone.localdate()
    employer = EmployerFactory(city=rotterdam, owner=coord_rotterdam, stage="committed")
    ContactFactory(employer=employer, user=employer_contact1)
    opening = OpeningFactory(employer=employer, places=3)
    youth = YoungPersonFactory(
        youth_worker=jw_rotterdam, city=rotterdam, registered_on=today - dt.timedelta(days=90)
    )
    ConsentFactory(youth=youth, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS)
    YouthSkill.objects.create(youth=youth, skill=Skill.objects.first(), assessed_by=jw_rotterdam)
    BarrierFactory(youth=youth)
    NetworkFactorFactory(youth=youth)
    youth_services.contact_log(
        youth=youth, by=jw_rotterdam, kind="phone", date=today, summary="belde"
    )
    youth_services.youth_change_journey(
        youth=youth, to_status="intake", by=jw_rotterdam, reason="gesprek"
    )
    CaseloadChange.objects.create(
        youth=youth, youth_worker=jw_rotterdam, changed_by=coord_rotterdam
    )
    meeting = IntakeMeetingFactory(youth=youth)
    IntakeRecordFactory(meeting=meeting)
    entry = matching.shortlist_add(youth=youth, opening=opening, by=coord_rotterdam)
    share = matching.share_create(shortlist=entry, by=coord_rotterdam)
    placement = Placement.objects.create(
        youth=youth,
        opening=opening,
        start_date=today - dt.timedelta(days=20),
        hours_per_week=24,
        agreement="employment",
        created_by=coord_rotterdam,
    )
    FollowUp.objects.create(placement=placement, month=1, due_on=today + dt.timedelta(days=10))
    proposal = Proposal.objects.create(
        city=rotterdam, requested_by=coord_rotterdam, status=Proposal.Status.DONE, finished_at=now
    )
    ProposalRow.objects.create(proposal=proposal, youth=youth, opening=opening, score=60)
    cohort = CohortFactory(city=rotterdam)
    session = SessionFactory(cohort=cohort)
    participant = Participant.objects.create(
        cohort=cohort, youth=youth, enrolled_on=cohort.starts_on
    )
    PhaseChange.objects.create(participant=participant, to_phase=1, changed_by=coord_rotterdam)
    Attendance.objects.create(
        session=session, participant=participant, status="present", recorded_by=coord_rotterdam
    )
    SkillRating.objects.create(
        participant=participant,
        skill=Skill.objects.first(),
        rating=3,
        rater="coach",
        recorded_by=coord_rotterdam,
    )
    CoachingTalk.objects.create(
        participant=participant, coach=coord_rotterdam, self_confidence=3, agreements="x"
    )
    BuddyProfile.objects.create(youth=youth)
    pair = PairFactory(placement=placement, youth=youth)
    CheckIn.objects.create(pair=pair, held_on=today, logged_by=coord_rotterdam)
    Concern.objects.create(pair=pair, what="x", raised_by=coord_rotterdam)
    # A story for the employer pitch, shareable with the consent it needs.
    ConsentFactory(youth=youth, purpose=Consent.Purpose.ANONYMOUS_REPORTS)
    Story.objects.create(
        youth=youth,
        title="Aan de slag",
        text="Begon in de werkplaats",
        is_shareable=True,
        created_by=coord_rotterdam,
    )
    markers = plant_markers(youth)
    youth.refresh_from_db()
    # A search for their name, in the access log as its full path.
    log_access(
        user=coord_rotterdam, target=youth, path=f"/youth/?q={youth.last_name}&city=rotterdam"
    )
    assert not JourneyChange.objects.filter(youth=youth).filter(reason="gesprek").exists()
    return {
        "youth": youth,
        "markers": markers,
        "share": share,
        "placement": placement,
        "pair": pair,
        "meeting": meeting,
        "participant": participant,
        "employer": employer,
        "opening": opening,
    }
