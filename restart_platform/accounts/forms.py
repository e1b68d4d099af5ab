import re

from django import forms
from django.utils.translation import gettext_lazy as _

# Six digits from the app, or one of the ten backup codes (eight letters and digits).
TOKEN_RE = re.compile(r"[0-9]{6}|[a-z2-7]{8}")


class TokenForm(forms.Form):
    token = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=20,
        help_text=_("Lost your phone? Enter one of your backup codes."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def clean_token(self) -> str:
        token = self.cleaned_data["token"].replace(" ", "").lower()
        if not TOKEN_RE.fullmatch(token):
            raise forms.ValidationError(
                _("Enter the six digits your app shows, or one of your backup codes.")
            )
        return token
