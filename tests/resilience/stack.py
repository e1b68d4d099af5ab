"""The platform as production runs it, for the fault scenarios: gunicorn, Celery workers and beat
as separate processes, on the suite's private PostgreSQL, a private Redis and an SMTP sink.

The test process plans the data (committed, so the processes see it), starts what a scenario
needs, breaks something, and reads what the sink received. Every process runs in a session of
its own, so that `kill -9` reaches the worker and its pool child together, and everything is
stopped when the scenario ends, whatever happened.
"""

import contextlib
import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

import requests
from django.db import connection
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from restart_platform.notifications.models import Reminder
from restart_platform.notifications.tasks import dispatch_due_reminders
from tests.html_forms import form_on
from tests.private_services import MailSink, PrivateRedis, free_port, wait_for_port

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
STOP_TIMEOUT = 15.0
READY_TIMEOUT = 90.0  # a worker or gunicorn starting on a busy machine
POLL = 0.2


def wait_until(condition: Callable[[], bool], *, timeout: float, poll: float = POLL) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(poll)
    return condition()


@dataclass
class Process:
    """One of the platform's processes, with its output in a log file of its own."""

    name: str
    command: list[str]
    env: dict[str, str]
    log: Path
    process: subprocess.Popen | None = None
    starts: int = 0
    offset: int = 0  # where the output of the latest start begins in the log

    def start(self) -> "Process":
        self.starts += 1
        self.offset = self.log.stat().st_size if self.log.exists() else 0
        with self.log.open("ab") as out:
            out.write(f"\n--- start {self.starts} at {time.strftime('%X')}\n".encode())
            out.flush()
            self.process = subprocess.Popen(
                self.command,
                cwd=ROOT,
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        return self

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def latest_text(self) -> str:
        """The output since the latest start."""
        if not self.log.exists():
            return ""
        with self.log.open("rb") as log:
            log.seek(self.offset)
            return log.read().decode(errors="replace")

    def kill(self) -> None:
        """`kill -9` of the process and every process it started (a worker's pool child)."""
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=STOP_TIMEOUT)

    def stop(self) -> None:
        """Asked to stop (SIGTERM, a warm shutdown); past STOP_TIMEOUT, killed."""
        if self.process is None:
            return
        if self.alive:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT)
        self.kill()


@dataclass
class Stack:
    """Processes of one scenario, configured like production but with scaled durations."""

    folder: Path
    var_dir: Path  # VAR_DIR of every process: the collected static files live here
    redis: PrivateRedis
    sink: MailSink
    settings: dict[str, str] = field(default_factory=dict)
    processes: list[Process] = field(default_factory=list)
    web_port: int = field(default_factory=free_port)

    @property
    def env(self) -> dict[str, str]:
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("PYTEST", "DJANGO_SETTINGS"))
        }
        env.update(
            DATABASE_URL=database_url(),
            REDIS_URL=self.redis.url,
            EMAIL_URL=f"smtp://127.0.0.1:{self.sink.port}",
            DEBUG="0",
            HTTPS="0",
            DEMO="0",
            REQUIRE_2FA="0",
            SECRET_KEY=SECRET_KEY,
            VAR_DIR=str(self.var_dir),
            ALLOWED_HOSTS="127.0.0.1,localhost",
            SITE_URL=self.url,
            PYTHONUNBUFFERED="1",
            LOG_LEVEL="INFO",
            **self.settings,
        )
        return env

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.web_port}"

    def _process(self, name: str, command: list[str]) -> Process:
        process = Process(name, command, self.env, self.folder / f"{name}.log")
        self.processes.append(process)
        return process.start()

    def worker(self, name: str = "worker") -> Process:
        return self._process(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "restart_platform",
                "worker",
                "--concurrency",
                "1",
                "--hostname",
                f"{name}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel",
                "INFO",
            ],
        )

    def beat(self, name: str = "beat") -> Process:
        return self._process(
            name,
            [
                str(BIN / "celery"),
                "-A",
                "restart_platform",
                "beat",
                "--loglevel",
                "INFO",
                "--pidfile",
                str(self.folder / f"{name}.pid"),
            ],
        )

    def web(self) -> Process:
        """gunicorn as `make run` starts it: two workers (the README's count for 2 cores)."""
        process = self._process(
            "web",
            [
                str(BIN / "gunicorn"),
                "restart_platform.wsgi",
                "--bind",
                f"127.0.0.1:{self.web_port}",
                "--workers",
                "2",
                "--timeout",
                "30",
            ],
        )
        wait_for_port(self.web_port, timeout=READY_TIMEOUT, what="gunicorn")
        return process

    def wait_ready(self, *workers: Process) -> None:
        for worker in workers:
            if not wait_until(lambda w=worker: " ready." in w.latest_text(), timeout=READY_TIMEOUT):
                raise RuntimeError(f"{worker.name} was not ready:\n{worker.text()[-3000:]}")

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()


SECRET_KEY = secrets.token_urlsafe(64)


def database_url() -> str:
    """The test database on the suite's private cluster, as the processes reach it."""
    settings = connection.settings_dict
    return f"postgres://postgres@127.0.0.1:{settings['PORT']}/{settings['NAME']}"


