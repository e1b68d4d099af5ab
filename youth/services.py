"""Writes for young people: registration, consent, caseload, journey, contacts, barriers, merging."""

import datetime as dt
import logging
import re
from urllib.parse import quote, quote_plus

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from restart_platform.accounts.access import offered, registration_cities_for, youth_workers_for
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import AccessEvent, User
from restart_platform.events import publish
from restart_platform.notifications.services import (
    cancel_reminders,
    morning_of,
    plan_reminder,
    retarget_reminders,
)
from restart_platform.privacy import (
    ERASED,
    erase_sections,
    identifying_words,
    scrub_change_history_mentioning,
)
from restart_platform.stale_edits import refuse_if_changed

from .events import ConsentWithdrawn, YouthErased, YouthMerged
from .models import (
    TARGET_GROUP_MESSAGE,
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

logger = logging.getLogger(__name__)


class RecordChangedError(Exception):
    """Someone saved this record after it was opened; saving now would overwrite their change."""


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _refuse_if_erased(youth: YoungPerson) -> None:
    """An anonymised record stays as it is: nothing is added to it or changed on it."""
    if youth.erased_at is not None:
        raise ValidationError(_("This young person was anonymised; the record cannot change."))


def _check_target_group(youth: YoungPerson) -> None:
    """Outside the target group only with a reason; the reason is kept only for an exception."""
    youth.target_group_reason = youth.target_group_reason.strip()
    if not youth.outside_target_group:
        youth.target_group_reason = ""
    elif not youth.target_group_reason:
        raise ValidationError({"target_group_reason": TARGET_GROUP_MESSAGE})


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
    _check_target_group(youth)
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
    _check_target_group(current)
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
def youth_move_caseload(
    *, youth: YoungPerson, to_worker: User, by: User, shown: str | None = None
) -> YoungPerson:
    """Hand a young person to another youth worker. Open reminders follow: they are addressed
    to the role and resolved when they are sent."""
    _refuse_if_erased(youth)
    youth = YoungPerson.objects.select_for_update().get(pk=youth.pk)
    if to_worker.role != User.Role.YOUTH_WORKER:
        raise ValidationError(_("Only a youth worker keeps a caseload."))
    if to_worker.pk == youth.youth_worker_id:
        return youth
    refuse_if_changed(youth, ["youth_worker"], shown)
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
    *, youth: YoungPerson, to_status: str, by: User, reason: str = "", shown: str | None = None
) -> YoungPerson:
    _refuse_if_erased(youth)
    youth = YoungPerson.objects.select_for_update().get(pk=youth.pk)
    if to_status not in YoungPerson.Journey.values:
        raise ValidationError(_("Unknown journey status."))
    if to_status == youth.journey:
        return youth
    refuse_if_changed(youth, ["journey"], shown)
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
def youth_set_programme_phase(*, youth: YoungPerson, phase: int | None) -> YoungPerson:
    """The phase of the pre-employment programme the young person is in now (None: not in it).

    The programme's services call this; matching's readiness reads it (docs/events.md explains
    why the value lives on the young person)."""
    if phase not in (None, 1, 2, 3):
        raise ValidationError(_("A programme has three phases."))
    youth.programme_phase = phase
    youth.version += 1
    youth.save(update_fields=["programme_phase", "version", "updated_at"])
    return youth


@transaction.atomic
def consent_give(*, youth: YoungPerson, purpose: str, given_on: dt.date, by: User) -> Consent:
    _refuse_if_erased(youth)
    if given_on > timezone.localdate():
        raise ValidationError({"given_on": _("Consent cannot be given on a future date.")})
    if Consent.objects.filter(youth=youth, purpose=purpose, withdrawn_on__isnull=True).exists():
        raise ValidationError(_("This consent is already recorded."))
    consent = _saved(Consent(youth=youth, purpose=purpose, given_on=given_on, recorded_by=by))
    record_change(actor=by, target=youth, action="youth.consent_given", note=purpose)
    return consent


@transaction.atomic
def consent_withdraw(
    *, consent: Consent, by: User, on: dt.date | None = None, note: str = ""
) -> Consent:
    """Withdraw a consent; whatever relied on it (a shared profile) stops at once, in this
    transaction, through the apps that subscribe to ConsentWithdrawn."""
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.withdrawn_on:
        return consent
    consent.withdrawn_on, consent.withdrawn_by = on or timezone.localdate(), by
    _saved(consent)
    publish(ConsentWithdrawn(consent=consent, by=by))
    record_change(
        actor=by,
        target=consent.youth,
        action="youth.consent_withdrawn",
        note=f"{consent.purpose} {note}".strip(),
    )
    return consent


