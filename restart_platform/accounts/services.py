from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import User


def totp_device_for(*, user: User) -> TOTPDevice:
    """The user's confirmed authenticator, or the unconfirmed one being set up (made on demand)."""
    device = TOTPDevice.objects.filter(user=user).order_by("-confirmed", "pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="authenticator", confirmed=False)
    return device


@transaction.atomic
def user_set_language(*, user: User, language: str) -> None:
    user.language = language
    user.save(update_fields=["language"])
