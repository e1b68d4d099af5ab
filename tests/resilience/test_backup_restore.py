"""Backup and restore: `manage.py backup` of a whole world, restored by `manage.py restore` into
a new, empty database on the same cluster, gives back every row of every table, the pending
reminders with their due times, the access log with its append-only guard, the sequences and
the uploaded files; a restore into a database that has tables is refused and changes nothing.

Both commands run as `make backup` and `make restore` run them: a process of their own, with
the database named by DATABASE_URL. The test is transactional, so the world it builds is
committed and pg_dump, in another process, sees it.
"""

import io
import os
import secrets
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import psycopg
import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.core.management import call_command
from django.db import connection
from django.utils import timezone
from psycopg import sql

from restart_platform.accounts.audit import log_access
from restart_platform.accounts.models import AccessEvent, User
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.services import plan_reminder
from youth.models import YoungPerson

ROOT = Path(__file__).resolve().parents[2]
RESTORED = "restart_prove_restored"

pytestmark = pytest.mark.django_db(transaction=True)

# What the world must hold, so that "equal" compares rows and not empty tables.
FILLED = [
    "youth.YoungPerson",
    "youth.Consent",
    "youth.Barrier",
    "intake.IntakeMeeting",
    "intake.IntakeRecord",
    "employers.Employer",
    "employers.Opening",
    "matching.Share",
    "matching.Placement",
    "buddy.Pair",
    "buddy.CheckIn",
    "prep_programme.Cohort",
    "prep_programme.Participant",
    "notifications.Reminder",
    "accounts.AccessEvent",
    "auditlog.LogEntry",
]


def test_a_backup_comes_back_whole_in_an_empty_database(private_postgres, figures, tmp_path):
    started = time.monotonic()
    reminder, upload = build_world(tmp_path / "media")
    world_seconds = time.monotonic() - started
    original = connection.settings_dict["NAME"]
    backup_dir = tmp_path / "backups"

    started = time.monotonic()
    backed_up = manage("backup", database=original, backup_dir=backup_dir, media=tmp_path / "media")
    backup_seconds = time.monotonic() - started
    folder = only_backup(backup_dir)
    assert str(folder) in backed_up.stdout

    with cluster(private_postgres) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(RESTORED)))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(RESTORED)))
    try:
        started = time.monotonic()
        manage("restore", str(folder), database=RESTORED, media=tmp_path / "restored-media")
        restore_seconds = time.monotonic() - started

        before = fingerprints(private_postgres, original)
        after = fingerprints(private_postgres, RESTORED)
        every_table = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
        assert every_table <= before.keys(), every_table - before.keys()
        assert apps.get_model("auditlog", "LogEntry")._meta.db_table in before
        for label in FILLED:
            assert before[apps.get_model(label)._meta.db_table][0] > 0, f"{label} is empty"
        assert after == before
        assert sequences(private_postgres, RESTORED) == sequences(private_postgres, original)

        pending = pending_reminders(private_postgres, RESTORED)
        assert pending == pending_reminders(private_postgres, original)
        assert (reminder.pk, reminder.key, reminder.due_at) in pending
        assert access_log(private_postgres, RESTORED) == access_log(private_postgres, original)
        assert the_access_log_refuses_a_delete(private_postgres, RESTORED)
        restored_files = [p for p in (tmp_path / "restored-media").rglob("*") if p.is_file()]
        assert restored_files == [tmp_path / "restored-media" / upload.name]
        assert restored_files[0].read_bytes() == upload.content

        refused = manage(
            "restore", str(folder), database=RESTORED, media=tmp_path / "other", check=False
        )
        assert refused.returncode != 0
        assert "is not empty" in refused.stderr
        assert fingerprints(private_postgres, RESTORED) == before
    finally:
        with cluster(private_postgres) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(RESTORED))
            )

    figures.add("tables compared", len(before))
    figures.add("rows compared", sum(count for count, _ in before.values()))
    figures.add("pending reminders", len(pending))
    figures.add("access log entries", before[AccessEvent._meta.db_table][0])
    figures.add("dump size (bytes)", (folder / "database.dump").stat().st_size)
    figures.add("uploaded files restored", len(restored_files))
    figures.add("world built (seed_demo and more), seconds", world_seconds)
    figures.add("backup seconds (the whole command)", backup_seconds)
    figures.add("restore seconds (the whole command)", restore_seconds)


