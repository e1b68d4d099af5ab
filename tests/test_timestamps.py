"""Timestamps are parsed by psycopg's compiled loader, and read exactly as Django's own loader
reads them (restart_platform/timestamps.py)."""

import datetime as dt

import pytest
from django.db import connection

from restart_platform.accounts.models import User
from restart_platform.timestamps import loader_for

pytestmark = pytest.mark.django_db

# Microseconds, the first and last representable instants, other offsets, the hours around
# the changes to and from summer time in Amsterdam.
VALUES = [
    "2026-12-07 12:00:00.123456+00",
    "9999-12-31 23:59:59.999999+00",
    "0001-01-01 00:00:00+00",
    "2026-06-01 08:15:00-09:30",
    "2026-03-29 01:59:59+01",
    "2026-03-29 03:00:00+02",
    "2026-10-25 02:30:00+02",
    "2026-10-25 02:30:00+01",
]


def _select(cursor):
    cursor.execute("SELECT " + ", ".join(["%s::timestamptz"] * len(VALUES)), VALUES)
    return cursor.fetchone()


def _oid():
    import psycopg

    return psycopg.adapters.types["timestamptz"].oid


def test_django_cursors_keep_our_loader(require_postgres):
    from psycopg.pq import Format

    with connection.cursor() as cursor:
        loader = cursor.cursor.adapters.get_loader(_oid(), Format.TEXT)
    assert loader is loader_for(connection.timezone)


def test_values_are_the_ones_djangos_loader_gives(require_postgres):
    from django.db.backends.postgresql.psycopg_any import register_tzloader

    with connection.cursor() as cursor:
        ours = _select(cursor)
    connection.ensure_connection()
    with connection.connection.cursor() as raw:
        register_tzloader(connection.timezone, raw)  # what Django registers without ours
        djangos = _select(raw)
    assert ours == djangos
    assert [value.tzinfo for value in ours] == [value.tzinfo for value in djangos]
    assert ours[0] == dt.datetime(2026, 12, 7, 12, 0, 0, 123456, tzinfo=dt.UTC)
    assert ours[3] == dt.datetime(2026, 6, 1, 17, 45, tzinfo=dt.UTC)


def test_the_parser_is_psycopgs_compiled_one_where_psycopg_has_it(require_postgres):
    import psycopg
    from psycopg.types.datetime import TimestamptzLoader as PythonLoader

    connection.ensure_connection()
    loader = loader_for(connection.timezone)(_oid(), connection.connection)
    parser_class = type(loader.parse.__self__)
    if psycopg.pq.__impl__ == "python":
        assert parser_class is PythonLoader
    else:
        assert parser_class is not PythonLoader
        assert not issubclass(parser_class, PythonLoader)


def test_a_saved_time_reads_back_unchanged(admin):
    moment = dt.datetime(2026, 10, 25, 1, 30, 0, 654321, tzinfo=dt.UTC)
    User.objects.filter(pk=admin.pk).update(last_login=moment)
    admin.refresh_from_db()
    assert admin.last_login == moment
    assert admin.last_login.utcoffset() == dt.timedelta(0)
