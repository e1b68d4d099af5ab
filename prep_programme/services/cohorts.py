"""Cohorts with their coaches, and the employers involved: the coordinator's pages."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from employers.models import Employer
from employers.selectors import employers_visible_to
from restart_platform.accounts.access import cities_for, coordinators_for, youth_workers_for
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import City, User

from ..models import (
    Cohort,
    EmployerInvolvement,
    Programme,
)
from .common import (
    _saved,
)


def coaches_for(user: User):
    """Who may coach a cohort: the coordinators and youth workers of the user's cities."""
    ids = list(coordinators_for(user).values_list("pk", flat=True)) + list(
        youth_workers_for(user).values_list("pk", flat=True)
    )
    return User.objects.filter(pk__in=ids).order_by("first_name", "last_name", "pk")


@transaction.atomic
def cohort_save(
    *,
    by: User,
    programme: Programme,
    city: City,
    name: str,
    starts_on: dt.date,
    ends_on: dt.date,
    coaches: list[User],
    cohort: Cohort | None = None,
) -> Cohort:
    """Create a cohort, or change one: its city is one of the coordinator's, its dates hold
    every session and enrolment already recorded, its coaches are people of the user's cities."""
    if not cities_for(by).filter(pk=city.pk).exists():
        raise ValidationError({"city": _("Choose one of your own cities.")})
    if not programme.is_active and (cohort is None or cohort.programme_id != programme.pk):
        raise ValidationError({"programme": _("This programme is no longer offered.")})
    if ends_on <= starts_on:
        raise ValidationError({"ends_on": _("The cohort ends after it starts.")})
    allowed = set(coaches_for(by).values_list("pk", flat=True))
    if any(coach.pk not in allowed for coach in coaches):
        raise ValidationError({"coaches": _("Choose coaches from your own cities.")})
    if cohort is not None:
        cohort = Cohort.objects.select_for_update().get(pk=cohort.pk)
        outside = cohort.sessions.exclude(date__gte=starts_on, date__lte=ends_on)
        if outside.exists():
            raise ValidationError(
                {"starts_on": _("Sessions were recorded outside these dates: move them first.")}
            )
        if cohort.participants.exists() and city.pk != cohort.city_id:
            raise ValidationError(
                {"city": _("The cohort has participants: its city can no longer change.")}
            )
    cohort = cohort or Cohort()
    cohort.programme, cohort.city, cohort.name = programme, city, name.strip()
    cohort.starts_on, cohort.ends_on = starts_on, ends_on
    created = cohort.pk is None
    _saved(cohort)
    cohort.coaches.set(coaches)
    record_change(
        actor=by,
        target=cohort,
        action="prep.cohort_created" if created else "prep.cohort_changed",
        note=", ".join(str(coach.pk) for coach in coaches),
    )
    return cohort


@transaction.atomic
def involvement_add(
    *, cohort: Cohort, employer: Employer, kind: str, by: User, note: str = "", on: dt.date
) -> EmployerInvolvement:
    """Record how an employer took part in a cohort (once per kind)."""
    if not employers_visible_to(by).filter(pk=employer.pk, city__in=cities_for(by)).exists():
        raise ValidationError({"employer": _("Choose an employer of your own cities.")})
    if cohort.involvements.filter(employer=employer, kind=kind).exists():
        raise ValidationError(
            {"kind": _("This employer's part in the cohort is recorded already.")}
        )
    involvement = _saved(
        EmployerInvolvement(
            cohort=cohort, employer=employer, kind=kind, note=note.strip(), noted_on=on
        )
    )
    record_change(
        actor=by, target=cohort, action="prep.involvement_added", note=f"{employer.pk} {kind}"
    )
    return involvement


@transaction.atomic
def involvement_remove(*, involvement: EmployerInvolvement, by: User) -> None:
    record_change(
        actor=by,
        target=involvement.cohort,
        action="prep.involvement_removed",
        note=f"{involvement.employer_id} {involvement.kind}",
    )
    involvement.delete()