def collect_static(folder: Path) -> None:
    """What `make run` does before serving: production's manifest of the static files."""
    env = {**os.environ, "VAR_DIR": str(folder), "DEBUG": "0", "SECRET_KEY": SECRET_KEY}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=env,
        check=True,
        timeout=300,
    )


def beat_every(seconds: int) -> None:
    """Beat sends the dispatch trigger every `seconds` instead of every minute."""
    task = PeriodicTask.objects.get(task=dispatch_due_reminders.name)
    task.interval, _ = IntervalSchedule.objects.get_or_create(
        every=seconds, period=IntervalSchedule.SECONDS
    )
    task.save()  # tells a running beat that its schedule changed


# --- What arrived -----------------------------------------------------------------------------


@dataclass
class Delivery:
    """What the sink received for the reminders of a scenario, against their due times."""

    due: dict[int, datetime]
    received: dict[int, int]
    arrivals: dict[int, list[float]]
    flagged: dict[int, int]
    other: int

    @property
    def lost(self) -> list[int]:
        return [pk for pk in self.due if pk not in self.received]

    @property
    def duplicated(self) -> list[int]:
        return [pk for pk, times in self.received.items() if times > 1]

    @property
    def messages(self) -> int:
        return sum(self.received.values()) + self.other

    @property
    def delays(self) -> list[float]:
        """Seconds from each reminder's due time to its first arrival."""
        return [
            self.arrivals[pk][0] - due.timestamp()
            for pk, due in self.due.items()
            if pk in self.arrivals
        ]

    @property
    def max_delay(self) -> float:
        return max(self.delays, default=float("nan"))

    @property
    def median_delay(self) -> float:
        return statistics.median(self.delays) if self.delays else float("nan")

    def last_arrival(self) -> float | None:
        return max((times[-1] for times in self.arrivals.values()), default=None)

    def record(self, figures) -> None:
        figures.add("reminders", len(self.due))
        figures.add("messages received", sum(self.received.values()))
        if self.other:
            figures.add("other messages (e-mails of the people at work)", self.other)
        figures.add("distinct reminders received", len(self.received))
        figures.add("lost", len(self.lost))
        figures.add("duplicated", len(self.duplicated))
        figures.add("delay after due, median (s)", self.median_delay)
        figures.add("delay after due, max (s)", self.max_delay)


def delivery(sink: MailSink, due: dict[int, datetime]) -> Delivery:
    received, other, _first, _last = sink.snapshot()
    with sink._lock:
        arrivals = {pk: list(times) for pk, times in sink.arrivals.items() if pk in due}
        flagged = {pk: n for pk, n in sink.flagged.items() if pk in due}
    return Delivery(
        due=due,
        received={pk: n for pk, n in received.items() if pk in due},
        arrivals=arrivals,
        flagged=flagged,
        other=other + sum(n for pk, n in received.items() if pk not in due),
    )


def wait_for_delivery(
    sink: MailSink, due: dict[int, datetime], *, timeout: float, settle: float = 5.0
) -> Delivery:
    """Wait until every reminder arrived (or `timeout`), then `settle` seconds for late copies."""
    wanted = set(due)
    if wait_until(lambda: wanted <= sink.snapshot()[0].keys(), timeout=timeout, poll=0.5):
        time.sleep(settle)
    return delivery(sink, due)


def due_times(ids: list[int]) -> dict[int, datetime]:
    return dict(Reminder.objects.filter(pk__in=ids).values_list("pk", "due_at"))


def statuses(ids: list[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status in Reminder.objects.filter(pk__in=ids).values_list("status", flat=True):
        counts[status] = counts.get(status, 0) + 1
    return counts


def now_plus(seconds: float) -> datetime:
    return timezone.now() + timedelta(seconds=seconds)


# --- A person at the web server ---------------------------------------------------------------


class Browser:
    """A signed-in person speaking HTTP to the stack's gunicorn, as a browser does."""

    def __init__(self, base: str):
        self.base = base
        self.session = requests.Session()

    def login(self, username: str, password: str) -> None:
        page = self.session.get(f"{self.base}/accounts/login/", timeout=30)
        form = form_on(page.text, has="password")
        if form is None:
            raise RuntimeError(f"no login form at {self.base}: {page.status_code}")
        form.fields.update(username=username, password=password)
        answer = self.session.post(
            f"{self.base}/accounts/login/",
            data=form.fields,
            headers={"Referer": f"{self.base}/accounts/login/"},
            timeout=30,
        )
        if "/accounts/login/" in answer.url:
            raise RuntimeError(f"login as {username} failed: {answer.status_code}")

    def get(self, path: str) -> requests.Response:
        return self.session.get(f"{self.base}{path}", timeout=30, allow_redirects=False)

    def submit(self, path: str, *, has: str, values: dict[str, str]) -> requests.Response:
        """Open the form on `path` and post it with `values`; the answer, not followed."""
        page = self.session.get(f"{self.base}{path}", timeout=30)
        page.raise_for_status()
        form = form_on(page.text, has=has)
        if form is None:
            raise RuntimeError(f"no form with {has!r} on {path}")
        form.fields.update(values)
        action = form.action if form.action.startswith("/") else path
        return self.session.post(
            f"{self.base}{action}",
            data=form.fields,
            headers={"Referer": f"{self.base}{path}"},
            timeout=30,
            allow_redirects=False,
        )
