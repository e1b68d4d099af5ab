"""The database itself refuses to change or delete an access log entry.

On PostgreSQL a trigger refuses UPDATE and DELETE (TRUNCATE stays possible for a separate
maintenance role's retention job). SQLite, the embedded default, refuses UPDATE; a DELETE
trigger there would also block the test suite's table flush.
"""

from django.db import migrations

PG_FORWARD = """
CREATE OR REPLACE FUNCTION accounts_accessevent_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'access log entries cannot be changed or deleted';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER accounts_accessevent_no_update BEFORE UPDATE OR DELETE ON accounts_accessevent
    FOR EACH ROW EXECUTE FUNCTION accounts_accessevent_append_only();
"""
PG_BACKWARD = """
DROP TRIGGER IF EXISTS accounts_accessevent_no_update ON accounts_accessevent;
DROP FUNCTION IF EXISTS accounts_accessevent_append_only();
"""
SQLITE_FORWARD = """
CREATE TRIGGER accounts_accessevent_no_update BEFORE UPDATE ON accounts_accessevent
BEGIN SELECT RAISE(ABORT, 'access log entries cannot be changed or deleted'); END;
"""
SQLITE_BACKWARD = "DROP TRIGGER IF EXISTS accounts_accessevent_no_update;"


def forward(apps, schema_editor):
    sql = {"postgresql": PG_FORWARD, "sqlite": SQLITE_FORWARD}.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql)


def backward(apps, schema_editor):
    sql = {"postgresql": PG_BACKWARD, "sqlite": SQLITE_BACKWARD}.get(
        schema_editor.connection.vendor
    )
    if sql:
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0002_seed_cities")]
    operations = [migrations.RunPython(forward, backward)]
