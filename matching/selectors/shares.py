"""Reads for shortlists and shares: the matching page's lists, the employers waiting for an
intake, and the minimised profile an employer sees in its portal."""

from django.db.models import (
    Case,
    Exists,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)

from employers.models import Employer
from intake.models import IntakeMeeting, IntakeRecord
from intake.selectors import with_latest_intake_motivation
from restart_platform.accounts.access import scope_q
from restart_platform.accounts.models import User
from youth.models import WEEKDAYS, Consent, YoungPerson
from youth.selectors import active_consent

from ..models import Placement, Share, Shortlist


def shortlists_visible_to(user: User) -> QuerySet[Shortlist]:
    """Admins all; coordinators those of the young people of their cities."""
    return Shortlist.objects.filter(scope_q(user, city="youth__city"))


def shortlists_for_home(user: User) -> QuerySet[Shortlist]:
    """The shortlist as the matching page shows it: whether each pair is shared, and may be."""
    shared = Share.objects.filter(
        youth=OuterRef("youth"), opening=OuterRef("opening"), status=Share.Status.ACTIVE
    )
    consent = Consent.objects.filter(
        youth=OuterRef("youth"),
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
        withdrawn_on__isnull=True,
    )
    shortlists = (
        shortlists_visible_to(user)
        .select_related("youth", "opening__employer", "created_by")
        .annotate(is_shared=Exists(shared), has_sharing_consent=Exists(consent))
    )
    return with_latest_intake_motivation(shortlists, youth="youth")


# An employer said "interested" and no intake is planned for it yet (or the one planned was
# cancelled): someone should plan one.
AWAITING_INTAKE = Q(status=Share.Status.ACTIVE, answer=Share.Answer.INTERESTED) & (
    Q(intake=None) | Q(intake__status=IntakeMeeting.Status.CANCELLED)
)


def _awaiting_intake() -> Case:
    return Case(When(AWAITING_INTAKE, then=Value(True)), default=Value(False))


def shares_visible_to(user: User) -> QuerySet[Share]:
    return Share.objects.filter(scope_q(user, city="youth__city"))


def shares_for_home(user: User, filters: dict) -> QuerySet[Share]:
    """With the intake planned for an "interested" answer, and whether one still awaits."""
    shares = (
        shares_visible_to(user)
        .select_related("youth", "opening__employer", "shared_by", "answered_by", "intake")
        .annotate(awaits_intake=_awaiting_intake())
    )
    for field in ("status", "answer"):
        if filters.get(field):
            shares = shares.filter(**{field: filters[field]})
    return shares


def employers_interested_in(youth: YoungPerson) -> QuerySet[Share]:
    """For the young person's profile: the active shares an employer said "interested" to that
    still await an intake, the first answered first."""
    return (
        Share.objects.filter(AWAITING_INTAKE, youth=youth)
        .select_related("opening__employer", "answered_by")
        .order_by("answered_at", "pk")
    )


def youth_for_profile() -> QuerySet[YoungPerson]:
    """Young people with what their minimised profile shows, in a fixed number of queries."""
    motivation = (
        IntakeRecord.objects.filter(
            meeting__youth=OuterRef("pk"), status=IntakeRecord.Status.FINISHED
        )
        .order_by("-finished_at", "-pk")
        .values("motivation_words")[:1]
    )
    return (
        YoungPerson.objects.select_related("city")
        .prefetch_related("interests", "skills")
        .annotate(
            latest_motivation=Subquery(motivation),
            has_sharing_consent=Exists(active_consent(Consent.Purpose.SHARE_WITH_EMPLOYERS)),
        )
    )


def sharing_consent_live() -> Exists:
    """The young person of the row (a share) has a sharing consent that is not withdrawn."""
    return Exists(
        Consent.objects.filter(
            youth=OuterRef("youth"),
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
            withdrawn_on__isnull=True,
        )
    )


