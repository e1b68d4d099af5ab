"""Editable score weights and explained scores: the one pattern that matching's score (a young
person and an opening) and buddy's pairing score (a mentor and a young person) share.

A score is the weighted mean of components that each score 0 to 1, out of 100. Its weights are
one row (pk=1) edited in the admin, never added twice or deleted; the database refuses a weight
above 100 and weights that add up to nothing. An explained score shows each component's share
in points, rounded so that the shares add up to the rounded total.
"""

import math
import operator
from dataclasses import dataclass
from functools import reduce
from typing import ClassVar, Self

from django.contrib import admin
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _


def weight_field(label: str, default: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(
        label, default=default, validators=[MaxValueValidator(100)]
    )


def weights_constraints(*, prefix: str, fields: tuple[str, ...]) -> list[models.CheckConstraint]:
    """One row; each weight at most 100; together above zero (a mean over nothing is no score)."""
    return [
        models.CheckConstraint(condition=Q(id=1), name=f"{prefix}_single_row"),
        models.CheckConstraint(
            condition=Q(**{f"{name}__lte": 100 for name in fields}),
            name=f"{prefix}_at_most_100",
        ),
        models.CheckConstraint(
            condition=GreaterThan(reduce(operator.add, (F(name) for name in fields)), 0),
            name=f"{prefix}_sum_positive",
            violation_error_message=_("At least one weight must be above zero."),
        ),
    ]


class WeightsModel(models.Model):
    """The one row of a score's weights. A subclass names its weight fields in WEIGHT_FIELDS
    (the components of its score, in their order) and adds `weights_constraints`."""

    WEIGHT_FIELDS: ClassVar[tuple[str, ...]] = ()

    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True

    @classmethod
    def load(cls) -> Self:
        return cls.objects.get_or_create(pk=1)[0]

    def as_dict(self) -> dict[str, int]:
        return {name: getattr(self, name) for name in self.WEIGHT_FIELDS}


class WeightsAdmin(admin.ModelAdmin):
    """The one row of weights: edited, never added twice or deleted."""

    readonly_fields: ClassVar[list[str]] = ["updated_at"]

    def has_add_permission(self, request):
        return not self.model.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@dataclass(frozen=True)
class Component:
    """One component of an explained score."""

    name: str
    label: str
    value: float  # 0 to 1
    weight: int
    points: float  # this component's share of the total; the shares add up to the total
    sentence: str


def shares(values: dict[str, float], weights: dict[str, int], total: float) -> dict[str, float]:
    """Tenths of a point per component, rounded so that they add up to the rounded total
    (largest remainder first): the page shows parts that make the whole. Keyed in the order
    of `values`."""
    raw = {name: 1000.0 * weights[name] * values[name] / sum(weights.values()) for name in values}
    tenths = {name: math.floor(share) for name, share in raw.items()}
    missing = round(total * 10) - sum(tenths.values())
    largest_first = sorted(raw, key=lambda name: raw[name] - tenths[name], reverse=True)
    if missing >= 0:
        for name in largest_first[:missing]:
            tenths[name] += 1
    else:  # only float noise gets here; take from the smallest remainders
        for name in [name for name in reversed(largest_first) if tenths[name]][:-missing]:
            tenths[name] -= 1
    return {name: tenths[name] / 10 for name in values}
