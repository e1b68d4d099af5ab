"""Backups of the database and the uploaded files, and their restore into an empty database.

`manage.py backup` (`make backup`) writes one folder per backup under BACKUP_DIR:

    restart-<UTC time>/
        database.dump     pg_dump's custom format (PostgreSQL), or database.sqlite3 (SQLite)
        media.tar.gz      every file under MEDIA_ROOT; absent when there is none
        manifest.json     when, from which database, with which client; each file's size and sha256

The folder gets its name only when everything is written, so a backup cut off halfway never
looks like a complete one. `manage.py restore <folder>` (`make restore BACKUP=<folder>`) checks
the sums, then restores into the configured database only when it has no tables yet, and the
files only when MEDIA_ROOT has none: a restore never mixes a backup into live data unless it
is told to (`--force`). Credentials reach pg_dump and pg_restore through the environment
(PGPASSWORD), never through their command line, which every user of the machine can read.
"""

import contextlib
import glob
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.db import connections

MANIFEST = "manifest.json"
MEDIA_ARCHIVE = "media.tar.gz"
DUMP = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
CLIENT_TIMEOUT = 6 * 60 * 60  # a dump or restore that takes longer than this has hung


class BackupError(Exception):
    """A backup or restore that could not be made; the message says why and what to do."""


@dataclass
class Outcome:
    folder: Path
    files: dict[str, int] = field(default_factory=dict)  # name -> bytes
    media_files: int = 0


