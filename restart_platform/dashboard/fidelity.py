"""Fidelity: how often the alliance applied each working element of the literature, per city and
period, counted from the records (docs/fidelity.md says the same for people).

Every element is a share: a numerator out of a denominator, both named in its docstring below.
An element whose data is not recorded (no record in its denominator, or the field it counts
never filled for any of them) is "not recorded", never 0 %: an empty field is not a "no".

The figures are aggregates in the database: a fixed number of queries, whatever the number of
intakes, pairs, check-ins or participants (one or two per group of elements).

Dates: a period runs from `start` to `end`, both included. Anything that must already have
happened (a check-in that was due, a 12-month mark) is looked at up to `until`, the earlier of
`end` and today.
"""

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DateField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.fields.json import KT
from django.db.models.functions import Cast, ExtractDay, ExtractMonth, ExtractYear
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from buddy.models import WEIGHT_FIELDS, CheckIn, Pair
from buddy.scoring import NOTHING_RECORDED
from employers.models import DemandProfile, Employer, NetworkPartner
from intake.models import IntakeMeeting
from intake.selectors import intake_fidelity
from prep_programme.models import CoachingTalk, Cohort, EmployerInvolvement, Participant, Session

CHECKIN_EVERY_DAYS = 6 * 7  # the literature's regular contact of mentor and young person
COACHING_EVERY_DAYS = 2 * 7  # personal attention in the pre-employment programme
TARGET_MONTHS = 12  # relationships of at least a year work better
# Employers that take part: they have committed to the alliance or take on young people.
TAKING_PART = (Employer.Stage.COMMITTED, Employer.Stage.ACTIVE)


@dataclass(frozen=True)
class Period:
    city_ids: tuple[int, ...]
    start: dt.date
    end: dt.date
    today: dt.date
    # Every city there is (an admin who chose none): the figures then need no city filter, and
    # the database no join to the young people to apply one (a third of the page's time).
    every_city: bool = False

    def in_cities(self, path: str) -> Q:
        """The rows whose city, at `path`, is one of the period's."""
        return Q() if self.every_city else Q(**{f"{path}__in": self.city_ids})

    @property
    def until(self) -> dt.date:
        return min(self.end, self.today)

    def datetimes(self) -> tuple[dt.datetime, dt.datetime]:
        """The period as aware datetimes: from the start of `start` to the start of the day
        after `end`."""
        zone = timezone.get_current_timezone()
        first = dt.datetime.combine(self.start, dt.time.min, tzinfo=zone)
        after = dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone)
        return first, after


@dataclass(frozen=True)
class Element:
    """One row of the table: a working element, and how often it was applied."""

    key: str
    group: str
    name: str
    explanation: str
    count: int
    total: int
    recorded: bool
    note: str = ""

    @property
    def percentage(self) -> int | None:
        """None when not recorded: the page then says so instead of showing 0 %."""
        if not self.recorded or not self.total:
            return None
        return round(100 * self.count / self.total)


def _element(key, group, name, explanation, count, total, *, filled=True, note="") -> Element:
    return Element(
        key=key,
        group=group,
        name=str(name),
        explanation=str(explanation),
        count=count,
        total=total,
        recorded=bool(total) and filled,
        note=str(note),
    )


def fidelity_table(period: Period) -> list[Element]:
    """Every element, in the order of the literature: intake, buddy, programme, network."""
    return [
        *intake_elements(period),
        *buddy_elements(period),
        *programme_elements(period),
        *network_elements(period),
    ]


# --- Intake ---------------------------------------------------------------------------------


