"""Reads that span the apps: the dashboard sits above them all, so it may ask each of them."""

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from buddy.selectors import pairs_checkin_due, pairs_needing_attention
from employers.selectors import employer_of_contact, employers_next_action_overdue
from intake.selectors import (
    intakes_filtered,
    intakes_scheduled_between,
    pending_outcomes_visible_to,
    youth_awaiting_outcome,
)
from matching.models import Share
from matching.selectors import READABLE, placements_filtered, shares_for_employer, shares_for_home
from prep_programme.selectors import participants_needing_attention, sessions_of_caseload_between
from restart_platform.accounts.access import Role, has_role, scope_q
from restart_platform.accounts.models import City, User
from restart_platform.notifications.selectors import failed_reminders_for
from youth.models import Consent, YoungPerson
from youth.selectors import active_consent_holders, caseload_for, no_recent_contact_q

from .models import Story

# The caseload's order: no contact for 30 days, an intake awaiting its outcome, no registration
# consent, then everyone else (who needs no attention).
ATTENTION_NONE = 3


def caseload_by_attention(
    user: User, *, today: dt.date, youth_worker: User | None = None
) -> QuerySet[YoungPerson]:
    """A caseload in the order of who needs attention first: no contact for 30 days, then an
    intake without an outcome, then registration consent missing, then the rest.

    Ordered in the database, so the pages of the caseload follow one order. The order reads
    the stored last contact, and tests each young person against two sets read once (the
    young people with an intake awaiting its outcome, and those with registration consent).
    It reads nothing else: it is the keys' query (see `view_helpers.page_by_keys`), and the
    rows a page shows come from `caseload_rows`, with the reasons of each.
    """
    youth = caseload_for(user, listed=False)
    if youth_worker is not None:
        youth = youth.filter(youth_worker=youth_worker)
    awaiting = Q(pk__in=youth_awaiting_outcome(now=timezone.now()))
    consented = Q(pk__in=active_consent_holders(Consent.Purpose.REGISTRATION))
    return youth.annotate(
        attention=Case(
            When(no_recent_contact_q(today), then=Value(0)),
            When(awaiting, then=Value(1)),
            When(~consented, then=Value(2)),
            default=Value(ATTENTION_NONE),
            output_field=IntegerField(),
        )
    ).order_by(
        "attention",
        F("last_contact_on").asc(nulls_first=True),
        "first_name",
        "last_name",
        "pk",
    )


def caseload_rows(user: User, *, today: dt.date) -> QuerySet[YoungPerson]:
    """The caseload's rows as a page shows them: with the last contact, the consents and why
    each young person needs attention."""
    return with_attention_reasons(caseload_for(user), today=today)


