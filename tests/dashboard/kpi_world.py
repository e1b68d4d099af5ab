"""A fixed, invented world for the KPI figures: every record placed on a known date around the
period 2026 (today is 15 June 2026), so each figure's expected value can be counted by hand.
Each record says in a comment why it counts or not."""

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from buddy.factories import MentorFactory
from buddy.models import Pair
from employers.factories import EmployerFactory, OpeningFactory
from employers.models import Employer, Opening
from intake.factories import IntakeMeetingFactory
from intake.models import IntakeMeeting
from matching.models import FollowUp, Placement
from prep_programme.factories import CohortFactory
from prep_programme.models import Participant
from restart_platform.dashboard.kpis import Period
from youth.factories import YoungPersonFactory

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
NOW = dt.datetime(2026, 6, 15, 12, tzinfo=AMSTERDAM)
PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
D = dt.date


class World:
    def __init__(self, *, coord, jw, city, other_city, jw_other):
        self.coord, self.jw, self.city = coord, jw, city
        self.other_city, self.jw_other = other_city, jw_other
        self.employers()
        self.young_people()

    # --- employers -------------------------------------------------------------------------
    def employers(self):
        make = EmployerFactory
        self.host = make(city=self.city, owner=self.coord, stage="active", circularity="circular")
        make(city=self.city, owner=self.coord, stage="lead", circularity="circular")
        make(city=self.city, owner=self.coord, stage="committed", circularity="in_transition")
        make(city=self.city, owner=self.coord, stage="lead", circularity="not_yet")
        late = make(city=self.city, owner=self.coord, stage="active", circularity="not_yet")
        # Added after the period: not counted.
        Employer.objects.filter(pk=late.pk).update(
            created_at=dt.datetime(2027, 1, 5, tzinfo=AMSTERDAM)
        )
        course = {"crebo_code": "25123", "mbo_level": 2}
        self.openings = {
            kind: OpeningFactory(
                employer=self.host,
                kind=kind,
                places=50,
                **(course if kind == Opening.Kind.LEARNING_WORK_PLACE else {}),
            )
            for kind in Opening.Kind.values
        }
        self.mentor = MentorFactory(employer=self.host, capacity=5)
        self.cohort = CohortFactory(city=self.city, starts_on=D(2025, 9, 1), ends_on=D(2026, 12, 1))

    # --- helpers ---------------------------------------------------------------------------
    def youth(self, registered_on, *, other_city=False, **kwargs):
        return YoungPersonFactory(
            city=self.other_city if other_city else self.city,
            youth_worker=self.jw_other if other_city else self.jw,
            registered_on=registered_on,
            date_of_birth=D(2006, 3, 3),
            **kwargs,
        )

    def placement(self, youth, start, kind="job", ended_on=None):
        return Placement.objects.create(
            youth=youth,
            opening=self.openings[kind],
            start_date=start,
            hours_per_week=24,
            agreement="employment",
            created_by=self.coord,
            status="ended" if ended_on else "active",
            ended_on=ended_on,
        )

    def follow_up(self, placement, month, due_on, still_there=None):
        return FollowUp.objects.create(
            placement=placement,
            month=month,
            due_on=due_on,
            still_there=still_there,
            reason="Ander werk gevonden" if still_there is False else "",
            answered_at=timezone.now() if still_there is not None else None,
            answered_by=self.coord if still_there is not None else None,
        )

    def pair(self, youth, placement, kickoff_on, closed_on=None):
        return Pair.objects.create(
            youth=youth,
            mentor=self.mentor,
            placement=placement,
            score=70,
            proposed_by=self.coord,
            status="closed" if closed_on else ("active" if kickoff_on else "proposed"),
            kickoff_on=kickoff_on,
            closed_on=closed_on,
            close_reason="completed" if closed_on else "",
        )

    def participant(
        self,
        youth,
        enrolled_on,
        *,
        phase=1,
        status="active",
        ended_on=None,
        certificate="",
        cohort=None,
    ):
        return Participant.objects.create(
            cohort=cohort or self.cohort,
            youth=youth,
            enrolled_on=enrolled_on,
            phase=phase,
            status=status,
            ended_on=ended_on,
            left_reason="Verhuisd" if status == "left" else "",
            certificate=certificate,
            placement_employer=self.host if phase == 3 else None,
            placement_kind="job" if phase == 3 else "",
        )

    def intake(self, youth, day, status):
        return IntakeMeetingFactory(
            youth=youth,
            starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=AMSTERDAM),
            status=status,
        )

    # --- young people ----------------------------------------------------------------------
    def young_people(self):
        held, scheduled = IntakeMeeting.Status.HELD, IntakeMeeting.Status.SCHEDULED
        # A: registered, intake held and enrolled in the period.
        a = self.youth(D(2026, 2, 1))
        self.intake(a, D(2026, 2, 10), held)
        self.participant(a, D(2026, 3, 1))
        # B: registered and first intake before the period; a scheduled intake (not held);
        # placed in the period (paid internship), still there at 3 months; left the programme
        # early in the period, in phase 2.
        b = self.youth(D(2025, 11, 1))
        self.intake(b, D(2025, 12, 1), held)
        self.intake(b, D(2026, 3, 1), scheduled)
        placed_b = self.placement(b, D(2026, 1, 10), kind="paid_internship")
        self.follow_up(placed_b, 3, D(2026, 4, 10), True)
        self.follow_up(placed_b, 6, D(2026, 7, 10))  # due after today: unknown
        self.participant(b, D(2026, 1, 15), phase=2, status="left", ended_on=D(2026, 4, 1))
        # C: placed in 2025 with a buddy; still there at 12 months (due in the period); the
        # 6-month follow-up fell before the period.
        c = self.youth(D(2024, 1, 1))
        placed_c = self.placement(c, D(2025, 6, 1))
        self.follow_up(placed_c, 6, D(2025, 12, 1), True)
        self.follow_up(placed_c, 12, D(2026, 6, 1), True)
        self.pair(c, placed_c, D(2025, 6, 10))  # open: its first anniversary is in the period
        # D: Dordrecht, registered in the period: only an admin counts it.
        d = self.youth(D(2026, 3, 1), other_city=True)
        self.participant(
            d,
            D(2026, 3, 1),
            cohort=CohortFactory(
                city=self.other_city, starts_on=D(2026, 2, 1), ends_on=D(2026, 9, 1)
            ),
        )
        # E: placed in 2025, ended in February: there at 1 month, gone before 3 months (left
        # before, known, not still there); finished the programme before the period.
        e = self.youth(D(2025, 1, 1))
        placed_e = self.placement(e, D(2025, 12, 1), ended_on=D(2026, 2, 1))
        self.follow_up(placed_e, 1, D(2026, 1, 1), True)
        self.follow_up(placed_e, 3, D(2026, 3, 1))
        self.participant(
            e,
            D(2025, 9, 1),
            phase=2,
            status="finished",
            ended_on=D(2025, 11, 30),
            certificate="Certificaat werknemersvaardigheden",
        )
        # F: finished the programme in the period, in phase 3, with a certificate.
        f = self.youth(D(2025, 5, 1))
        self.participant(
            f,
            D(2025, 10, 1),
            phase=3,
            status="finished",
            ended_on=D(2026, 5, 1),
            certificate="Certificaat werknemersvaardigheden",
        )
        # K: placed in the period at a learning-work place; its 1-month follow-up is due and
        # not answered (unknown).
        k = self.youth(D(2025, 2, 1))
        placed_k = self.placement(k, D(2026, 5, 1), kind="learning_work_place")
        self.follow_up(placed_k, 1, D(2026, 6, 1))
        # L: with a buddy; there at 1 month, not at 3 months.
        ell = self.youth(D(2025, 3, 1))
        placed_l = self.placement(ell, D(2025, 12, 15), ended_on=D(2026, 3, 10))
        self.follow_up(placed_l, 1, D(2026, 1, 15), True)
        self.follow_up(placed_l, 3, D(2026, 3, 15), False)
        self.pair(ell, placed_l, D(2025, 12, 20), closed_on=D(2026, 3, 10))  # not yet due
        # Buddy pairs whose placements started in 2025 (no follow-ups recorded):
        # M ran 12 whole months (due, reached); N closed a few days short (due, not reached);
        # O started in the period; P never had its kick-off.
        for registered, kickoff, closed in [
            (D(2024, 6, 1), D(2025, 2, 1), D(2026, 2, 15)),
            (D(2024, 6, 1), D(2025, 3, 20), D(2026, 3, 10)),
            (D(2024, 6, 1), D(2026, 2, 1), None),
            (D(2024, 6, 1), None, None),
        ]:
            person = self.youth(registered)
            placed = self.placement(person, D(2025, 1, 15), ended_on=closed)
            self.pair(person, placed, kickoff, closed)