def intake_elements(period: Period) -> list[Element]:
    """The intakes of young people of the cities that started in the period and were held.

    - youth worker as bridge, third party present: of the held intakes whose attendance was
      recorded (someone ticked present), those with the youth worker / the third party with
      authority ticked present. Not recorded: no held intake has its attendance recorded.
    - mutual expectations, motivation, barriers: of the held intakes with an intake record
      (draft or finished), those whose record holds the expectations of both sides or those
      agreed / the motivation in words or as a rating / at least one barrier, or "none found".
      Not recorded: no held intake with a record, or the field empty in every record.
    - non-committal: of the held intakes whose record answers the question, those answered
      yes. Not recorded: no record answers it; the unanswered are named, never counted as no.
    """
    first, after = period.datetimes()
    intakes = IntakeMeeting.objects.filter(
        period.in_cities("youth__city"), starts_at__gte=first, starts_at__lt=after
    )
    counts, records = intake_fidelity(intakes)
    answered = counts.non_committal_yes + counts.non_committal_no
    barriers = counts.barriers_mapped + counts.no_barriers_found
    group = _("Intake")
    return [
        _element(
            "youth_worker_bridge",
            group,
            _("Youth worker as bridge"),
            _("Held intakes with attendance recorded where the youth worker was present."),
            records.youth_worker_present,
            records.attendance_recorded,
        ),
        _element(
            "third_party_present",
            group,
            _("Third party with authority present"),
            _(
                "Held intakes with attendance recorded where a third party with authority was "
                "actually present."
            ),
            records.third_party_present,
            records.attendance_recorded,
        ),
        _element(
            "mutual_expectations",
            group,
            _("Mutual expectations made explicit"),
            _(
                "Held intakes with an intake record that holds the expectations of both sides, "
                "or those agreed."
            ),
            records.expectations_mutual,
            records.with_record,
            filled=records.expectations_any > 0,
        ),
        _element(
            "non_committal",
            group,
            _("Non-committal first meeting"),
            _("Held intakes whose record answers the question, answered yes."),
            counts.non_committal_yes,
            answered,
            note=_("%(count)s held intakes without an answer")
            % {"count": counts.non_committal_not_recorded}
            if counts.non_committal_not_recorded
            else "",
        ),
        _element(
            "motivation",
            group,
            _("Motivation recorded"),
            _(
                "Held intakes with an intake record that holds the motivation, in words or as a "
                "rating."
            ),
            records.motivation_recorded,
            records.with_record,
            filled=records.motivation_recorded > 0,
        ),
        _element(
            "barriers",
            group,
            _("Barriers to motivation mapped"),
            _("Held intakes with an intake record that names a barrier, or says none were found."),
            barriers,
            records.with_record,
            filled=barriers > 0,
        ),
    ]


def _flag(condition: Q) -> ExpressionWrapper:
    """A condition as a column of its own: an Exists inside an aggregate's filter would lose
    the row it refers to once the query is wrapped, so it is annotated first."""
    return ExpressionWrapper(condition, output_field=BooleanField())


# --- Keeping a rhythm: check-ins, coaching ---------------------------------------------------


def _plus(field: str | F | OuterRef, days: int) -> ExpressionWrapper:
    """A date column plus a number of days, compared against another date column."""
    field = F(field) if isinstance(field, str) else field
    return ExpressionWrapper(field + dt.timedelta(days=days), output_field=DateField())


def _in_rhythm(
    period: Period, *, events: QuerySet, owner: str, start: str, end: str, every: int
) -> tuple[Q, Q]:
    """(due, behind) as filters on the owners (pairs, participants) of `events` (check-ins,
    coaching talks, each with a date `held_on` and a foreign key `owner`).

    An owner runs from its `start` date to its `end` date (or on). It is *due* when it ran in
    the period and a first contact fell due while it ran: it started more than `every` days
    before `until`, did not end within `every` days of its start, and did not end before the
    period. It is *behind* when, at some day of the period while it ran, its start and every
    event lay more than `every` days back. Only date comparisons: the same on every database.
    """
    until, gap_start = period.until, period.start - dt.timedelta(days=every)
    last_origin = until - dt.timedelta(days=every)
    ended_after = lambda origin: Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gt": origin})  # noqa: E731
    due = (
        Q(**{f"{start}__isnull": False, f"{start}__lt": last_origin})
        & ended_after(_plus(start, every))
        & (Q(**{f"{end}__isnull": True}) | Q(**{f"{end}__gte": period.start}))
    )
    mine = events.filter(**{owner: OuterRef("pk")})
    # Behind at the period's first day: it started long before and nothing in the last stretch.
    behind_at_start = Q(**{f"{start}__lt": gap_start}) & ~Exists(
        mine.filter(held_on__gte=gap_start, held_on__lte=period.start)
    )
    # Behind after its start: nothing within `every` days of it, and it was still running.
    behind_after_start = (
        Q(**{f"{start}__gte": gap_start, f"{start}__lt": last_origin})
        & ended_after(_plus(start, every))
        & ~Exists(
            mine.filter(held_on__gt=OuterRef(start), held_on__lte=_plus(OuterRef(start), every))
        )
    )
    # Behind after an event: nothing within `every` days of it, and it was still running.
    following = events.filter(
        **{owner: OuterRef(owner)},
        held_on__gt=OuterRef("held_on"),
        held_on__lte=_plus(OuterRef("held_on"), every),
    )
    gaps = (
        mine.filter(held_on__gte=gap_start, held_on__lt=last_origin)
        .filter(
            Q(**{f"{owner}__{end}__isnull": True})
            | Q(**{f"{owner}__{end}__gt": _plus("held_on", every)})
        )
        .filter(~Exists(following))
    )
    behind = behind_at_start | behind_after_start | Exists(gaps)
    return due, behind