@transaction.atomic
def contact_log(
    *, youth: YoungPerson, by: User, kind: str, date: dt.date, summary: str
) -> ContactMoment:
    """Log a contact; the reminder for 30 days without contact moves to 30 days after the latest one."""
    _refuse_if_erased(youth)
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
def youth_skill_confirm(*, youth: YoungPerson, skill, by: User, on: dt.date) -> YouthSkill:
    """Someone who saw the young person at work confirms a skill (a coach of the pre-employment
    programme rating it 3 of 5 or more): the skill is recorded, or its date brought up to now."""
    row, created = YouthSkill.objects.get_or_create(
        youth=youth, skill=skill, defaults={"assessed_by": by, "assessed_on": on}
    )
    if not created and row.assessed_on < on:
        row.assessed_by, row.assessed_on = by, on
        row.save(update_fields=["assessed_by", "assessed_on"])
    return row


@transaction.atomic
def barrier_save(*, barrier: Barrier, by: User) -> Barrier:
    _refuse_if_erased(barrier.youth)
    if barrier.is_resolved and not barrier.resolved_on:
        barrier.resolved_on = timezone.localdate()
    if not barrier.is_resolved:
        barrier.resolved_on = None
    if not barrier.pk:
        barrier.recorded_by = by
    return _saved(barrier)


@transaction.atomic
def network_factor_save(*, factor: NetworkFactor, by: User) -> NetworkFactor:
    _refuse_if_erased(factor.youth)
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
    """Fold a duplicate record into the one to keep; the duplicate stays, marked as merged.

    Every row of the duplicate moves to the record kept, one by one so that the change history
    records each move: this app's rows here, the other apps' through their subscribers to
    YouthMerged. A consent that both records hold is withdrawn on the duplicate through the
    consent service, after everything moved, so its reactions run and find nothing left to stop.
    Open reminders about the duplicate follow the record kept.
    """
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records."))
    keep, duplicate = (
        YoungPerson.objects.select_for_update().get(pk=pk) for pk in (keep.pk, duplicate.pk)
    )
    if duplicate.merged_into_id or keep.merged_into_id:
        raise ValidationError(_("One of these records was merged already."))
    for model in (Barrier, NetworkFactor, ContactMoment, JourneyChange, CaseloadChange):
        _move_rows(model.objects.filter(youth=duplicate), to=keep)
    known_skills = set(keep.skill_assessments.values_list("skill_id", flat=True))
    _move_rows(duplicate.skill_assessments.exclude(skill_id__in=known_skills), to=keep)
    keep.interests.add(*duplicate.interests.all())
    publish(YouthMerged(keep=keep, duplicate=duplicate, by=by))
    _merge_consents(keep=keep, duplicate=duplicate, by=by)
    cancel_reminders(about=duplicate, kind=NO_CONTACT_KIND)
    retarget_reminders(about=duplicate, to=keep)
    latest = keep.contacts.order_by("-date").values_list("date", flat=True).first()
    _plan_no_contact_reminder(
        keep, last_contact=max(latest or keep.registered_on, keep.registered_on)
    )
    duplicate.merged_into, duplicate.version = keep, duplicate.version + 1
    duplicate.save(update_fields=["merged_into", "version", "updated_at"])
    keep.version += 1
    keep.save(update_fields=["version", "updated_at"])
    record_change(actor=by, target=keep, action="youth.merged", note=duplicate.case_reference)
    return keep


def _move_rows(rows, *, to: YoungPerson) -> None:
    # Saved one by one, not with update(): the change history records every row that moved.
    for row in rows:
        row.youth = to
        row.save(update_fields=["youth"])


def _merge_consents(*, keep: YoungPerson, duplicate: YoungPerson, by: User) -> None:
    active_on_keep = set(
        keep.consents.filter(withdrawn_on__isnull=True).values_list("purpose", flat=True)
    )
    for consent in duplicate.consents.filter(withdrawn_on__isnull=True, purpose__in=active_on_keep):
        consent_withdraw(consent=consent, by=by, note="held twice: records merged")
    _move_rows(Consent.objects.filter(youth=duplicate), to=keep)


