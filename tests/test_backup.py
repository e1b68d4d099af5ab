"""`make backup` and `make restore` on the embedded default (SQLite): the commands in a process of
their own, on a small database file; the PostgreSQL round trip of a whole world is proved by
`make prove` (tests/resilience/test_backup_restore.py)."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def manage(tmp_path: Path, *args: str, database: str, media: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update(
        DEBUG="1",
        DATABASE_URL=f"sqlite:///{tmp_path / database}",
        MEDIA_ROOT=str(tmp_path / media),
        BACKUP_DIR=str(tmp_path / "backups"),
    )
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def rows(path: Path) -> list[tuple]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT id, name FROM person ORDER BY id").fetchall()


def test_a_sqlite_backup_restores_into_an_empty_database_and_only_there(tmp_path):
    with sqlite3.connect(tmp_path / "live.sqlite3") as db:
        db.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)")
        db.executemany("INSERT INTO person (name) VALUES (?)", [(f"p{i}",) for i in range(50)])
    (tmp_path / "media" / "uploads").mkdir(parents=True)
    (tmp_path / "media" / "uploads" / "cv.pdf").write_bytes(b"%PDF-1.4 a cv")

    backup = manage(tmp_path, "backup", database="live.sqlite3", media="media")
    assert backup.returncode == 0, backup.stderr
    [folder] = (tmp_path / "backups").iterdir()
    assert str(folder) in backup.stdout

    refused = manage(tmp_path, "restore", str(folder), database="live.sqlite3", media="new")
    assert refused.returncode != 0
    assert "is not empty" in refused.stderr

    restored = manage(tmp_path, "restore", str(folder), database="new.sqlite3", media="new")
    assert restored.returncode == 0, restored.stderr
    assert rows(tmp_path / "new.sqlite3") == rows(tmp_path / "live.sqlite3")
    assert (tmp_path / "new" / "uploads" / "cv.pdf").read_bytes() == b"%PDF-1.4 a cv"


def test_a_damaged_backup_is_refused_before_anything_is_restored(tmp_path):
    with sqlite3.connect(tmp_path / "live.sqlite3") as db:
        db.execute("CREATE TABLE person (id INTEGER PRIMARY KEY, name TEXT)")
    assert manage(tmp_path, "backup", database="live.sqlite3", media="media").returncode == 0
    [folder] = (tmp_path / "backups").iterdir()
    with (folder / "database.sqlite3").open("ab") as dump:
        dump.write(b"x")

    refused = manage(tmp_path, "restore", str(folder), database="new.sqlite3", media="new")

    assert refused.returncode != 0
    assert "checksum does not match" in refused.stderr
    assert not (tmp_path / "new.sqlite3").exists()
