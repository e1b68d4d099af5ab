"""Matching: how a young person and an opening are scored, and (later) suggestions,
proposals, shares and placements."""

import operator
from functools import reduce

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _

# The same names as the components in matching.scoring.COMPONENTS, in the same order.
WEIGHT_FIELDS = (
    "interests",
    "required_skills",
    "nice_skills",
    "distance",
    "availability",
    "readiness",
    "circular",
)


def _weight(label: str, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MaxValueValidator(100)]
    )


class ScoreWeights(models.Model):
    """The weights of the score's components, edited in the admin. There is one row (pk=1)."""

    interests = _weight(_("career interests"), 20)
    required_skills = _weight(_("required skills"), 25)
    nice_skills = _weight(_("nice-to-have skills"), 5)
    distance = _weight(_("distance"), 15)
    availability = _weight(_("hours and start date"), 15)
    readiness = _weight(_("readiness"), 10)
    circular = _weight(_("circular work"), 10)
    minimum_score = models.PositiveSmallIntegerField(
        _("minimum score"),
        default=40,
        validators=[MaxValueValidator(100)],
        help_text=_("Pairs scoring below this (0 to 100) are not proposed."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("score weights")
        verbose_name_plural = _("score weights")
        constraints = [
            models.CheckConstraint(condition=Q(id=1), name="score_weights_single_row"),
            models.CheckConstraint(
                condition=Q(**{f"{name}__lte": 100 for name in WEIGHT_FIELDS}),
                name="score_weights_at_most_100",
            ),
            models.CheckConstraint(
                condition=GreaterThan(reduce(operator.add, (F(name) for name in WEIGHT_FIELDS)), 0),
                name="score_weights_sum_positive",
                violation_error_message=_("At least one weight must be above zero."),
            ),
            models.CheckConstraint(
                condition=Q(minimum_score__lte=100), name="score_weights_minimum_score_0_to_100"
            ),
        ]

    def __str__(self):
        return str(_("Score weights"))

    @classmethod
    def load(cls) -> "ScoreWeights":
        return cls.objects.get_or_create(pk=1)[0]

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in WEIGHT_FIELDS}

    @property
    def total(self) -> int:
        return sum(self.as_dict().values())
