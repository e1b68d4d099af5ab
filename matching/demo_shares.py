"""Invented shortlists, shared profiles and employer answers in each city, made the way a
coordinator and an employer would make them: from the young people's real suggestions, through
the matching services.

Each city gets about 8 shortlist entries, some of them a lower-ranked suggestion with the reason
why, and 6 of them shared. The employers whose contact has a portal account (the demo employer
contacts' companies) see candidates in every state: interested (one of them with an intake
planned next week), not now with a reason, still waiting for their answer, and withdrawn."""

import datetime as dt

from django.db.models import Exists, OuterRef
from django.utils import timezone

from employers.models import Contact, Opening
from intake.models import IntakeMeeting
from intake.services import intake_schedule
from restart_platform.accounts.models import City, User
from youth.models import Consent, YoungPerson
from youth.services import consent_give

from . import services
from .models import Share, Shortlist
from .selectors import suggestion_youth_for, suggestions_for_youth

DEMO_MARK = "(demo)"
SHORTLISTED, PENDING, WITHDRAWN = "shortlisted", Share.Answer.PENDING, Share.Status.WITHDRAWN
INTERESTED, NOT_NOW = Share.Answer.INTERESTED, Share.Answer.NOT_NOW
# Per city, what becomes of the entries at employers whose contact has a portal account: their
# candidates come in every state the portal shows.
AT_PORTAL_EMPLOYER = [INTERESTED, NOT_NOW, PENDING, WITHDRAWN, INTERESTED]
# And of the entries elsewhere, with which of the young person's suggestions was chosen (0 is
# the best). Nobody answers there in the portal, so a share stays pending.
ELSEWHERE = [(PENDING, 0), (SHORTLISTED, 1), (SHORTLISTED, 2)]
LOWER_RANKED_REASONS = [
    "Kent de werkgever al van een snuffelstage en wil daar graag terug.",
    "De werkgever biedt een vaste begeleider; dat heeft deze jongere nu het meest nodig.",
    "De werktijden passen beter bij de zorg voor een jonger broertje.",
    "Heeft in het gesprek zelf voor deze werkplek gekozen.",
    "Bereikbaar met één bus; voor de hoger gerangschikte moet twee keer worden overgestapt.",
]
NOT_NOW_REASONS = [
    "Ons team is de komende twee maanden op volle sterkte; daarna graag opnieuw.",
    "We zoeken nu iemand met een rijbewijs; zonder lukt de functie helaas niet.",
]
WITHDRAWN_REASON = "Heeft intussen zelf een baan gevonden, via een buurman."
INTAKE_PLACE = "Werkplaats van de werkgever"
INTAKE_WEEKDAYS = [1, 3]  # next Tuesday in one city, next Thursday in the other


def seed(*, stdout=None) -> None:
    if Shortlist.objects.filter(youth__ambitions__endswith=DEMO_MARK).exists():
        return
    made = []
    for number, city in enumerate(City.objects.order_by("slug")):
        coordinator = (
            User.objects.filter(role=User.Role.COORDINATOR, is_active=True, cities=city)
            .order_by("pk")
            .first()
        )
        if coordinator is not None:
            made += _seed_city(city, coordinator=coordinator, weekday=INTAKE_WEEKDAYS[number % 2])
    if stdout:
        shared = sum(share is not None for _, share in made)
        stdout.write(f"  created {len(made)} shortlist entries, {shared} of them shared")


def _seed_city(
    city: City, *, coordinator: User, weekday: int
) -> list[tuple[Shortlist, Share | None]]:
    """Shortlist, share and answer; an intake for the first employer that is interested."""
    made, interested = [], []
    for number, (youth, opening, rank, fate) in enumerate(_picks(city, coordinator=coordinator)):
        reason = LOWER_RANKED_REASONS[number % len(LOWER_RANKED_REASONS)] if rank > 1 else ""
        entry = services.shortlist_add(youth=youth, opening=opening, by=coordinator, reason=reason)
        share = _share(entry, fate=fate, by=coordinator)
        _backdate(entry, share, days_ago=4 + 2 * number)
        made.append((entry, share))
        if fate == INTERESTED:
            interested.append(share)
    if interested:
        _plan_intake(interested[0], coordinator=coordinator, weekday=weekday)
    return made


