"""Writes for young people: registration, consent, caseload, journey, contacts, barriers, merging."""

import datetime as dt
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from restart_platform.accounts.access import offered, registration_cities_for, youth_workers_for
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import User
from restart_platform.notifications.services import cancel_reminders, morning_of, plan_reminder

from .models import (
    Barrier,
    CaseloadChange,
    Consent,
    ContactMoment,
    JourneyChange,
    NetworkFactor,
    YoungPerson,
    YouthSkill,
    validate_age_on_registration,
)
from .selectors import NO_CONTACT_DAYS

NO_CONTACT_KIND = "youth.no_contact"


class RecordChangedError(Exception):
    """Someone saved this record after it was opened; saving now would overwrite their change."""


# Apps built on this one register what must happen elsewhere: the matching app stops sharing a
# profile the moment its consent is withdrawn; the intake app moves meetings when records merge.
_consent_withdrawn_hooks: list[Callable[[Consent], None]] = []
_merge_hooks: list[Callable[[YoungPerson, YoungPerson], None]] = []


def register_consent_withdrawn_hook(hook: Callable[[Consent], None]) -> None:
    _consent_withdrawn_hooks.append(hook)


def register_merge_hook(hook: Callable[[YoungPerson, YoungPerson], None]) -> None:
    _merge_hooks.append(hook)


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _check_choices(*, by: User, city=None, youth_worker=None) -> None:
    """The city and youth worker must be ones the form offers this user (accounts.access); a
    value posted by hand is refused here as well."""
    if not offered(registration_cities_for(by), city):
        raise ValidationError({"city": _("Choose one of your own cities.")})
    if not offered(youth_workers_for(by), youth_worker):
        raise ValidationError({"youth_worker": _("Choose a youth worker of your own city.")})


@transaction.atomic
def youth_register(*, by: User, interests=(), skills=(), **fields) -> YoungPerson:
    """Register a young person in a youth worker's caseload; the 30-day contact watch starts."""
    _check_choices(by=by, city=fields.get("city"), youth_worker=fields.get("youth_worker"))
    youth = YoungPerson(**fields)
    if errors := validate_age_on_registration(youth.date_of_birth, youth.registered_on):
        raise ValidationError({"date_of_birth": errors})
    _saved(youth)
    youth.interests.set(interests)
    skills_assess(youth=youth, skills=skills, by=by)
    JourneyChange.objects.create(
        youth=youth, from_status="", to_status=youth.journey, changed_by=by
    )
    CaseloadChange.objects.create(youth=youth, youth_worker=youth.youth_worker, changed_by=by)
    _plan_no_contact_reminder(youth, last_contact=youth.registered_on)
    return youth


@transaction.atomic
def youth_update(
    *, youth: YoungPerson, version: int, by: User, interests=None, skills=None, **fields
) -> YoungPerson:
    """Save a changed profile, unless someone else saved it since it was opened (version)."""
    current = YoungPerson.objects.select_for_update().get(pk=youth.pk)
    if current.version != version:
        raise RecordChangedError
    previous_worker_id = current.youth_worker_id
    for protected in ("journey", "left_reason", "merged_into", "version", "registered_on"):
        fields.pop(protected, None)
    city, worker = (
        fields.get("city", current.city),
        fields.get("youth_worker", current.youth_worker),
    )
    _check_choices(
        by=by,
        city=city if city != current.city else None,
        youth_worker=worker if worker != current.youth_worker else None,
    )
    for name, value in fields.items():
        setattr(current, name, value)
    current.version += 1
    _saved(current)
    if interests is not None:
        current.interests.set(interests)
    if skills is not None:
        skills_assess(youth=current, skills=skills, by=by)
    if current.youth_worker_id != previous_worker_id:
        CaseloadChange.objects.create(
            youth=current, youth_worker=current.youth_worker, changed_by=by
        )
    return current


@transaction.atomic
def youth_move_caseload(*, youth: YoungPerson, to_worker: User, by: User) -> YoungPerson:
    """Hand a young person to another youth worker. Open reminders follow: they are addressed
    to the role and resolved when they are sent."""
    youth = YoungPerson.objects.select_for_update().get(pk=youth.pk)
    if to_worker.role != User.Role.YOUTH_WORKER:
        raise ValidationError(_("Only a youth worker keeps a caseload."))
    if to_worker.pk == youth.youth_worker_id:
        return youth
    if not (
        offered(youth_workers_for(by), to_worker)
        and to_worker.organisation
        and to_worker.organisation.city_id == youth.city_id
    ):
        raise ValidationError(_("Choose a youth worker who works in this city."))
    youth.youth_worker, youth.version = to_worker, youth.version + 1
    youth.save(update_fields=["youth_worker", "version", "updated_at"])
    CaseloadChange.objects.create(youth=youth, youth_worker=to_worker, changed_by=by)
    record_change(actor=by, target=youth, action="youth.caseload_moved", note=to_worker.username)
    return youth


@transaction.atomic
def youth_change_journey(
    *, youth: YoungPerson, to_status: str, by: User, reason: str = ""
) -> YoungPerson:
    youth = YoungPerson.objects.select_for_update().get(pk=youth.pk)
    if to_status not in YoungPerson.Journey.values:
        raise ValidationError(_("Unknown journey status."))
    if to_status == youth.journey:
        return youth
    if to_status == YoungPerson.Journey.LEFT and not reason.strip():
        raise ValidationError({"reason": _("Say why the young person left.")})
    JourneyChange.objects.create(
        youth=youth,
        from_status=youth.journey,
        to_status=to_status,
        reason=reason.strip(),
        changed_by=by,
    )
    youth.journey, youth.journey_changed_at = to_status, timezone.now()
    youth.left_reason = reason.strip() if to_status == YoungPerson.Journey.LEFT else ""
    youth.version += 1
    youth.save(
        update_fields=["journey", "journey_changed_at", "left_reason", "version", "updated_at"]
    )
    if to_status == YoungPerson.Journey.LEFT:
        cancel_reminders(about=youth)
    return youth