@transaction.atomic
def youth_erase(*, youth: YoungPerson, by: User | None, reason: str) -> YoungPerson:
    """Anonymise a young person in place (AVG erasure, or the retention period ran out).

    The record and every row about them stay, so the figures keep counting, but nothing that
    identifies them remains: each app overwrites its own rows (restart_platform/privacy.py) —
    this app here, the others through their subscribers to YouthErased — together with the
    change history of those rows; reminders about them are cancelled; the access log keeps its
    entries but a path that named them (a search) loses its query. The erasure itself is
    recorded, without the name. `by` is None when the retention task erases.
    """
    current = YoungPerson.objects.select_for_update().get(pk=youth.pk)
    if current.erased_at is not None:
        raise ValidationError(_("This young person was anonymised already."))
    if not reason.strip():
        raise ValidationError(_("Say why this young person is anonymised."))
    words = identifying_words(
        current.first_name,
        current.last_name,
        current.preferred_name,
        f"{current.first_name} {current.last_name}",
        current.email,
        current.phone,
        current.address,
    )
    publish(YouthErased(youth=current, by=by, identifiers=tuple(words)))
    erase_sections("youth", current)
    scrub_change_history_mentioning(words)
    _erase_access_log_paths(words)
    now = timezone.now()
    YoungPerson.objects.filter(pk=current.pk).update(
        erased_at=now, version=current.version + 1, updated_at=now
    )
    current.refresh_from_db()
    # A duplicate merged into this record still holds the name: it goes the same way.
    for duplicate in YoungPerson.objects.filter(merged_into=current, erased_at__isnull=True):
        youth_erase(youth=duplicate, by=by, reason=reason)
    record_change(
        actor=by,
        target=current,
        action="youth.erased",
        note=_without(reason.strip(), words)[:500],
    )
    return current


def _without(text: str, words: list[str]) -> str:
    for word in words:
        text = re.sub(re.escape(word), ERASED, text, flags=re.IGNORECASE)
    return text


def _erase_access_log_paths(words: list[str]) -> int:
    """A search for their name, e-mail or phone is in the access log as its full path."""
    if not words:
        return 0
    query = Q()
    for word in words:
        for form in {word, quote(word), quote_plus(word), quote(word, safe="")}:
            query |= Q(path__icontains=form)
    return AccessEvent.objects.filter(query).erase_paths(suffix=ERASED)


RETENTION_KIND = "youth.retention_applied"


def retention_due(*, today: dt.date) -> QuerySet[YoungPerson]:
    """Young people who left more than RETENTION_MONTHS months ago and are not anonymised yet.

    "Left" is the journey status Left, since `journey_changed_at` (the day they left, in the
    platform's time zone). Someone who left on exactly today minus RETENTION_MONTHS months is
    kept today and anonymised tomorrow. A merged duplicate follows the journey of its own row
    and is anonymised with the record kept.
    """
    limit = today - relativedelta(months=settings.RETENTION_MONTHS)
    return YoungPerson.objects.filter(
        journey=YoungPerson.Journey.LEFT,
        erased_at__isnull=True,
        journey_changed_at__date__lt=limit,
    ).order_by("pk")


def youth_apply_retention(*, today: dt.date | None = None, dry_run: bool = False) -> list[str]:
    """Anonymise every young person past the retention period, each in its own transaction;
    return their case references. Tells the admins (in the app and by e-mail) when it did."""
    today = today or timezone.localdate()
    references = []
    for youth in retention_due(today=today):
        if not dry_run:
            try:
                youth_erase(
                    youth=youth,
                    by=None,
                    reason=f"retention: left more than {settings.RETENTION_MONTHS} months ago",
                )
            except Exception:  # one record that fails must not keep the others
                logger.exception("Retention could not anonymise %s", youth.case_reference)
                continue
        references.append(youth.case_reference)
    logger.info(
        "Retention (%s months)%s: %d young people anonymised: %s",
        settings.RETENTION_MONTHS,
        " [dry run]" if dry_run else "",
        len(references),
        ", ".join(references) or "none",
    )
    if references and not dry_run:
        with transaction.atomic():
            for admin in User.objects.filter(role=User.Role.ADMIN, is_active=True):
                plan_reminder(
                    key=f"{RETENTION_KIND}:{today.isoformat()}:{admin.pk}",
                    kind=RETENTION_KIND,
                    due_at=timezone.now(),
                    recipient=admin,
                )
    return references