def with_attention_reasons(youth: QuerySet[YoungPerson], *, today: dt.date) -> QuerySet:
    """Why each young person needs attention, looked up per row: for the rows a page shows."""
    return youth.annotate(
        needs_contact=Case(
            When(no_recent_contact_q(today), then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        awaits_outcome=Exists(
            youth_awaiting_outcome(now=timezone.now()).filter(youth=OuterRef("pk"))
        ),
    )


# --- Stories of the employer pitch -------------------------------------------------------------


def stories_visible_to(user: User) -> QuerySet[Story]:
    """Admins all; coordinators the stories of the young people of their cities; nobody else
    (a youth worker's caseload path is not given, so they see none)."""
    return Story.objects.filter(scope_q(user, city="youth__city"))


def stories_for_list(user: User, filters: dict) -> QuerySet[Story]:
    """With the young person and whether their consent "use in anonymous reports" is active,
    after the list's search box and filter."""
    stories = (
        stories_visible_to(user)
        .select_related("youth", "youth__city", "created_by")
        .annotate(has_consent=Exists(_reports_consent()))
    )
    if query := (filters.get("q") or "").strip():
        stories = stories.filter(
            Q(title__icontains=query)
            | Q(text__icontains=query)
            | Q(youth__first_name__icontains=query)
            | Q(youth__last_name__icontains=query)
        )
    if filters.get("shareable") in ("yes", "no"):
        stories = stories.filter(is_shareable=filters["shareable"] == "yes")
    return stories.order_by("-updated_at", "-pk")


def pitch_stories(user: User, *, city: City | None) -> QuerySet[Story]:
    """The stories the employer pitch shows: marked shareable, of a young person (not merged
    away, not erased) whose consent "use in anonymous reports" is active now. Read live: a withdrawn
    consent drops the story at once."""
    stories = stories_visible_to(user).filter(
        Exists(_reports_consent()),
        is_shareable=True,
        youth__merged_into__isnull=True,
        youth__erased_at__isnull=True,
    )
    if city is not None:
        stories = stories.filter(youth__city=city)
    return stories.only("title", "text").order_by("-updated_at", "-pk")


def _reports_consent() -> QuerySet[Consent]:
    return Consent.objects.filter(
        youth=OuterRef("youth"),
        purpose=Consent.Purpose.ANONYMOUS_REPORTS,
        withdrawn_on__isnull=True,
    )


# --- The start page: what needs this person, per role ------------------------------------------

FIRST_ITEMS = 5


@dataclass(frozen=True)
class Section:
    """One part of the start page: how many, the first few, and the list page with them all."""

    key: str
    title: str
    count: int
    items: list
    empty: str
    all_url: str | None = None


def _section(
    key: str, title, rows: QuerySet, empty, all_url: str | None = None, *, keys=None
) -> Section:
    """Three queries whatever the size: the first few keys, their rows, and the count when
    there are more. The keys are sorted alone and only the rows shown are read in full (see
    `view_helpers.page_by_keys`). `keys`, if given, are the keys of the same rows in the same
    order from a query that reads less; the count is theirs."""
    keys = rows.values_list("pk", flat=True) if keys is None else keys
    first = list(keys[:FIRST_ITEMS])
    found = rows.order_by().in_bulk(first) if first else {}
    items = [found[key] for key in first if key in found]
    count = len(first) if len(first) < FIRST_ITEMS else keys.count()
    return Section(key, str(title), count, items, str(empty), all_url if count else None)


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}" if params else reverse(name)


def coordinator_queue(user: User, *, now: dt.datetime) -> list[Section]:
    """The work queue of a coordinator (and an administrator), each figure scoped as the list
    page it links to."""
    today = timezone.localdate(now)
    shares_filter = {"status": Share.Status.ACTIVE, "answer": Share.Answer.PENDING}
    return [
        _section(
            "next_actions",
            _("Overdue next actions"),
            employers_next_action_overdue(user, today=today),
            _("No employer has an overdue next action."),
            _url("employers:employer_list", sort="next_action_due"),
        ),
        _section(
            "intakes",
            _("Intakes without an outcome"),
            intakes_filtered(user, {"awaiting_outcome": True}),
            _("Every intake held has its outcome recorded."),
            _url("intake:intake_list", awaiting_outcome="on"),
            keys=pending_outcomes_visible_to(user, now=now).values_list("meeting", flat=True),
        ),
        _section(
            "shares",
            _("Shared profiles awaiting the employer's answer"),
            shares_for_home(user, shares_filter).order_by("shared_at", "pk"),
            _("No employer owes an answer."),
            _url("matching:matching_home", show="shares", **shares_filter),
        ),
        _section(
            "follow_ups",
            _("Placements due a follow-up"),
            placements_filtered(user, {"follow_up_due": True}, today=today),
            _("No placement is due a follow-up."),
            _url("matching:placement_list", follow_up_due="on"),
        ),
        _section(
            "pairs",
            _("Buddy pairs needing attention"),
            pairs_needing_attention(user, today=today),
            _("Every buddy pair is on track."),
        ),
        _section(
            "participants",
            _("Programme participants needing attention"),
            participants_needing_attention(user, today=today),
            _("Every participant of the pre-employment programme is on track."),
        ),
        _section(
            "failed_reminders",
            _("Failed reminders"),
            failed_reminders_for(user=user),
            _("Every reminder went out."),
            _url("notifications:reminder_failed_list"),
        ),
    ]


def week_of(today: dt.date) -> tuple[dt.date, dt.date]:
    """Monday to Sunday of the week `today` falls in."""
    monday = today - dt.timedelta(days=today.weekday())
    return monday, monday + dt.timedelta(days=6)


def youth_worker_queue(user: User, *, now: dt.datetime) -> list[Section]:
    """A youth worker's caseload alerts, and this week's intakes and programme sessions of
    their young people."""
    today = timezone.localdate(now)
    monday, sunday = week_of(today)
    start = timezone.make_aware(dt.datetime.combine(monday, dt.time.min))
    return [
        _section(
            "caseload",
            _("Caseload alerts"),
            caseload_rows(user, today=today),
            _("Nobody in your caseload needs attention."),
            _url("dashboard:caseload"),
            keys=caseload_by_attention(user, today=today)
            .filter(attention__lt=ATTENTION_NONE)
            .values_list("pk", flat=True),
        ),
        _section(
            "week_intakes",
            _("Intakes this week"),
            intakes_scheduled_between(user, start=start, end=start + dt.timedelta(days=7)),
            _("No intakes planned this week."),
            _url("intake:intake_list", when="upcoming"),
        ),
        _section(
            "week_sessions",
            _("Programme sessions this week"),
            sessions_of_caseload_between(user, start=monday, end=sunday),
            _("None of your young people has a programme session this week."),
        ),
    ]


def employer_contact_queue(user: User, *, now: dt.datetime) -> list[Section]:
    """An employer contact's open questions, the candidates shared with them and the check-ins
    due of the pairs they are the buddy in."""
    today = timezone.localdate(now)
    # Only the opening and the date are shown here, never the candidate: no profile to load.
    shares = shares_for_employer(employer_of_contact(user)).filter(READABLE).prefetch_related(None)
    return [
        _section(
            "questions",
            _("Candidates awaiting your answer"),
            shares.filter(answer=Share.Answer.PENDING).order_by("shared_at", "pk"),
            _("No candidate is waiting for your answer."),
            _url("candidates:candidate_list"),
        ),
        _section(
            "candidates",
            _("Candidates shared with you"),
            shares,
            _("No candidates have been shared with you yet."),
            _url("candidates:candidate_list"),
        ),
        _section(
            "checkins",
            _("Buddy check-ins due"),
            pairs_checkin_due(user, today=today),
            _("No check-in is due."),
            _url("buddy:mentor_home"),
        ),
    ]


def start_page_sections(user: User, *, now: dt.datetime) -> list[Section]:
    if has_role(user, Role.ADMIN, Role.COORDINATOR):
        return coordinator_queue(user, now=now)
    if has_role(user, Role.YOUTH_WORKER):
        return youth_worker_queue(user, now=now)
    if has_role(user, Role.EMPLOYER_CONTACT):
        return employer_contact_queue(user, now=now)
    return []