@transaction.atomic
def consent_give(*, youth: YoungPerson, purpose: str, given_on: dt.date, by: User) -> Consent:
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Consent cannot be given on a future date.")})
    if Consent.objects.filter(youth=youth, purpose=purpose, withdrawn_on__isnull=True).exists():
        raise ValidationError(_("This consent is already recorded."))
    consent = Consent.objects.create(
        youth=youth, purpose=purpose, given_on=given_on, recorded_by=by
    )
    record_change(actor=by, target=youth, action="youth.consent_given", note=purpose)
    return consent


@transaction.atomic
def consent_withdraw(*, consent: Consent, by: User, on: dt.date | None = None) -> Consent:
    """Withdraw a consent; whatever relied on it (a shared profile) stops at once, in this transaction."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on:
        return consent
    consent.withdrawn_on, consent.withdrawn_by = on or timezone.localdate(), by
    _saved(consent)
    for hook in _consent_withdrawn_hooks:
        hook(consent)
    record_change(
        actor=by, target=consent.youth, action="youth.consent_withdrawn", note=consent.purpose
    )
    return consent


@transaction.atomic
def contact_log(
    *, youth: YoungPerson, by: User, kind: str, date: dt.date, summary: str
) -> ContactMoment:
    """Log a contact; the reminder for 30 days without contact moves to 30 days after the latest one."""
    if date > timezone.localdate():
        raise ValidationError(
            {"date": _("A contact is logged after it happened; the date cannot be in the future.")}
        )
    contact = _saved(ContactMoment(youth=youth, author=by, kind=kind, date=date, summary=summary))
    latest = youth.contacts.order_by("-date").values_list("date", flat=True).first()
    _plan_no_contact_reminder(youth, last_contact=max(latest, youth.registered_on))
    return contact


def _plan_no_contact_reminder(youth: YoungPerson, *, last_contact: dt.date) -> None:
    plan_reminder(
        key=f"{NO_CONTACT_KIND}:{youth.pk}",
        kind=NO_CONTACT_KIND,
        due_at=morning_of(last_contact + dt.timedelta(days=NO_CONTACT_DAYS)),
        target=youth,
        recipient_role="youth_worker",
        city=youth.city,
    )


@transaction.atomic
def skills_assess(*, youth: YoungPerson, skills, by: User) -> None:
    """The young person's skills are these; new ones are recorded as assessed by `by` today."""
    wanted = {skill.pk for skill in skills}
    youth.skill_assessments.exclude(skill_id__in=wanted).delete()
    known = set(youth.skill_assessments.values_list("skill_id", flat=True))
    YouthSkill.objects.bulk_create(
        YouthSkill(youth=youth, skill_id=pk, assessed_by=by) for pk in wanted - known
    )


@transaction.atomic
def barrier_save(*, barrier: Barrier, by: User) -> Barrier:
    if barrier.is_resolved and not barrier.resolved_on:
        barrier.resolved_on = timezone.localdate()
    if not barrier.is_resolved:
        barrier.resolved_on = None
    if not barrier.pk:
        barrier.recorded_by = by
    return _saved(barrier)


@transaction.atomic
def network_factor_save(*, factor: NetworkFactor, by: User) -> NetworkFactor:
    if not factor.pk:
        factor.recorded_by = by
    return _saved(factor)


@transaction.atomic
def network_factor_delete(*, factor: NetworkFactor, by: User) -> None:
    record_change(
        actor=by, target=factor.youth, action="youth.network_factor_deleted", note=factor.effect
    )
    factor.delete()


@transaction.atomic
def youth_merge(*, keep: YoungPerson, duplicate: YoungPerson, by: User) -> YoungPerson:
    """Fold a duplicate record into the one to keep; the duplicate stays, marked as merged."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records."))
    keep, duplicate = (
        YoungPerson.objects.select_for_update().get(pk=pk) for pk in (keep.pk, duplicate.pk)
    )
    if duplicate.merged_into_id or keep.merged_into_id:
        raise ValidationError(_("One of these records was merged already."))
    for model in (Barrier, NetworkFactor, ContactMoment, JourneyChange, CaseloadChange):
        model.objects.filter(youth=duplicate).update(youth=keep)
    active_purposes = set(
        keep.consents.filter(withdrawn_on__isnull=True).values_list("purpose", flat=True)
    )
    duplicate.consents.filter(withdrawn_on__isnull=True, purpose__in=active_purposes).update(
        withdrawn_on=timezone.localdate(), withdrawn_by=by
    )
    Consent.objects.filter(youth=duplicate).update(youth=keep)
    known_skills = set(keep.skill_assessments.values_list("skill_id", flat=True))
    duplicate.skill_assessments.exclude(skill_id__in=known_skills).update(youth=keep)
    keep.interests.add(*duplicate.interests.all())
    for hook in _merge_hooks:
        hook(keep, duplicate)
    cancel_reminders(about=duplicate)
    duplicate.merged_into, duplicate.version = keep, duplicate.version + 1
    duplicate.save(update_fields=["merged_into", "version", "updated_at"])
    record_change(actor=by, target=keep, action="youth.merged", note=duplicate.case_reference)
    return keep
