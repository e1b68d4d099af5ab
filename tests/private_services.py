"""Servers of a test's own on spare loopback ports: PostgreSQL, Redis and an SMTP sink.

A test that stops, restarts or breaks a service does it to one of these, never to the shared
PostgreSQL and Redis that the rest of the suite (and other work on the machine) uses. Each one
keeps its port across a restart, as a real server does, so that clients reconnect to it.
"""

import email.parser
import email.policy
import glob
import logging
import os
import re
import shutil
import socket
import subprocess
import threading
import time
from collections import Counter
from pathlib import Path

from aiosmtpd.controller import Controller

MESSAGE_ID = re.compile(r"^<reminder-(\d+)@restart-platform>$")
START_TIMEOUT = 30.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, *, timeout: float = START_TIMEOUT, what: str = "server") -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"the private {what} on port {port} did not start in {timeout:.0f} s")


class PrivateRedis:
    """A throwaway Redis on its own port that keeps nothing on disk, so a restart loses its queue."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for_port(self.port, what="Redis")

    def stop(self) -> None:
        if self.running:
            self.process.kill()
            self.process.wait(timeout=10)


def postgres_bindir() -> Path | None:
    """The newest server installed from Debian's packages, or the one on PATH."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=_version_key)
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).parent if initdb else None


def _version_key(path: str) -> int:
    match = re.search(r"/postgresql/(\d+)/", path)
    return int(match[1]) if match else 0


class PrivatePostgres:
    """A PostgreSQL cluster of its own in `folder`, on a spare port, trust auth for `postgres`.

    Built for speed, not safety (fsync off): it lives as long as a test session. Run as root,
    the server runs as the `postgres` user, since PostgreSQL refuses to run as root.
    """

    def __init__(self, folder: Path, port: int | None = None):
        self.bindir = postgres_bindir()
        if self.bindir is None:
            raise RuntimeError("no PostgreSQL server is installed (initdb not found)")
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "server.log"
        self.port = port or free_port()

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres", "postgres")
        self._run(
            str(self.bindir / "initdb"),
            "--pgdata",
            str(self.data),
            "--username",
            "postgres",
            "--auth",
            "trust",
            "--encoding",
            "UTF8",
            "--no-sync",
        )

    def start(self) -> None:
        options = " ".join(
            [
                f"-p {self.port}",
                "-c listen_addresses=127.0.0.1",
                f"-c unix_socket_directories={self.folder}",
                "-c fsync=off",
                "-c synchronous_commit=off",
                "-c full_page_writes=off",
                "-c max_connections=200",
            ]
        )
        self._run(
            str(self.bindir / "pg_ctl"),
            "--pgdata",
            str(self.data),
            "--log",
            str(self.log),
            "--options",
            options,
            "--wait",
            "start",
        )
        wait_for_port(self.port, what="PostgreSQL")

    def stop(self, *, mode: str = "fast") -> None:
        """`fast` ends every connection and stops cleanly; `immediate` is a crash."""
        self._run(
            str(self.bindir / "pg_ctl"),
            "--pgdata",
            str(self.data),
            "--mode",
            mode,
            "--wait",
            "stop",
            check=False,
        )

    @property
    def running(self) -> bool:
        done = self._run(
            str(self.bindir / "pg_ctl"), "--pgdata", str(self.data), "status", check=False
        )
        return done.returncode == 0


class MailSink:
    """An SMTP server on a spare loopback port that counts each message by its reminder id.

    It keeps its port when stopped and started again, as a mail server that was down does, and
    records when each message arrived and whether it said it may be a duplicate.
    """

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.received: Counter[int] = Counter()
        self.arrivals: dict[int, list[float]] = {}  # reminder id -> time.time() of each copy
        self.flagged: Counter[int] = Counter()  # copies that carried the possible-duplicate header
        self.other = 0  # messages without a reminder's Message-ID
        self.first_at: float | None = None
        self.last_at: float | None = None
        self._lock = threading.Lock()
        self._parser = email.parser.BytesHeaderParser(policy=email.policy.default)
        self._controller: Controller | None = None

    @property
    def running(self) -> bool:
        return self._controller is not None

    def start(self) -> None:
        # aiosmtpd logs every session at INFO: thousands of lines in the middle of a report.
        logging.getLogger("mail.log").setLevel(logging.WARNING)
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    async def handle_DATA(self, server, session, envelope) -> str:
        headers = self._parser.parsebytes(envelope.content)
        match = MESSAGE_ID.match(str(headers["Message-ID"] or "").strip())
        arrived = time.monotonic()
        with self._lock:
            if match:
                pk = int(match[1])
                self.received[pk] += 1
                self.arrivals.setdefault(pk, []).append(time.time())
                if headers["X-Restart-Possible-Duplicate"]:
                    self.flagged[pk] += 1
            else:
                self.other += 1
            self.first_at = self.first_at or arrived
            self.last_at = arrived
        return "250 OK"

    def snapshot(self) -> tuple[Counter, int, float | None, float | None]:
        with self._lock:
            return Counter(self.received), self.other, self.first_at, self.last_at
