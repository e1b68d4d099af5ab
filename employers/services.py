"""Writes for the employers app: recruitment, the pipeline, contacts, demand, openings, partners."""

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from restart_platform.accounts.access import cities_for, coordinators_for, offered
from restart_platform.accounts.audit import record_change
from restart_platform.accounts.models import User
from restart_platform.accounts.tokens import invitation_tokens
from restart_platform.notifications.services import cancel_reminders, morning_of, plan_reminder
from restart_platform.stale_edits import refuse_if_changed

from .models import (
    Agreement,
    Contact,
    DemandProfile,
    Employer,
    Interaction,
    NetworkPartner,
    Opening,
    OwnerChange,
    StageChange,
)
from .selectors import stale_employers

NEXT_ACTION_KIND = "employers.next_action"
STALE_DIGEST_KIND = "employers.stale_digest"


def _saved(instance):
    instance.full_clean()
    instance.save()
    return instance


def _check_choices(*, by: User, city=None, owner=None) -> None:
    """The city and owner must be ones the form offers this user (accounts.access); a value
    posted by hand is refused here as well."""
    if not offered(cities_for(by), city):
        raise ValidationError({"city": _("Choose one of your own cities.")})
    if not offered(coordinators_for(by), owner):
        raise ValidationError({"owner": _("Choose a coordinator of your own cities as owner.")})


@transaction.atomic
def employer_create(*, by: User, m2m: dict | None = None, **fields) -> Employer:
    """Register an employer as a lead (or the stage given), with its owner and next action."""
    _check_choices(by=by, city=fields.get("city"), owner=fields.get("owner"))
    employer = _saved(Employer(**fields))
    StageChange.objects.create(
        employer=employer, from_stage="", to_stage=employer.stage, changed_by=by
    )
    OwnerChange.objects.create(employer=employer, owner=employer.owner, changed_by=by)
    _plan_next_action(employer)
    return employer


@transaction.atomic
def employer_update(*, employer: Employer, by: User, **fields) -> Employer:
    """Save changed details; a new owner gets a dated history row and the open reminders."""
    # Only the given fields change, on a fresh locked copy: a stale caller undoes nothing.
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    previous_owner_id = employer.owner_id
    previous_action = (employer.next_action, employer.next_action_due)
    fields.pop("stage", None)  # the stage moves only through employer_move_stage
    _check_choices(
        by=by,
        city=fields["city"] if fields.get("city", employer.city) != employer.city else None,
        owner=fields["owner"] if fields.get("owner", employer.owner) != employer.owner else None,
    )
    for name, value in fields.items():
        setattr(employer, name, value)
    _saved(employer)
    if employer.owner_id != previous_owner_id:
        OwnerChange.objects.create(employer=employer, owner=employer.owner, changed_by=by)
    if (employer.next_action, employer.next_action_due) != previous_action:
        _plan_next_action(employer)
    return employer


@transaction.atomic
def employer_record_placement(*, employer: Employer, on: dt.date) -> None:
    """A young person was taken on here (placements live in the matching app, which calls this):
    the employer may now be moved to active. Only the first, earliest date is kept."""
    Employer.objects.filter(pk=employer.pk).filter(
        Q(first_placement_on__isnull=True) | Q(first_placement_on__gt=on)
    ).update(first_placement_on=on)
    employer.refresh_from_db(fields=["first_placement_on"])


@transaction.atomic
def employer_move_stage(
    *, employer: Employer, to_stage: str, by: User, reason: str = "", shown: str | None = None
) -> Employer:
    """Move an employer along the recruitment pipeline, recording the date and the author.
    `shown` is the page's fingerprint of the stage: a move from a stage someone else has left
    meanwhile is refused."""
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    if to_stage not in Employer.Stage.values:
        raise ValidationError(_("Unknown stage."))
    if to_stage == employer.stage:
        return employer
    refuse_if_changed(employer, ["stage"], shown)
    if to_stage == Employer.Stage.ACTIVE and employer.first_placement_on is None:
        raise ValidationError(_("An employer becomes active once a young person is placed there."))
    if to_stage == Employer.Stage.DECLINED and not reason.strip():
        raise ValidationError(_("Say why the employer declined."))
    from_stage = employer.stage
    StageChange.objects.create(
        employer=employer,
        from_stage=from_stage,
        to_stage=to_stage,
        reason=reason.strip(),
        changed_by=by,
    )
    employer.stage, employer.stage_changed_at = to_stage, timezone.now()
    employer.declined_reason = reason.strip() if to_stage == Employer.Stage.DECLINED else ""
    _saved(employer)
    record_change(
        actor=by,
        target=employer,
        action="employers.stage_moved",
        note=f"{from_stage} -> {to_stage}",
    )
    return employer


@transaction.atomic
def employer_set_next_action(
    *, employer: Employer, action: str, due: dt.date | None, by: User, shown: str | None = None
) -> Employer:
    # Fresh from the database: the caller's copy may predate a stage move it must not undo.
    employer = Employer.objects.select_for_update().get(pk=employer.pk)
    refuse_if_changed(employer, ["next_action", "next_action_due"], shown)
    employer.next_action, employer.next_action_due = action.strip(), due
    employer.full_clean()
    employer.save(update_fields=["next_action", "next_action_due", "updated_at"])
    _plan_next_action(employer)
    record_change(actor=by, target=employer, action="employers.next_action_set", note=action)
    return employer


def _plan_next_action(employer: Employer) -> None:
    """One next-action reminder per employer: a moved due date replaces the old one."""
    key = f"{NEXT_ACTION_KIND}:{employer.pk}"
    if not employer.next_action_due:
        cancel_reminders(keys=[key])
        return
    plan_reminder(
        key=key,
        kind=NEXT_ACTION_KIND,
        due_at=morning_of(employer.next_action_due),
        target=employer,
        recipient_role="owner",
        city=employer.city,
    )


