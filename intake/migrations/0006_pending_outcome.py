"""The intake meetings whose outcome is pending, kept by triggers on the meetings and records.

One trigger set per database Django runs on here (PostgreSQL in production and CI, SQLite for a
quick local run). Each rewrites a meeting's row after the meeting, or its record, is added,
deleted, or has what decides it changed (the meeting's status, start or young person; the
record's status or meeting); the existing meetings are read in once.
"""

import django.db.models.deletion
from django.db import migrations, models

PENDING = """
    SELECT id, youth_id, starts_at FROM intake_intakemeeting
    WHERE id = {meeting} AND status IN ('scheduled', 'held')
    AND NOT EXISTS (
        SELECT 1 FROM intake_intakerecord
        WHERE meeting_id = {meeting} AND status = 'finished'
    )
"""

REFRESH_SQLITE = """
    DELETE FROM intake_pendingoutcome WHERE meeting_id = {meeting};
    INSERT INTO intake_pendingoutcome (meeting_id, youth_id, starts_at) {pending};
"""


def _refresh_sqlite(meeting: str) -> str:
    return REFRESH_SQLITE.format(meeting=meeting, pending=PENDING.format(meeting=meeting))


MEETING_CHANGED = (
    "OLD.status IS NOT NEW.status OR OLD.starts_at IS NOT NEW.starts_at"
    " OR OLD.youth_id IS NOT NEW.youth_id OR OLD.id IS NOT NEW.id"
)
RECORD_CHANGED = "OLD.status IS NOT NEW.status OR OLD.meeting_id IS NOT NEW.meeting_id"

SQLITE = [
    "CREATE TRIGGER intake_pending_meeting_insert AFTER INSERT ON intake_intakemeeting BEGIN"
    + _refresh_sqlite("NEW.id")
    + "END",
    "CREATE TRIGGER intake_pending_meeting_delete AFTER DELETE ON intake_intakemeeting BEGIN"
    + _refresh_sqlite("OLD.id")
    + "END",
    f"CREATE TRIGGER intake_pending_meeting_update AFTER UPDATE ON intake_intakemeeting"
    f" WHEN {MEETING_CHANGED} BEGIN"
    + _refresh_sqlite("OLD.id")
    + _refresh_sqlite("NEW.id")
    + "END",
    "CREATE TRIGGER intake_pending_record_insert AFTER INSERT ON intake_intakerecord BEGIN"
    + _refresh_sqlite("NEW.meeting_id")
    + "END",
    "CREATE TRIGGER intake_pending_record_delete AFTER DELETE ON intake_intakerecord BEGIN"
    + _refresh_sqlite("OLD.meeting_id")
    + "END",
    f"CREATE TRIGGER intake_pending_record_update AFTER UPDATE ON intake_intakerecord"
    f" WHEN {RECORD_CHANGED} BEGIN"
    + _refresh_sqlite("OLD.meeting_id")
    + _refresh_sqlite("NEW.meeting_id")
    + "END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER IF EXISTS intake_pending_{table}_{op}"
    for table in ("meeting", "record")
    for op in ("insert", "delete", "update")
]

