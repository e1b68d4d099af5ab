"""Reads that span the apps: the dashboard sits above them all, so it may ask each of them."""

import datetime as dt

from django.db.models import BooleanField, Case, F, IntegerField, QuerySet, Value, When
from django.utils import timezone

from intake.selectors import annotate_awaiting_outcome
from restart_platform.accounts.models import User
from youth.models import YoungPerson
from youth.selectors import caseload_for, no_recent_contact_q


def caseload_by_attention(
    user: User, *, today: dt.date, youth_worker: User | None = None
) -> QuerySet[YoungPerson]:
    """A caseload with those who need attention first: no contact for 30 days, then an intake
    without an outcome, then registration consent missing, then the rest.

    Ordered in the database, so the pages of the caseload follow one order.
    """
    youth = caseload_for(user)
    if youth_worker is not None:
        youth = youth.filter(youth_worker=youth_worker)
    youth = annotate_awaiting_outcome(youth, now=timezone.now())
    no_contact = no_recent_contact_q(today)
    awaiting = {"intakes_awaiting_outcome__gt": 0}
    return youth.annotate(
        needs_contact=Case(
            When(no_contact, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        awaits_outcome=Case(
            When(**awaiting, then=Value(True)), default=Value(False), output_field=BooleanField()
        ),
        attention=Case(
            When(no_contact, then=Value(0)),
            When(**awaiting, then=Value(1)),
            When(has_registration_consent=False, then=Value(2)),
            default=Value(3),
            output_field=IntegerField(),
        ),
    ).order_by(
        "attention", F("last_contact_on").asc(nulls_first=True), "first_name", "last_name", "pk"
    )
