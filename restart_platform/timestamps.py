"""Read PostgreSQL's `timestamptz` values with psycopg's compiled loader.

On every psycopg 3 connection Django (5.2) registers a loader of its own for `timestamptz`, to
give each value the time zone it expects. It subclasses psycopg's pure-Python loader, so even
with psycopg's C extension installed every timestamp is parsed in Python: about 7 µs each
(Django ticket #36960). A list page reads 150 to 250 of them (each row's created and updated
times, its related records', the session's, the user's): 1 to 2 ms a page, measured with
`make bench-pages`.

The loader here lets psycopg's own loader parse (the compiled one where psycopg has it) and then
sets the time zone exactly as Django's does. It carries Django's `timezone` attribute, so
Django's cursors keep it instead of registering theirs again. Connected to `connection_created`
when the accounts app is ready (restart_platform/accounts/apps.py).
"""

import datetime
from functools import cache

from django.db.backends.signals import connection_created

try:
    import psycopg
    from psycopg.adapt import Loader
    from psycopg.pq import Format
except ImportError:  # pragma: no cover - psycopg is a dependency; SQLite alone runs without it
    psycopg = None


@cache
def loader_for(timezone: datetime.tzinfo | None) -> type:
    """A loader that gives every value `timezone`, as Django's own does: a replace, not a
    conversion, because Django sets the connection's time zone to the same one."""
    oid = psycopg.adapters.types["timestamptz"].oid
    # The class psycopg itself registers: compiled with psycopg[binary] or [c], Python otherwise.
    parser_class = psycopg.adapters.get_loader(oid, Format.TEXT)

    class TimestamptzLoader(Loader):
        def __init__(self, oid, context=None):
            super().__init__(oid, context)
            self.parse = parser_class(oid, context).load

        def load(self, data) -> datetime.datetime:
            return self.parse(data).replace(tzinfo=timezone)

    TimestamptzLoader.timezone = timezone
    return TimestamptzLoader


def use_compiled_loader(sender, connection, **kwargs) -> None:
    if connection.vendor != "postgresql" or psycopg is None:
        return
    adapters = getattr(connection.connection, "adapters", None)
    if adapters is None:  # psycopg2: its loaders are compiled already
        return
    adapters.register_loader("timestamptz", loader_for(connection.timezone))


def connect() -> None:
    connection_created.connect(use_compiled_loader, dispatch_uid="compiled-timestamptz-loader")