# What an employer may read of a share: it is active, and the consent behind it holds now. The
# consent is read live, in the same query, so a consent withdrawn by any path (the service, the
# admin, a raw update) hides the profile at once, whether or not the share was stopped.
READABLE = Q(status=Share.Status.ACTIVE) & Q(sharing_consent_live())


def shares_for_employer(employer: Employer | None) -> QuerySet[Share]:
    """The one way an employer reads shares: the profiles shared with an employer, for its
    portal, each with `readable` (see READABLE; only a readable share shows its profile), the
    intake planned for it, and the start of the young person's latest placement at one of this
    employer's openings (any opening of theirs: that is what the employer sees)."""
    if employer is None:
        return Share.objects.none()
    # Placed with this employer now: an ended placement no longer speaks for the candidate.
    placed = Placement.objects.filter(
        youth=OuterRef("youth"), opening__employer=employer, status=Placement.Status.ACTIVE
    ).order_by("-start_date", "-pk")
    return (
        Share.objects.filter(opening__employer=employer)
        .select_related("opening", "intake")
        .annotate(
            placed_since=Subquery(placed.values("start_date")[:1]),
            readable=Case(When(READABLE, then=Value(True)), default=Value(False)),
        )
        .prefetch_related(Prefetch("youth", queryset=youth_for_profile()))
    )


def share_readable_by(employer: Employer | None, **lookup) -> Share | None:
    """One share the employer may read now (see READABLE), or None."""
    return shares_for_employer(employer).filter(READABLE, **lookup).first()


class CandidateStatus:
    """Where a shared candidate stands, as the employer's portal tells it."""

    WAITING = "waiting"  # for the employer's answer
    INTERESTED = "interested"  # an intake is being planned
    INTAKE_PLANNED = "intake_planned"
    NOT_NOW = "not_now"
    PLACED = "placed"  # at one of this employer's openings
    WITHDRAWN = "withdrawn"


def candidate_status(share: Share) -> str:
    """One of CandidateStatus, for a share loaded through `shares_for_employer`. A withdrawn
    share, or one whose consent was withdrawn, says nothing more; a placement outweighs any
    answer."""
    if not share.readable:
        return CandidateStatus.WITHDRAWN
    if share.placed_since is not None:
        return CandidateStatus.PLACED
    if share.answer == Share.Answer.PENDING:
        return CandidateStatus.WAITING
    if share.answer == Share.Answer.NOT_NOW:
        return CandidateStatus.NOT_NOW
    if share.intake is not None and share.intake.status == IntakeMeeting.Status.SCHEDULED:
        return CandidateStatus.INTAKE_PLANNED
    return CandidateStatus.INTERESTED


def minimised_profile(youth: YoungPerson) -> dict:
    """The only things about a young person an employer ever sees.

    Never contact details, address, date of birth, barriers, notes or school records: this dict
    is all the portal and the sharing page render, so what is not here cannot leak. Load the
    young person through `youth_for_profile` to keep it to a fixed number of queries.
    """
    if hasattr(youth, "latest_motivation"):
        words = youth.latest_motivation
    else:
        words = (
            IntakeRecord.objects.filter(meeting__youth=youth, status=IntakeRecord.Status.FINISHED)
            .order_by("-finished_at", "-pk")
            .values_list("motivation_words", flat=True)
            .first()
        )
    return {
        "name": f"{youth.display_name} {youth.last_name[:1]}.".strip(),
        "age": youth.age,
        "city": youth.city.name,
        "interests": sorted(str(area) for area in youth.interests.all()),
        "skills": sorted(str(skill) for skill in youth.skills.all()),
        "motivation": (words or "").strip() or youth.ambitions,
        "available_days": [str(label) for code, label in WEEKDAYS if code in youth.available_days],
        "available_hours": youth.available_hours,
        "available_from": youth.available_from,
        "progress": youth.get_journey_display(),
    }