@transaction.atomic
def interaction_log(
    *, employer: Employer, by: User, kind: str, date: dt.date, summary: str
) -> Interaction:
    return _saved(Interaction(employer=employer, author=by, kind=kind, date=date, summary=summary))


@transaction.atomic
def contact_save(*, contact: Contact, by: User, invite: bool = False) -> Contact:
    """Save a contact person; with `invite`, give them the employer portal (see contact_invite)."""
    _saved(contact)
    if invite:
        contact_invite(contact=contact, by=by)
    return contact


@transaction.atomic
def contact_invite(*, contact: Contact, by: User) -> User:
    """Make the contact's own portal account, bound to their employer, and e-mail them a
    one-time link to choose a password; a contact whose account was never used gets a new link.

    No existing account is ever linked here: an account already using the address could be
    anyone's, and the refusal reads the same whoever holds it.
    """
    contact = (
        Contact.objects.select_for_update(of=("self",)).select_related("user").get(pk=contact.pk)
    )
    user = contact.user
    if user is not None and user.has_usable_password():
        raise ValidationError(_("%(name)s already uses the portal.") % {"name": contact.name})
    if user is None:
        user = _new_portal_account(contact)
        contact.user = user
        contact.save(update_fields=["user"])
    record_change(
        actor=by, target=contact.employer, action="employers.contact_invited", note=contact.name
    )
    transaction.on_commit(lambda: _send_invitation(user))
    return user


def _new_portal_account(contact: Contact) -> User:
    email = contact.email.strip().lower()
    if not email:
        raise ValidationError({"email": _("An invitation to the portal needs an e-mail address.")})
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError(
            {
                "email": _(
                    "This e-mail address cannot get a new portal account. Ask an administrator."
                )
            }
        )
    user = User(
        username=email, email=email, first_name=contact.name, role=User.Role.EMPLOYER_CONTACT
    )
    user.set_unusable_password()  # until the contact chooses one through the link
    return _saved(user)


def _send_invitation(user: User) -> None:
    link = settings.SITE_URL.rstrip("/") + reverse(
        "portal:portal_invitation",
        args=[urlsafe_base64_encode(force_bytes(user.pk)), invitation_tokens.make_token(user)],
    )
    with translation.override(user.language):
        context = {"first_name": user.first_name, "link": link}
        send_mail(
            subject=_("[re-START] Your access to the employer portal"),
            message=render_to_string("employers/email/invitation.txt", context),
            from_email=None,
            recipient_list=[user.email],
        )


@transaction.atomic
def contact_delete(*, contact: Contact, by: User) -> None:
    """Remove a contact person; their portal account, if any, can no longer log in."""
    record_change(
        actor=by, target=contact.employer, action="employers.contact_removed", note=contact.name
    )
    if contact.user is not None:
        User.objects.filter(pk=contact.user_id).update(is_active=False)
    contact.delete()


@transaction.atomic
def demand_profile_save(*, employer: Employer, by: User, skills=None, **fields) -> DemandProfile:
    profile, _created = DemandProfile.objects.get_or_create(employer=employer)
    if "concerns" in fields:  # a JSON list: the database cannot hold it to the choices
        known = set(DemandProfile.Concern.values)
        if not set(fields["concerns"]) <= known:
            raise ValidationError({"concerns": _("Choose concerns from the list.")})
        fields["concerns"] = [
            code for code in DemandProfile.Concern.values if code in fields["concerns"]
        ]
    for name, value in fields.items():
        setattr(profile, name, value)
    _saved(profile)
    if skills is not None:
        profile.skills.set(skills)
    record_change(actor=by, target=employer, action="employers.demand_profile_saved")
    return profile


@transaction.atomic
def opening_save(
    *, opening: Opening, by: User, required_skills=None, nice_to_have_skills=None
) -> Opening:
    if opening.pk:  # placements count filled places as they happen: never save a stale count
        opening.filled_places = (
            Opening.objects.select_for_update()
            .values_list("filled_places", flat=True)
            .get(pk=opening.pk)
        )
    _saved(opening)
    if required_skills is not None:
        opening.required_skills.set(required_skills)
    if nice_to_have_skills is not None:
        opening.nice_to_have_skills.set(nice_to_have_skills)
    return opening


@transaction.atomic
def partner_save(*, partner: NetworkPartner, by: User) -> NetworkPartner:
    """Save a partner; making it the lead hands the lead over from the city's current one."""
    if not offered(cities_for(by), partner.city):
        raise ValidationError({"city": _("Choose one of your own cities.")})
    if partner.is_lead:
        NetworkPartner.objects.select_for_update().filter(city=partner.city, is_lead=True).exclude(
            pk=partner.pk
        ).update(is_lead=False)
    return _saved(partner)


@transaction.atomic
def agreement_save(*, agreement: Agreement, by: User) -> Agreement:
    return _saved(agreement)


def employers_plan_stale_digests(*, today: dt.date | None = None) -> int:
    """Each Monday: tell every coordinator how many of their leads went 30 days without contact."""
    today = today or timezone.localdate()
    year, week, _ = today.isocalendar()
    planned = 0
    for coordinator in User.objects.filter(role=User.Role.COORDINATOR, is_active=True):
        if not stale_employers(coordinator, today=today).exists():
            continue
        plan_reminder(
            key=f"{STALE_DIGEST_KIND}:{coordinator.pk}:{year}-W{week:02d}",
            kind=STALE_DIGEST_KIND,
            due_at=timezone.now(),
            recipient=coordinator,
            link=f"{reverse('employers:employer_list')}?stale=1",
        )
        planned += 1
    return planned