def create_backup(*, backup_dir: Path, media_root: Path | None, alias: str = "default") -> Outcome:
    """Write a new backup folder under `backup_dir` and return what is in it."""
    connection = connections[alias]
    vendor = _supported_vendor(connection)
    backup_dir.mkdir(parents=True, exist_ok=True)
    started = datetime.now(tz=UTC)
    folder = _free_name(backup_dir, f"restart-{started:%Y%m%d-%H%M%S}")
    partial = backup_dir / f".{folder.name}.partial"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(mode=0o700)  # a backup holds every young person's file: only its owner reads it
    try:
        dump = partial / DUMP[vendor]
        client = (
            _dump_postgresql(connection, dump)
            if vendor == "postgresql"
            else _dump_sqlite(connection, dump)
        )
        media_files = _archive_media(media_root, partial / MEDIA_ARCHIVE)
        files = {path.name: path for path in sorted(partial.iterdir())}
        manifest = {
            "format": 1,
            "created_at": started.isoformat(),
            "engine": vendor,
            "database": str(connection.settings_dict["NAME"]),
            "client": client,
            "media_files": media_files,
            "files": {
                name: {"bytes": path.stat().st_size, "sha256": _sha256(path)}
                for name, path in files.items()
            },
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
        partial.rename(folder)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return Outcome(
        folder=folder,
        files={path.name: path.stat().st_size for path in sorted(folder.iterdir())},
        media_files=media_files,
    )


def restore_backup(
    *, folder: Path, media_root: Path | None, alias: str = "default", force: bool = False
) -> Outcome:
    """Restore the backup in `folder` into the database `alias` and into `media_root`.

    Refuses, before changing anything, when the database has tables or `media_root` has files,
    unless `force`: then the backup's tables replace those of the same name.
    """
    manifest = _checked_manifest(folder)
    connection = connections[alias]
    vendor = _supported_vendor(connection)
    if manifest["engine"] != vendor:
        raise BackupError(
            f"This backup is of a {manifest['engine']} database; the target is {vendor}."
        )
    has_media = (folder / MEDIA_ARCHIVE).exists()
    if not force:
        _refuse_unless_empty(connection, media_root if has_media else None)
    if has_media and media_root is None:
        raise BackupError("The backup holds uploaded files but MEDIA_ROOT is not set.")
    dump = folder / DUMP[vendor]
    if vendor == "postgresql":
        _restore_postgresql(connection, dump, clean=force)
    else:
        _restore_sqlite(connection, dump)
    if has_media:
        media_root.mkdir(parents=True, exist_ok=True)
        with tarfile.open(folder / MEDIA_ARCHIVE, "r:gz") as archive:
            # "data": no absolute paths, no links or devices, nothing outside media_root.
            archive.extractall(media_root, filter="data")
    return Outcome(
        folder=folder,
        files={name: entry["bytes"] for name, entry in manifest["files"].items()},
        media_files=manifest["media_files"] if has_media else 0,
    )


# --- PostgreSQL -----------------------------------------------------------------------------


def _dump_postgresql(connection, dump: Path) -> str:
    pg_dump = postgres_client("pg_dump", at_least=server_major(connection))
    _run_client([str(pg_dump), "--format=custom", "--file", str(dump)], connection.settings_dict)
    return _client_version(pg_dump)


def _restore_postgresql(connection, dump: Path, *, clean: bool) -> None:
    pg_restore = postgres_client("pg_restore", at_least=server_major(connection))
    connection.close()  # pg_restore --clean would wait for our own open transaction's locks
    command = [
        str(pg_restore),
        # The tables belong to the user who restores (the one in DATABASE_URL), whoever owned
        # them on the server the backup came from.
        "--no-owner",
        "--no-privileges",
        "--exit-on-error",
        # All or nothing: a restore that fails halfway leaves the database as it found it.
        "--single-transaction",
        *(["--clean", "--if-exists"] if clean else []),
        "--dbname",
        _conninfo(dbname=connection.settings_dict["NAME"]),
        str(dump),
    ]
    _run_client(command, connection.settings_dict)


def server_major(connection) -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def postgres_client(name: str, *, at_least: int) -> Path:
    """The newest `name` (pg_dump, pg_restore) installed: PG_BINDIR's, Debian's, or on PATH.

    pg_dump refuses a server newer than itself, and pg_restore may not read the dump of a
    newer pg_dump, so both must be at least the server's major version.
    """
    if os.environ.get("PG_BINDIR"):
        candidates = [Path(os.environ["PG_BINDIR"]) / name]
    else:
        candidates = [Path(path) for path in glob.glob(f"/usr/lib/postgresql/*/bin/{name}")]
        on_path = shutil.which(name)
        if on_path:
            candidates.append(Path(on_path))
    versions = {path: _major(_client_version(path)) for path in candidates if path.is_file()}
    if not versions:
        raise BackupError(
            f"{name} was not found. Install PostgreSQL's client programs (Debian: "
            f"postgresql-client-{at_least}) or set PG_BINDIR to the folder that holds them."
        )
    newest = max(versions, key=versions.get)
    if versions[newest] < at_least:
        raise BackupError(
            f"{newest} is version {versions[newest]}, older than the server (version "
            f"{at_least}). Install postgresql-client-{at_least} or set PG_BINDIR."
        )
    return newest


def _client_version(path: Path) -> str:
    done = subprocess.run(  # noqa: S603 - a fixed argument list, no shell
        [str(path), "--version"], capture_output=True, text=True, timeout=30, check=True
    )
    return done.stdout.strip()


def _major(version: str) -> int:
    match = re.search(r"\)\s*(\d+)", version)  # "pg_dump (PostgreSQL) 15.20 (Debian ...)"
    return int(match[1]) if match else 0


def _run_client(command: list[str], settings_dict: dict) -> None:
    try:
        subprocess.run(  # noqa: S603 - a list of our own arguments, no shell
            command,
            env=_libpq_env(settings_dict),
            capture_output=True,
            text=True,
            timeout=CLIENT_TIMEOUT,
            check=True,
        )
    except subprocess.CalledProcessError as error:
        raise BackupError(
            f"{Path(command[0]).name} failed (exit code {error.returncode}):\n{error.stderr.strip()}"
        ) from error


def _libpq_env(settings_dict: dict) -> dict[str, str]:
    """The connection of `settings_dict` as libpq's environment variables, password included."""
    # What settings leave out (PGSSLROOTCERT, PGSERVICEFILE, ...) libpq reads from the process's
    # environment, as Django's own connection does.
    env = dict(os.environ)
    values = {
        "PGHOST": settings_dict.get("HOST"),
        "PGPORT": settings_dict.get("PORT"),
        "PGUSER": settings_dict.get("USER"),
        "PGPASSWORD": settings_dict.get("PASSWORD"),
        "PGDATABASE": settings_dict.get("NAME"),
    }
    options = settings_dict.get("OPTIONS") or {}
    for option in ("sslmode", "sslrootcert", "sslcert", "sslkey"):
        values[f"PG{option.upper()}"] = options.get(option)
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def _conninfo(**params: str) -> str:
    """A libpq connection string whose values are quoted, whatever characters they hold."""

    def quoted(value: str) -> str:
        return "'" + str(value).replace("\\", "\\\\").replace("'", "\\'") + "'"

    return " ".join(f"{key}={quoted(value)}" for key, value in params.items())


# --- SQLite (the embedded default) ------------------------------------------------------------


def _dump_sqlite(connection, dump: Path) -> str:
    # SQLite's online backup copies a consistent snapshot while the web server keeps writing.
    source = sqlite3.connect(connection.settings_dict["NAME"])
    with contextlib.closing(source), contextlib.closing(sqlite3.connect(dump)) as target:
        source.backup(target)
    return f"sqlite3 {sqlite3.sqlite_version}"


def _restore_sqlite(connection, dump: Path) -> None:
    connection.close()
    target = sqlite3.connect(connection.settings_dict["NAME"])
    with contextlib.closing(sqlite3.connect(dump)) as source, contextlib.closing(target):
        source.backup(target)


# --- Shared ---------------------------------------------------------------------------------


def _supported_vendor(connection) -> str:
    if connection.vendor not in DUMP:
        raise BackupError(
            f"Backups support PostgreSQL and SQLite; this database is {connection.vendor}."
        )
    return connection.vendor


def _refuse_unless_empty(connection, media_root: Path | None) -> None:
    try:
        tables = connection.introspection.table_names()
    except Exception as error:
        raise BackupError(
            f"Cannot open the target database {connection.settings_dict['NAME']!r}: {error}\n"
            "Create it first (empty), e.g. `createdb <name>`."
        ) from error
    if tables:
        raise BackupError(
            f"The target database {connection.settings_dict['NAME']!r} is not empty: it has "
            f"{len(tables)} tables. Restore into a new, empty database, or pass --force "
            "(make restore FORCE=1) to replace its tables with the backup's."
        )
    if media_root is not None and media_root.is_dir() and any(media_root.rglob("*")):
        raise BackupError(
            f"MEDIA_ROOT ({media_root}) already holds files. Restore into an empty folder, "
            "or pass --force (make restore FORCE=1) to write the backup's files over them."
        )


def _archive_media(media_root: Path | None, archive: Path) -> int:
    if media_root is None or not media_root.is_dir():
        return 0
    files = sorted(path for path in media_root.rglob("*") if path.is_file())
    if not files:
        return 0
    with tarfile.open(archive, "w:gz") as tar:
        for path in files:
            tar.add(path, arcname=str(path.relative_to(media_root)), recursive=False)
    return len(files)


def _checked_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{folder} is not a backup: its {MANIFEST} cannot be read.") from error
    for name, entry in manifest["files"].items():
        path = folder / name
        if not path.is_file() or _sha256(path) != entry["sha256"]:
            raise BackupError(f"{path} is missing or damaged: its checksum does not match.")
    return manifest


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1024 * 1024), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _free_name(parent: Path, name: str) -> Path:
    candidate, number = parent / name, 1
    while candidate.exists():
        number += 1
        candidate = parent / f"{name}-{number}"
    return candidate
