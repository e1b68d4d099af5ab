"""The latest contact date per young person, kept by triggers on the contact moments table.

One trigger set per database Django runs on here (PostgreSQL in production and CI, SQLite for a
quick local run). Each recomputes the young person's row from their contact moments after a
contact is added, deleted, or has its date or young person changed; the existing contacts are
read in once.
"""

import django.db.models.deletion
from django.db import migrations, models

REFRESH_SQLITE = """
    DELETE FROM youth_lastcontact WHERE youth_id = {row}.youth_id;
    INSERT INTO youth_lastcontact (youth_id, date)
        SELECT youth_id, max(date) FROM youth_contactmoment
        WHERE youth_id = {row}.youth_id GROUP BY youth_id;
"""

SQLITE = [
    "CREATE TRIGGER youth_last_contact_insert AFTER INSERT ON youth_contactmoment BEGIN"
    + REFRESH_SQLITE.format(row="NEW")
    + "END",
    "CREATE TRIGGER youth_last_contact_delete AFTER DELETE ON youth_contactmoment BEGIN"
    + REFRESH_SQLITE.format(row="OLD")
    + "END",
    "CREATE TRIGGER youth_last_contact_update AFTER UPDATE ON youth_contactmoment"
    " WHEN OLD.youth_id IS NOT NEW.youth_id OR OLD.date IS NOT NEW.date BEGIN"
    + REFRESH_SQLITE.format(row="OLD")
    + REFRESH_SQLITE.format(row="NEW")
    + "END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS youth_last_contact_{op}" for op in ("insert", "delete", "update")
]

POSTGRESQL = [
    # The young person's row is locked first, so two contacts saved at the same moment wait for
    # each other: the second then reads the first one's date (each statement of a function
    # takes a new snapshot) and the newer date is kept.
    """
    CREATE FUNCTION youth_refresh_last_contact(person bigint) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM youth_youngperson WHERE id = person FOR NO KEY UPDATE;
        DELETE FROM youth_lastcontact WHERE youth_id = person;
        INSERT INTO youth_lastcontact (youth_id, date)
            SELECT youth_id, max(date) FROM youth_contactmoment
            WHERE youth_id = person GROUP BY youth_id;
    END $$
    """,
    """
    CREATE FUNCTION youth_contactmoment_last_contact() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM youth_refresh_last_contact(OLD.youth_id);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.youth_id <> OLD.youth_id) THEN
            PERFORM youth_refresh_last_contact(NEW.youth_id);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER youth_last_contact_write AFTER INSERT OR DELETE ON youth_contactmoment
    FOR EACH ROW EXECUTE FUNCTION youth_contactmoment_last_contact()
    """,
    # A contact saved again with the same young person and date (its summary scrubbed by an
    # erasure, say) changes nothing here.
    """
    CREATE TRIGGER youth_last_contact_update AFTER UPDATE ON youth_contactmoment FOR EACH ROW
    WHEN (OLD.youth_id IS DISTINCT FROM NEW.youth_id OR OLD.date IS DISTINCT FROM NEW.date)
    EXECUTE FUNCTION youth_contactmoment_last_contact()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS youth_last_contact_write ON youth_contactmoment",
    "DROP TRIGGER IF EXISTS youth_last_contact_update ON youth_contactmoment",
    "DROP FUNCTION IF EXISTS youth_contactmoment_last_contact()",
    "DROP FUNCTION IF EXISTS youth_refresh_last_contact(bigint)",
]

BACKFILL = """
    INSERT INTO youth_lastcontact (youth_id, date)
    SELECT youth_id, max(date) FROM youth_contactmoment GROUP BY youth_id
"""


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise NotImplementedError(f"No last-contact triggers written for {vendor}.")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement, params=None)

    return run


def _install(apps, schema_editor):
    _run({"postgresql": POSTGRESQL, "sqlite": SQLITE})(apps, schema_editor)
    schema_editor.execute(BACKFILL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("youth", "0007_youth_list_order_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="LastContact",
            fields=[
                (
                    "youth",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="last_contact",
                        serialize=False,
                        to="youth.youngperson",
                    ),
                ),
                ("date", models.DateField(verbose_name="last contact")),
            ],
            options={
                "verbose_name": "last contact",
                "verbose_name_plural": "last contacts",
            },
        ),
        migrations.RunPython(
            _install,
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