class Upload:
    def __init__(self, name: str, content: bytes):
        self.name, self.content = name, content


def build_world(media: Path) -> tuple[Reminder, Upload]:
    """The demo's whole world (built on the tests' factories), plus looks in the access log,
    a reminder due at an odd moment, and one uploaded file."""
    call_command("seed_demo", stdout=io.StringIO())
    admin = User.objects.get(username="admin")
    for number, young in enumerate(YoungPerson.objects.order_by("pk")[:20]):
        outcome = AccessEvent.Outcome.DENIED if number % 5 == 0 else AccessEvent.Outcome.ALLOWED
        log_access(user=admin, target=young, outcome=outcome, path=f"/youth/{young.pk}/")
    reminder = plan_reminder(
        key="prove:backup",
        kind="notifications.test",
        due_at=timezone.now() + timedelta(days=3, microseconds=123_457),
        recipient=admin,
    )
    content = b"%PDF-1.4\n" + secrets.token_bytes(20_000)
    name = FileSystemStorage(location=media).save("uploads/cv.pdf", ContentFile(content))
    return reminder, Upload(name, content)


def manage(
    *args: str, database: str, media: Path, backup_dir: Path | None = None, check: bool = True
) -> subprocess.CompletedProcess:
    """Run a management command in a process of its own, configured as production is."""
    host = connection.settings_dict
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "REDIS_URL"} and not key.startswith("PG")
    }
    env.update(
        DATABASE_URL=f"postgres://{host['USER']}@{host['HOST']}:{host['PORT']}/{database}",
        SECRET_KEY=secrets.token_urlsafe(64),
        MEDIA_ROOT=str(media),
        BACKUP_DIR=str(backup_dir or media.parent / "unused-backups"),
    )
    done = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    if check:
        assert done.returncode == 0, done.stderr
    return done


def only_backup(backup_dir: Path) -> Path:
    folders = [path for path in backup_dir.iterdir() if path.is_dir()]
    assert len(folders) == 1, folders
    assert not [path for path in folders if path.name.startswith(".")], "a partial backup"
    return folders[0]


def cluster(server, database: str = "postgres") -> psycopg.Connection:
    return psycopg.connect(
        host="127.0.0.1", port=server.port, user="postgres", dbname=database, autocommit=True
    )


def fingerprints(server, database: str) -> dict[str, tuple[int, str]]:
    """Every table's row count and the md5 of all its rows in a fixed order."""
    with cluster(server, database) as db:
        tables = [
            row[0]
            for row in db.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        return {
            table: db.execute(
                sql.SQL(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), ''))"
                    " FROM {} t"
                ).format(sql.Identifier(table))
            ).fetchone()
            for table in tables
        }


def sequences(server, database: str) -> dict[str, int | None]:
    """Where each id sequence stands: a restored database hands out the next id, not a used one."""
    with cluster(server, database) as db:
        return dict(
            db.execute(
                "SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'"
            ).fetchall()
        )


def pending_reminders(server, database: str) -> list[tuple]:
    with cluster(server, database) as db:
        return db.execute(
            sql.SQL("SELECT id, key, due_at FROM {} WHERE status = %s ORDER BY id").format(
                sql.Identifier(Reminder._meta.db_table)
            ),
            [Reminder.Status.PENDING],
        ).fetchall()


def access_log(server, database: str) -> list[tuple]:
    with cluster(server, database) as db:
        return db.execute(
            sql.SQL("SELECT * FROM {} ORDER BY id").format(
                sql.Identifier(AccessEvent._meta.db_table)
            )
        ).fetchall()


def the_access_log_refuses_a_delete(server, database: str) -> bool:
    with cluster(server, database) as db:
        try:
            db.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(AccessEvent._meta.db_table)))
        except psycopg.errors.RaiseException:
            return True
    return False