POSTGRESQL = [
    # The meeting's row is locked first, so a meeting and its record changed at the same moment
    # wait for each other: the second then reads the first one's change (each statement of a
    # function takes a new snapshot).
    """
    CREATE FUNCTION intake_refresh_pending_outcome(meeting bigint) RETURNS void
    LANGUAGE plpgsql AS $$
    BEGIN
        PERFORM 1 FROM intake_intakemeeting WHERE id = meeting FOR NO KEY UPDATE;
        DELETE FROM intake_pendingoutcome WHERE meeting_id = meeting;
        INSERT INTO intake_pendingoutcome (meeting_id, youth_id, starts_at)
            SELECT id, youth_id, starts_at FROM intake_intakemeeting
            WHERE id = meeting AND status IN ('scheduled', 'held')
            AND NOT EXISTS (
                SELECT 1 FROM intake_intakerecord
                WHERE meeting_id = meeting AND status = 'finished'
            );
    END $$
    """,
    """
    CREATE FUNCTION intake_meeting_pending_outcome() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM intake_refresh_pending_outcome(OLD.id);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.id <> OLD.id) THEN
            PERFORM intake_refresh_pending_outcome(NEW.id);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE FUNCTION intake_record_pending_outcome() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            PERFORM intake_refresh_pending_outcome(OLD.meeting_id);
        END IF;
        IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND NEW.meeting_id <> OLD.meeting_id) THEN
            PERFORM intake_refresh_pending_outcome(NEW.meeting_id);
        END IF;
        RETURN NULL;
    END $$
    """,
    """
    CREATE TRIGGER intake_pending_meeting_write AFTER INSERT OR DELETE ON intake_intakemeeting
    FOR EACH ROW EXECUTE FUNCTION intake_meeting_pending_outcome()
    """,
    # A meeting saved with its notes or attendance changed, and a draft record saved again,
    # change nothing here.
    f"""
    CREATE TRIGGER intake_pending_meeting_update AFTER UPDATE ON intake_intakemeeting
    FOR EACH ROW WHEN ({MEETING_CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")})
    EXECUTE FUNCTION intake_meeting_pending_outcome()
    """,
    """
    CREATE TRIGGER intake_pending_record_write AFTER INSERT OR DELETE ON intake_intakerecord
    FOR EACH ROW EXECUTE FUNCTION intake_record_pending_outcome()
    """,
    f"""
    CREATE TRIGGER intake_pending_record_update AFTER UPDATE ON intake_intakerecord
    FOR EACH ROW WHEN ({RECORD_CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")})
    EXECUTE FUNCTION intake_record_pending_outcome()
    """,
]
POSTGRESQL_REVERSE = [
    "DROP TRIGGER IF EXISTS intake_pending_meeting_write ON intake_intakemeeting",
    "DROP TRIGGER IF EXISTS intake_pending_meeting_update ON intake_intakemeeting",
    "DROP TRIGGER IF EXISTS intake_pending_record_write ON intake_intakerecord",
    "DROP TRIGGER IF EXISTS intake_pending_record_update ON intake_intakerecord",
    "DROP FUNCTION IF EXISTS intake_meeting_pending_outcome()",
    "DROP FUNCTION IF EXISTS intake_record_pending_outcome()",
    "DROP FUNCTION IF EXISTS intake_refresh_pending_outcome(bigint)",
]

BACKFILL = """
    INSERT INTO intake_pendingoutcome (meeting_id, youth_id, starts_at)
    SELECT id, youth_id, starts_at FROM intake_intakemeeting meeting
    WHERE status IN ('scheduled', 'held')
    AND NOT EXISTS (
        SELECT 1 FROM intake_intakerecord
        WHERE meeting_id = meeting.id AND status = 'finished'
    )
"""


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        vendor = schema_editor.connection.vendor
        if vendor not in statements_by_vendor:
            raise NotImplementedError(f"No pending-outcome triggers written for {vendor}.")
        for statement in statements_by_vendor[vendor]:
            schema_editor.execute(statement, params=None)

    return run


def _install(apps, schema_editor):
    _run({"postgresql": POSTGRESQL, "sqlite": SQLITE})(apps, schema_editor)
    schema_editor.execute(BACKFILL, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("intake", "0005_awaiting_outcome_indexes"),
        ("youth", "0008_last_contact"),
    ]

    operations = [
        # Which intakes await their outcome was read from this index and the finished records'
        # one; PendingOutcome holds the answer now.
        migrations.RemoveIndex(model_name="intakemeeting", name="intake_meeting_open_idx"),
        migrations.CreateModel(
            name="PendingOutcome",
            fields=[
                (
                    "meeting",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="pending_outcome",
                        serialize=False,
                        to="intake.intakemeeting",
                    ),
                ),
                ("starts_at", models.DateTimeField(verbose_name="starts at")),
                (
                    "youth",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="youth.youngperson",
                    ),
                ),
            ],
            options={
                "verbose_name": "intake awaiting its outcome",
                "verbose_name_plural": "intakes awaiting their outcome",
            },
        ),
        migrations.RunPython(
            _install,
            _run({"postgresql": POSTGRESQL_REVERSE, "sqlite": SQLITE_REVERSE}),
        ),
    ]
