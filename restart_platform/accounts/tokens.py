"""One-time links that let a new account choose its first password.

An employer contact's portal account is made by invitation: the coordinator never picks an
account from a list, and never learns or sets a password. The link works once (the token hashes
the password, which setting one changes) and for 72 hours, longer than a password reset's hour
because an invitation waits in an inbox that is not expecting it.
"""

from datetime import timedelta

from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.http import base36_to_int

INVITATION_VALID_FOR = timedelta(hours=72)


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    # Its own salt: a password-reset token is never an invitation token, nor the reverse.
    key_salt = "restart_platform.accounts.tokens.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        # Django's own check measures against PASSWORD_RESET_TIMEOUT; an invitation has its own.
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if self._num_seconds(self._now()) - timestamp > INVITATION_VALID_FOR.total_seconds():
            return False
        return any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        )


invitation_tokens = InvitationTokenGenerator()
