"""Per-row figures as subqueries, for list pages that sort and count their own rows.

A join with the related rows grouped afterwards (`Max("contacts__date")`) makes the database
group every row of the list, and the count of the paginator group them again; a subquery per
row shown does neither. `rows` is a queryset filtered on its parent through `OuterRef`.
"""

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def latest(rows: QuerySet, field: str) -> Subquery:
    """The newest value of `field` among `rows`, or NULL when there are none."""
    return Subquery(rows.order_by(f"-{field}").values(field)[:1])


def counted(rows: QuerySet, parent: str) -> Coalesce:
    """How many `rows` there are, grouped by their foreign key `parent`; 0 when none."""
    grouped = rows.order_by().values(parent).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(grouped, output_field=IntegerField()), 0)
