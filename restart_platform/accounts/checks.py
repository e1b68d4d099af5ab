"""Refuse to serve while a demo account keeps its public password (outside a demo)."""

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured
from django.db import DatabaseError

from .demo import DEMO_USERNAMES
from .factories import DEMO_PASSWORD
from .models import User

DEMO_ACCOUNT_CHECK = "accounts.E001"


def accounts_with_demo_password() -> list[str]:
    """Usernames of the demo accounts that still log in with the password in the README.

    Only the demo accounts are tried: every try costs a full password hash, and these are the
    accounts that seed_demo made with the public password.
    """
    accounts = User.objects.filter(username__in=DEMO_USERNAMES, is_active=True)
    try:
        hashes = list(accounts.values_list("username", "password"))
    except DatabaseError:  # not migrated yet: there is no account to worry about
        return []
    # The plain check, without the rehash-and-save of User.check_password: a check only reads.
    return sorted(username for username, hashed in hashes if check_password(DEMO_PASSWORD, hashed))


def demo_password_problem() -> str | None:
    if settings.DEBUG or settings.DEMO:
        return None
    if usernames := accounts_with_demo_password():
        return (
            f"These accounts still have the public demo password: {', '.join(usernames)}. "
            "Give them a new password or deactivate them (or set DEMO=1 for a demo)."
        )
    return None


@register("security", deploy=False)
def check_demo_passwords(app_configs, **kwargs) -> list[Error]:
    problem = demo_password_problem()
    return [Error(problem, id=DEMO_ACCOUNT_CHECK)] if problem else []


def refuse_to_serve_with_demo_passwords() -> None:
    """Called when the web application starts (wsgi.py): gunicorn runs no system checks."""
    if problem := demo_password_problem():
        raise ImproperlyConfigured(f"{DEMO_ACCOUNT_CHECK}: {problem}")
