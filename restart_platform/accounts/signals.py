"""Receivers for Django's own auth signals (never signals between our apps)."""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

SESSION_STARTED_KEY = "auth_started_at"


@receiver(user_logged_in)
def remember_login_time(sender, request, user, **kwargs):
    # The absolute session lifetime counts from here, however active the user stays.
    request.session[SESSION_STARTED_KEY] = int(time.time())
