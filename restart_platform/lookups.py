"""`field__any_of=[ids]`: membership in a long list of ids, as one parameter.

`field__in=[...]` sends each id as a parameter of its own: with thousands of ids (the scores of a
whole pool) PostgreSQL spends more time parsing and planning the statement than running it.
On PostgreSQL `any_of` sends the list as one array, `field = ANY(%s)`; elsewhere it is an
ordinary IN. Registered on integer fields and foreign keys, the only ones that need it, when
the accounts app is ready (restart_platform/accounts/apps.py).
"""

from django.core.exceptions import EmptyResultSet
from django.db import models
from django.db.models import Lookup


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        values = [int(value) for value in self.rhs]
        if not values:
            raise EmptyResultSet  # as `in` does: the query is answered without the database
        if connection.vendor == "postgresql":
            # As an array literal in one string: psycopg adapts a list of ints element by
            # element, which for thousands of ids costs more than the query itself.
            literal = "{" + ",".join(map(str, values)) + "}"
            return f"{lhs} = ANY(%s::bigint[])", [*lhs_params, literal]
        return f"{lhs} IN ({', '.join(['%s'] * len(values))})", [*lhs_params, *values]


models.IntegerField.register_lookup(AnyOf)
models.ForeignKey.register_lookup(AnyOf)