# --- Buddy programme --------------------------------------------------------------------------


def _components_matched():
    """How many of a pair's score components were a real fit: above what a side with nothing
    recorded scores (0.5), so a component without data never counts as matched."""
    total = Value(0, output_field=IntegerField())
    for name in WEIGHT_FIELDS:
        value = Cast(KT(f"score_components__{name}"), FloatField())
        total = total + Case(
            When(GreaterThan(value, NOTHING_RECORDED), then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )
    return total


def _months_running(end):
    """Whole months from the kick-off to `end`, as Pair.months_running counts them."""
    months = (ExtractYear(end) - ExtractYear("kickoff_on")) * 12 + (
        ExtractMonth(end) - ExtractMonth("kickoff_on")
    )
    short = Case(
        When(GreaterThan(ExtractDay("kickoff_on"), ExtractDay(end)), then=Value(1)),
        default=Value(0),
        output_field=IntegerField(),
    )
    return months - short


def buddy_elements(period: Period) -> list[Element]:
    """The pairs of young people of the cities.

    - matched on more than one component: of the pairs proposed in the period whose score
      components were kept, those with two or more components above 0.5 (the score of a side
      with nothing recorded). Not recorded: no such pair.
    - check-ins every six weeks on skills and well-being: of the pairs due a check-in in the
      period (kick-off held, running in the period, and six weeks run while in it), those never
      more than six weeks without a check-in that covers both the work's skills and well-being
      (counted from the kick-off). Not recorded: no such pair, or none of them has any
      check-in logged.
    - reaching 12 months: of the pairs whose 12-month mark (kick-off plus 12 months) fell in the
      period, up to today, those not closed before it. Not recorded: no such pair.
    """
    first, after = period.datetimes()
    until = period.until
    pairs = Pair.objects.filter(period.in_cities("youth__city")).order_by()
    skills = ~Q(work_note="") | Q(work_rating__isnull=False)
    wellbeing = ~Q(wellbeing_note="") | Q(wellbeing_rating__isnull=False)
    covering = CheckIn.objects.filter(skills & wellbeing, held_on__lte=until)
    due, behind = _in_rhythm(
        period,
        events=covering,
        owner="pair",
        start="kickoff_on",
        end="closed_on",
        every=CHECKIN_EVERY_DAYS,
    )
    any_checkin = Exists(CheckIn.objects.filter(pair=OuterRef("pk"), held_on__lte=until))
    proposed = Q(proposed_at__gte=first, proposed_at__lt=after) & Q(
        score_components__has_any_keys=list(WEIGHT_FIELDS)
    )
    mark_from = period.start - relativedelta(months=TARGET_MONTHS)
    mark_until = until - relativedelta(months=TARGET_MONTHS)
    marked = Q(kickoff_on__gte=mark_from, kickoff_on__lte=mark_until)
    counts = pairs.annotate(
        _matched=_components_matched(),
        _months=Case(
            When(closed_on__isnull=True, then=Value(TARGET_MONTHS)),
            default=_months_running("closed_on"),
            output_field=IntegerField(),
        ),
        _any_checkin=any_checkin,
        _behind=_flag(behind),
    ).aggregate(
        proposed=Count("pk", filter=proposed),
        matched=Count("pk", filter=proposed & Q(_matched__gte=2)),
        due=Count("pk", filter=due),
        due_logged=Count("pk", filter=due & Q(_any_checkin=True)),
        in_rhythm=Count("pk", filter=due & Q(_behind=False)),
        marked=Count("pk", filter=marked),
        reached=Count("pk", filter=marked & Q(_months__gte=TARGET_MONTHS)),
    )
    group = _("Buddy programme")
    return [
        _element(
            "pair_components",
            group,
            _("Matched on more than one component"),
            _(
                "Pairs proposed in the period that fit on two or more of: needs, career "
                "interests, personal interests, an age gap near 15 years."
            ),
            counts["matched"],
            counts["proposed"],
        ),
        _element(
            "checkin_rhythm",
            group,
            _("Check-ins every six weeks on skills and well-being"),
            _(
                "Pairs running in the period never more than six weeks without a check-in that "
                "covers both the work's skills and well-being."
            ),
            counts["in_rhythm"],
            counts["due"],
            filled=counts["due_logged"] > 0,
        ),
        _element(
            "pair_twelve_months",
            group,
            _("Pairs reaching 12 months"),
            _("Pairs whose 12-month mark fell in the period, not closed before it."),
            counts["reached"],
            counts["marked"],
        ),
    ]


# --- Pre-employment programme -----------------------------------------------------------------


def programme_elements(period: Period) -> list[Element]:
    """The cohorts of the cities and their participants.

    - employer involvement: of the cohorts running in the period (start on or before its end,
      end on or after its start), those with an employer involvement recorded or a session
      with an employer. Not recorded: no such cohort, or none has either.
    - coaching every two weeks: of the participants due a coaching talk in the period
      (enrolled, taking part in the period, and two weeks in it), those never more than two
      weeks without a coaching talk (counted from enrolment). Not recorded: no such
      participant, or none of them has any coaching talk.
    """
    cohorts = Cohort.objects.filter(
        period.in_cities("city"), starts_on__lte=period.end, ends_on__gte=period.start
    ).order_by()
    involved = Exists(EmployerInvolvement.objects.filter(cohort=OuterRef("pk"))) | Exists(
        Session.objects.filter(cohort=OuterRef("pk"), employer__isnull=False)
    )
    cohort_counts = cohorts.aggregate(cohorts=Count("pk"), involved=Count("pk", filter=involved))
    talks = CoachingTalk.objects.filter(held_on__lte=period.until)
    due, behind = _in_rhythm(
        period,
        events=talks,
        owner="participant",
        start="enrolled_on",
        end="ended_on",
        every=COACHING_EVERY_DAYS,
    )
    participants = Participant.objects.filter(period.in_cities("cohort__city")).order_by()
    coached = Exists(talks.filter(participant=OuterRef("pk")))
    counts = participants.annotate(_coached=coached, _behind=_flag(behind)).aggregate(
        due=Count("pk", filter=due),
        due_coached=Count("pk", filter=due & Q(_coached=True)),
        in_rhythm=Count("pk", filter=due & Q(_behind=False)),
    )
    group = _("Pre-employment programme")
    return [
        _element(
            "cohort_employers",
            group,
            _("Employers involved in the cohort"),
            _(
                "Cohorts running in the period with an employer's involvement recorded, or a "
                "session given with an employer."
            ),
            cohort_counts["involved"],
            cohort_counts["cohorts"],
            filled=cohort_counts["involved"] > 0,
        ),
        _element(
            "coaching_rhythm",
            group,
            _("Coaching at least every two weeks"),
            _(
                "Participants taking part in the period never more than two weeks without a "
                "coaching talk."
            ),
            counts["in_rhythm"],
            counts["due"],
            filled=counts["due_coached"] > 0,
        ),
    ]


# --- Employers and the network -----------------------------------------------------------------


def network_elements(period: Period) -> list[Element]:
    """Employers and network partners as they stand today: the period does not apply.

    - demand profile: of the employers of the cities that take part (committed or active),
      those whose demand profile names roles, skills, expected openings or retirements. Not
      recorded: no such employer.
    - one lead partner: of the cities with network partners recorded, those where one of them
      leads the network (the database allows no second). Not recorded: no partner in any city.
    """
    profiled = Q(demand__isnull=False) & (
        ~Q(demand__roles="")
        | Q(demand__openings_12_months__isnull=False)
        | Q(demand__openings_24_months__isnull=False)
        | Q(demand__expected_retirements__isnull=False)
        | Exists(
            DemandProfile.skills.through.objects.filter(demandprofile__employer=OuterRef("pk"))
        )
    )
    employers = (
        Employer.objects.filter(period.in_cities("city"), stage__in=TAKING_PART)
        .order_by()
        .annotate(_profiled=_flag(profiled))
        .aggregate(taking_part=Count("pk"), profiled=Count("pk", filter=Q(_profiled=True)))
    )
    partners = (
        NetworkPartner.objects.filter(period.in_cities("city"))
        .order_by()
        .aggregate(
            cities=Count("city", distinct=True),
            led=Count("city", filter=Q(is_lead=True), distinct=True),
        )
    )
    group = _("Employers and network")
    return [
        _element(
            "demand_profile",
            group,
            _("Employers with a demand profile"),
            _(
                "Employers taking part (committed or active) whose demand profile names roles, "
                "skills, expected openings or retirements. As it stands today."
            ),
            employers["profiled"],
            employers["taking_part"],
        ),
        _element(
            "lead_partner",
            group,
            _("One lead partner per city"),
            _(
                "Cities with network partners where one of them leads the network. As it stands today."
            ),
            partners["led"],
            partners["cities"],
        ),
    ]
