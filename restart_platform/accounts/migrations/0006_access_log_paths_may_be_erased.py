"""The access log stays append-only, with one exception for the AVG: erasing a young person
replaces the query string of a path that named them (a search for their name) by a marker.

The database allows an UPDATE only when every other column stays the same and the new path
ends with the marker; anything else is still refused, and DELETE too (on PostgreSQL).
"""

from django.db import migrations

MARKER = "[geanonimiseerd]"

PG_FORWARD = f"""
CREATE OR REPLACE FUNCTION accounts_accessevent_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE'
        AND NEW.id = OLD.id
        AND NEW.created_at = OLD.created_at
        AND NEW.actor_id IS NOT DISTINCT FROM OLD.actor_id
        AND NEW.actor_role = OLD.actor_role
        AND NEW.action = OLD.action
        AND NEW.content_type_id = OLD.content_type_id
        AND NEW.object_id = OLD.object_id
        AND NEW.outcome = OLD.outcome
        AND NEW.ip_address IS NOT DISTINCT FROM OLD.ip_address
        AND right(NEW.path, {len(MARKER)}) = '{MARKER}'
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'access log entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""
PG_BACKWARD = """
CREATE OR REPLACE FUNCTION accounts_accessevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access log entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
"""
SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS accounts_accessevent_no_update;",
    f"""
CREATE TRIGGER accounts_accessevent_no_update BEFORE UPDATE ON accounts_accessevent
WHEN NOT (
    NEW.id IS OLD.id
    AND NEW.created_at IS OLD.created_at
    AND NEW.actor_id IS OLD.actor_id
    AND NEW.actor_role IS OLD.actor_role
    AND NEW.action IS OLD.action
    AND NEW.content_type_id IS OLD.content_type_id
    AND NEW.object_id IS OLD.object_id
    AND NEW.outcome IS OLD.outcome
    AND NEW.ip_address IS OLD.ip_address
    AND substr(NEW.path, -{len(MARKER)}) = '{MARKER}'
)
BEGIN SELECT RAISE(ABORT, 'access log entries cannot be changed or deleted'); END;
""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS accounts_accessevent_no_update;",
    """
CREATE TRIGGER accounts_accessevent_no_update BEFORE UPDATE ON accounts_accessevent
BEGIN SELECT RAISE(ABORT, 'access log entries cannot be changed or deleted'); END;
""",
]


def _run(schema_editor, pg, sqlite):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(pg)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)


def forward(apps, schema_editor):
    _run(schema_editor, PG_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, PG_BACKWARD, SQLITE_BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_seed_city_coordinates")]
    operations = [migrations.RunPython(forward, backward)]
