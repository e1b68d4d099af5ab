"""The dashboard's rows about a young person (restart_platform.privacy): the stories of the
employer pitch. Erasure blanks their headline and text and takes them out of the pitch."""

from django.utils.translation import gettext_lazy as _

from restart_platform.privacy import Section, register

from .models import Story

register(
    Section(
        Story,
        "youth",
        _("Stories for the employer pitch"),
        scrub=("title", "text"),
        replace={"is_shareable": False},
    ),
)
