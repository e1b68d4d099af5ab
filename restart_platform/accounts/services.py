import logging
import time
from functools import partial

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from .audit import record_change
from .models import User

logger = logging.getLogger(__name__)

# A key shown for enrolment lives in that session only, and not for long: someone who once saw
# the page (with the password) must not be able to finish an enrolment later, or keep a key
# that becomes the owner's.
ENROLMENT_SESSION_KEY = "two_factor_enrolment"
ENROLMENT_VALID_SECONDS = 10 * 60
BACKUP_CODE_COUNT = 10


def two_factor_pending_key(*, session, now: float | None = None) -> str:
    """This session's enrolment key (hex): a fresh one when there is none or it has expired."""
    now = time.time() if now is None else now
    pending = session.get(ENROLMENT_SESSION_KEY)
    if not pending or now - pending["created"] > ENROLMENT_VALID_SECONDS:
        pending = {"key": default_key(), "created": now}
        session[ENROLMENT_SESSION_KEY] = pending
    return pending["key"]


def pending_device(*, user: User, key: str) -> TOTPDevice:
    """An unsaved authenticator for the enrolment page's QR code; never stored as it is."""
    return TOTPDevice(user=user, name="authenticator", key=key, confirmed=False)


def user_has_second_factor(*, user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


@transaction.atomic
def two_factor_enrol(*, user: User, session, token: str) -> tuple[TOTPDevice, list[str]] | None:
    """Confirm the session's enrolment key with its current code; None when the code is wrong.

    Makes the authenticator and ten single-use backup codes (returned to be shown once), drops
    the key from the session, and tells the user by e-mail.
    """
    pending = session.get(ENROLMENT_SESSION_KEY)
    if not pending or time.time() - pending["created"] > ENROLMENT_VALID_SECONDS:
        return None
    if user_has_second_factor(user=user):
        raise ValidationError(_("You already have an authenticator."))
    # Left-overs of the old enrolment, which kept one key for every attempt.
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    device = pending_device(user=user, key=pending["key"])
    device.full_clean()
    device.save()
    if not device.verify_token(token):  # also records the step, so this code is not replayed
        transaction.set_rollback(True)
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = _new_backup_codes(user=user)
    del session[ENROLMENT_SESSION_KEY]
    record_change(actor=user, target=user, action="accounts.two_factor_enrolled")
    transaction.on_commit(partial(_security_mail, user=user, event="enrolled"), robust=True)
    return device, codes


def _new_backup_codes(*, user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice(user=user, name="backup codes", confirmed=True)
    device.full_clean()
    device.save()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return codes


@transaction.atomic
def two_factor_reset(*, user: User, by: User) -> int:
    """Remove every second factor of `user` (a lost phone); they enrol anew at the next login."""
    removed, _ = TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    record_change(actor=by, target=user, action="accounts.two_factor_reset")
    transaction.on_commit(partial(_security_mail, user=user, event="removed"), robust=True)
    return removed


def _security_mail(*, user: User, event: str) -> None:
    """Tell the owner their second factor changed: if it was not them, they call at once."""
    if not user.email:
        return
    with translation.override(user.language):
        subject = {
            "enrolled": _("[re-START] An authenticator was added to your account"),
            "removed": _("[re-START] The second factor of your account was removed"),
        }[event]
        body = render_to_string(
            "accounts/email/two_factor_changed.txt",
            {"first_name": user.first_name or user.username, "event": event},
        )
    send_mail(subject, body, None, [user.email])


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
