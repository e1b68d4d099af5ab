"""What the dashboard keeps of its own: the short, anonymised stories of young people that a
coordinator writes for the employer pitch."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

STORY_MAX_LENGTH = 800


def names_in(text: str, names: list[str]) -> list[str]:
    """The names (a first, preferred or last name) that `text` contains as a whole word, in
    any case: "Noor" is found in "noor begon", not in "Noordzee"."""
    found = []
    for name in names:
        name = name.strip()
        if len(name) < 2:
            continue
        if re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
            found.append(name)
    return found


class Story(models.Model):
    """A short story of a young person's way to work, written without names by a coordinator of
    their city. The employer pitch shows it only while it is marked shareable and the young
    person's consent "use in anonymous reports" is active."""

    youth = models.ForeignKey(
        "youth.YoungPerson",
        on_delete=models.PROTECT,
        related_name="dashboard_stories",
        verbose_name=_("young person"),
    )
    title = models.CharField(_("headline"), max_length=120)
    text = models.TextField(_("story"), max_length=STORY_MAX_LENGTH)
    is_shareable = models.BooleanField(_("shareable in the employer pitch"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            models.CheckConstraint(
                condition=~Q(title="") & ~Q(text=""), name="story_has_title_and_text"
            ),
        ]

    def __str__(self):
        # Not the headline, which may name the young person: this text is the change history's
        # name for the row.
        return f"{self._meta.verbose_name} {self.pk}"

    def get_absolute_url(self):
        return reverse("dashboard:story_edit", args=[self.pk])

    def clean(self):
        """The story leaves the platform: it may not name the young person (the admin and every
        service run this too)."""
        super().clean()
        if not self.youth_id:
            return
        youth = self.youth
        names = [youth.first_name, youth.preferred_name, youth.last_name]
        errors = {}
        for field in ("title", "text"):
            if found := names_in(getattr(self, field) or "", names):
                errors[field] = _(
                    "Leave out the young person's name (%(names)s): the story must stay anonymous."
                ) % {"names": ", ".join(found)}
        if errors:
            raise ValidationError(errors)