def _picks(city: City, *, coordinator: User) -> list[tuple[YoungPerson, Opening, int, str]]:
    """(young person, opening, its rank among their suggestions, what becomes of it): each
    young person once, each opening one of the young person's own suggestions."""
    portal = set(_portal_openings(city).values_list("pk", flat=True))
    suggested = [
        (youth, [suggestion.match for suggestion in suggestions_for_youth(coordinator, youth)])
        for youth in _candidates(city, coordinator=coordinator)
    ]
    # An employer with a portal account gets the candidates its openings suit best.
    fits = sorted(
        (rank, order, opening)
        for order, (_, ranked) in enumerate(suggested)
        for rank, opening in enumerate(ranked, start=1)
        if opening.pk in portal
    )
    picks, taken = [], set()
    for rank, order, opening in fits:
        if len(picks) < len(AT_PORTAL_EMPLOYER) and order not in taken:
            picks.append((suggested[order][0], opening, rank, AT_PORTAL_EMPLOYER[len(picks)]))
            taken.add(order)
    wanted = list(ELSEWHERE)
    for order, (youth, ranked) in enumerate(suggested):
        if not wanted:
            break
        fate, choice = wanted[0]
        others = [opening for opening in ranked if opening.pk not in portal]
        if order not in taken and len(others) > choice:
            picks.append((youth, others[choice], ranked.index(others[choice]) + 1, fate))
            wanted.pop(0)
    return picks


def _portal_openings(city: City):
    """The city's open openings at employers whose contact has a portal account."""
    portal_user = Contact.objects.filter(
        employer=OuterRef("employer"), user__isnull=False, user__is_active=True
    )
    return Opening.objects.filter(
        Exists(portal_user), employer__city=city, status=Opening.Status.OPEN
    )


def _candidates(city: City, *, coordinator: User):
    """The city's demo young people who may still be matched, those who agreed to share first."""
    sharing = Consent.objects.filter(
        youth=OuterRef("pk"),
        purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
        withdrawn_on__isnull=True,
    )
    return (
        YoungPerson.objects.filter(
            pk__in=suggestion_youth_for(coordinator),
            city=city,
            ambitions__endswith=DEMO_MARK,
        )
        .annotate(has_sharing_consent=Exists(sharing))
        .select_related("youth_worker")
        .order_by("-has_sharing_consent", "pk")
    )


def _share(entry: Shortlist, *, fate: str, by: User) -> Share | None:
    if fate == SHORTLISTED:
        return None
    youth = entry.youth
    if not Consent.objects.filter(
        youth=youth, purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS, withdrawn_on__isnull=True
    ).exists():
        # A profile is shared only with consent: the youth worker records it first.
        consent_give(
            youth=youth,
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
            given_on=youth.registered_on,
            by=youth.youth_worker,
        )
    share = services.share_create(shortlist=entry, by=by)
    if fate == WITHDRAWN:
        return services.share_withdraw(share=share, by=by, reason=WITHDRAWN_REASON)
    if fate in (INTERESTED, NOT_NOW):
        return services.share_answer(
            share=share,
            by=_portal_user(entry.opening),
            answer=fate,
            reason=NOT_NOW_REASONS[youth.pk % len(NOT_NOW_REASONS)] if fate == NOT_NOW else "",
        )
    return share


def _portal_user(opening: Opening) -> User:
    return (
        Contact.objects.filter(
            employer=opening.employer_id, user__isnull=False, user__is_active=True
        )
        .select_related("user")
        .order_by("pk")
        .first()
        .user
    )


def _backdate(entry: Shortlist, share: Share | None, *, days_ago: int) -> None:
    """Spread the entries over the past weeks: shortlisted, shared the next day, answered (or
    withdrawn) two days after that."""
    shortlisted_at = timezone.now() - dt.timedelta(days=days_ago)
    Shortlist.objects.filter(pk=entry.pk).update(created_at=shortlisted_at)
    if share is None:
        return
    shared_at = shortlisted_at + dt.timedelta(days=1)
    later = shared_at + dt.timedelta(days=2)
    Share.objects.filter(pk=share.pk).update(
        shared_at=shared_at,
        answered_at=later if share.answered_at else None,
        withdrawn_at=later if share.withdrawn_at else None,
    )


def _plan_intake(share: Share, *, coordinator: User, weekday: int) -> IntakeMeeting:
    """The youth worker plans the intake the employer asked for: next week, 10:00 local time,
    with the opening and the employer contact who answered."""
    today = timezone.localdate()
    day = today + dt.timedelta(days=7 - today.weekday() + weekday)  # weekday 0 is Monday
    # Planning it links the share to it (matching's intake-scheduled hook).
    return intake_schedule(
        youth=share.youth,
        by=share.youth.youth_worker,
        starts_at=dt.datetime.combine(day, dt.time(10), tzinfo=timezone.get_default_timezone()),
        place=INTAKE_PLACE,
        employer_contact=share.answered_by,
        opening=share.opening,
        third_party=coordinator,
    )
