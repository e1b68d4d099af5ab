"""`make bench-reminders`: how fast a morning's worth of due reminders leaves the outbox.

It plans --reminders reminders due at once, the way `youth.services` plans its "no contact for
30 days" reminder (a young person as the record, their youth worker as the recipient role), in a
private database on the configured server (see `bench_matching.private_database`), dropped at
the end unless --keep. Then it starts --workers real `celery worker` processes, each with
--concurrency 1, on the configured broker, sends them the dispatch trigger on beat's schedule
(the periodic task in the database: every minute, the first at once), and lets them deliver by
SMTP to a sink on a spare loopback port that counts each message by the reminder id in its
Message-ID. It prints the rate, the time until the last message arrived, the reminders lost and
those received twice, and the target of issue 15 as met or not met. It never fails on a missed
target: it measures and prints.
"""

import contextlib
import os
import platform
import re
import secrets
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from kombu import Exchange, Queue

from restart_platform.accounts.models import City, User
from restart_platform.celery import app as celery_app
from restart_platform.notifications.models import Reminder
from restart_platform.notifications.tasks import dispatch_due_reminders
from tests.private_services import MailSink
from youth.models import YoungPerson
from youth.services import NO_CONTACT_KIND

from .bench_matching import _seconds, _server_version, private_database

SECTIONS = ("Reminder benchmark", "Data", "Delivery", "Target of issue 15")
TARGET_SECONDS = 120.0  # every reminder delivered within two minutes of the first trigger
CASELOAD = 40  # young people per youth worker
BATCH = 1000
ROOT = Path(__file__).resolve().parents[2]
WORKER_READY_TIMEOUT = 90.0  # seconds for a worker to start on a busy machine
WORKER_STOP_TIMEOUT = 15.0
SETTLE = 3.0  # seconds to wait after the last expected message, for late duplicates
POLL = 0.1


# --- The workers ------------------------------------------------------------------------------


@dataclass
class Worker:
    number: int
    process: subprocess.Popen
    log: Path

    def text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    @property
    def ready(self) -> bool:
        return " ready." in self.text()

    @property
    def alive(self) -> bool:
        return self.process.poll() is None

    def dispatches(self) -> list[tuple[float, int]]:
        """(seconds, reminders sent) of each dispatch run this worker finished."""
        runs = re.findall(
            r"dispatch_due_reminders\[[^]]+\] succeeded in ([\d.]+)s: (\d+)", self.text()
        )
        return [(float(seconds), int(sent)) for seconds, sent in runs]


def start_workers(
    workers: list[Worker], count: int, *, env: dict[str, str], queue: str, folder: Path
) -> None:
    """Start `count` workers into `workers`, so that the caller can stop those that started
    even when a later one fails to."""
    for number in range(1, count + 1):
        log = folder / f"worker-{number}.log"
        command = [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "restart_platform",
            "worker",
            "--concurrency",
            "1",
            "--queues",
            queue,
            "--hostname",
            f"bench-reminders-{number}-{os.getpid()}@%h",
            # Gossip, mingle and heartbeats talk to every worker on the broker, others' too.
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "--loglevel",
            "INFO",
        ]
        with log.open("wb") as out:
            # A session of its own: the worker and its pool child form one process group,
            # which stop_workers can end whole, and Ctrl-C reaches the benchmark alone.
            process = subprocess.Popen(
                command,
                cwd=ROOT,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        workers.append(Worker(number=number, process=process, log=log))


def stop_workers(workers: list[Worker]) -> None:
    """A warm shutdown (the dispatch run in progress finishes); past WORKER_STOP_TIMEOUT, as
    when the time limit came in the middle of a backlog, the worker's process group is killed."""
    for worker in workers:
        if worker.alive:
            worker.process.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + WORKER_STOP_TIMEOUT
    for worker in workers:
        with contextlib.suppress(subprocess.TimeoutExpired):
            worker.process.wait(timeout=max(0.1, deadline - time.monotonic()))
        # The group outlives its leader while the pool child runs on: end it too.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker.process.pid, signal.SIGKILL)
        worker.process.wait(timeout=WORKER_STOP_TIMEOUT)


def worker_environment(*, sink_port: int) -> dict[str, str]:
    """The private database, the configured broker and the sink; DEBUG off as in production."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=_database_url(connection.settings_dict),
        EMAIL_URL=f"smtp://127.0.0.1:{sink_port}",
        DEBUG="0",
        HTTPS="0",
        DEMO="0",
        PYTHONUNBUFFERED="1",
    )
    if len(env.get("SECRET_KEY", "")) < 50 or env["SECRET_KEY"].startswith("django-insecure"):
        env["SECRET_KEY"] = secrets.token_urlsafe(64)
    if settings.REDIS_URL:
        env["REDIS_URL"] = settings.REDIS_URL
    else:
        env.pop("REDIS_URL", None)  # the file-system broker, as the benchmark itself uses
    return env


def _database_url(settings_dict: dict) -> str:
    if connection.vendor == "sqlite":
        return f"sqlite:///{Path(settings_dict['NAME']).resolve()}"
    if connection.vendor != "postgresql":
        raise CommandError("The reminder benchmark runs on PostgreSQL or SQLite.")
    user = quote(settings_dict.get("USER") or "", safe="")
    password = quote(settings_dict.get("PASSWORD") or "", safe="")
    login = f"{user}:{password}@" if password else (f"{user}@" if user else "")
    host = settings_dict.get("HOST") or "localhost"
    port = f":{settings_dict['PORT']}" if settings_dict.get("PORT") else ""
    return f"postgres://{login}{host}{port}/{quote(settings_dict['NAME'], safe='')}"


# --- The reminders ----------------------------------------------------------------------------


@transaction.atomic
def plan_due_reminders(
    count: int,
    *,
    first_due: datetime | None = None,
    spread: timedelta = timedelta(0),
    prefix: str = "bench",
) -> list[int]:
    """`count` young people, each with a "no contact" reminder, stored as
    `youth.services._plan_no_contact_reminder` stores it; their ids. All are due at
    `first_due` (now), or one after another over `spread` from then on."""
    today = timezone.localdate()
    cities = list(City.objects.order_by("pk")[:2])
    unusable = make_password(None)
    youth_workers = User.objects.bulk_create(
        User(
            username=f"{prefix}.jw.{n}",
            first_name=f"Jongerenwerker {n}",
            email=f"{prefix}.jw.{n}@restart.example",
            role=User.Role.YOUTH_WORKER,
            password=unusable,
        )
        for n in range(max(2, -(-count // CASELOAD)))
    )
    people = YoungPerson.objects.bulk_create(
        (
            YoungPerson(
                first_name=f"Jongere {n}",
                last_name="Bench",
                date_of_birth=today.replace(year=today.year - 19, day=1),
                city=cities[n % len(cities)],
                youth_worker=youth_workers[n // CASELOAD],
                referred_by=YoungPerson.Referral.values[0],
            )
            for n in range(count)
        ),
        batch_size=BATCH,
    )
    first_due = first_due or timezone.now()
    content_type = ContentType.objects.get_for_model(YoungPerson)
    reminders = Reminder.objects.bulk_create(
        (
            Reminder(
                key=f"{NO_CONTACT_KIND}:{person.pk}",
                kind=NO_CONTACT_KIND,
                due_at=(due := first_due + spread * n / count),
                next_attempt_at=due,
                recipient_role="youth_worker",
                city_id=person.city_id,
                content_type=content_type,
                object_id=str(person.pk),
            )
            for n, person in enumerate(people)
        ),
        batch_size=BATCH,
    )
    return [reminder.pk for reminder in reminders]


# --- The run ----------------------------------------------------------------------------------


@dataclass
class Outcome:
    """What the sink received for the reminders planned, against the clock of the first trigger."""

    expected: list[int]
    received: Counter
    other: int
    first: float | None  # seconds from the first trigger to the first message
    last: float | None  # ... to the last message
    triggers: int
    timed_out: bool
    statuses: dict[str, int] = field(default_factory=dict)

    @property
    def lost(self) -> list[int]:
        return [pk for pk in self.expected if pk not in self.received]

    @property
    def duplicated(self) -> list[int]:
        return [pk for pk, times in self.received.items() if times > 1]

    @property
    def messages(self) -> int:
        return sum(self.received.values()) + self.other

    @property
    def rate(self) -> float:
        return self.messages / self.last if self.last else 0.0

    @property
    def target_met(self) -> bool:
        return (
            not self.lost
            and not self.duplicated
            and self.last is not None
            and self.last <= TARGET_SECONDS
        )


def beat_schedule() -> tuple[float, float | None]:
    """How often beat sends the dispatch trigger, and after how long an unread one expires."""
    task = PeriodicTask.objects.select_related("interval").get(task=dispatch_due_reminders.name)
    interval = task.interval.schedule.run_every.total_seconds()
    return interval, float(task.expire_seconds) if task.expire_seconds else None


class Command(BaseCommand):
    help = (
        "Deliver many reminders due at once through real Celery workers to a local SMTP sink, "
        "in a private database (<name>_bench on the configured server)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--reminders", type=int, default=10_000, help="due at once (10,000)")
        parser.add_argument("--workers", type=int, default=2, help="celery worker processes (2)")
        parser.add_argument(
            "--time-limit",
            type=float,
            default=300.0,
            help="seconds after the first trigger to stop waiting and report what arrived (300)",
        )
        parser.add_argument(
            "--keep", action="store_true", help="keep the private database afterwards"
        )

    def handle(self, *args, reminders, workers, time_limit, keep, **options):
        if reminders < 1 or workers < 1 or time_limit <= 0:
            raise CommandError("--reminders, --workers and --time-limit must be above 0.")
        self.outcome: Outcome | None = None
        with private_database(keep=keep) as name, override_settings(DEBUG=False):
            self.report(name=name, reminders=reminders, workers=workers, time_limit=time_limit)
            self.stdout.write("")
            verb = "Kept" if keep else "Dropped"
            self.stdout.write(f"{verb} the private database {name}.")

    def report(self, *, name, reminders, workers, time_limit):
        self.heading(SECTIONS[0])
        self.line(f"database     {connection.display_name} {_server_version()}, private: {name}")
        broker = settings.REDIS_URL or "the file-system broker"
        self.line(f"broker       {broker}")
        self.line(
            f"machine      {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the "
            f"start; Python {platform.python_version()}"
        )
        self.heading(SECTIONS[1])
        started = time.perf_counter()
        expected = plan_due_reminders(reminders)
        self.line(
            f"planned      {len(expected):,} reminders due now ({NO_CONTACT_KIND}, each about "
            f"its own young person, to the youth worker), in {_seconds(time.perf_counter() - started)}"
        )
        self.outcome = self.deliver(expected, workers=workers, time_limit=time_limit)
        self.delivery(self.outcome, workers=workers)
        self.target(self.outcome)

    def deliver(self, expected: list[int], *, workers: int, time_limit: float) -> Outcome:
        interval, expires = beat_schedule()
        # A queue of this run alone: a worker of `make run` on the same broker never takes its
        # triggers, and these workers never take that one's tasks.
        name = f"bench_reminders_{os.getpid()}"
        queue = Queue(name, Exchange(name), routing_key=name)
        sink = self.sink = MailSink()
        running: list[Worker] = []
        folder = tempfile.TemporaryDirectory(prefix="bench-reminders-")
        # Undone in reverse, each step even when one before it failed: whatever is still due
        # is cancelled (the run is over; a dispatch in progress ends after its batch and acks
        # its trigger), then the workers stop, then the sink, the queue and the logs go.
        with folder, contextlib.ExitStack() as cleanup:
            cleanup.callback(_delete_queue, queue)
            sink.start()
            cleanup.callback(sink.stop)
            cleanup.callback(stop_workers, running)
            env = worker_environment(sink_port=sink.port)
            start_workers(running, workers, env=env, queue=queue.name, folder=Path(folder.name))
            cleanup.callback(_cancel_what_is_still_due)
            self.wait_until_ready(running)

            def trigger():  # as beat sends it: one message, which one free worker takes
                dispatch_due_reminders.apply_async(queue=queue.name, expires=expires)

            outcome = self.wait_for_mail(
                sink,
                expected,
                trigger=trigger,
                interval=interval,
                time_limit=time_limit,
                workers=running,
            )
            cleanup.close()
            # Read once they stopped: a warm shutdown lets a dispatch run finish and log.
            self.dispatches = [worker.dispatches() for worker in running]
        return outcome

    def wait_until_ready(self, workers: list[Worker]) -> None:
        deadline = time.monotonic() + WORKER_READY_TIMEOUT
        while time.monotonic() < deadline:
            if all(worker.ready for worker in workers):
                return
            if dead := [worker for worker in workers if not worker.alive]:
                raise CommandError(f"A worker stopped while starting:\n{dead[0].text()[-3000:]}")
            time.sleep(POLL)
        raise CommandError(f"The workers were not ready within {WORKER_READY_TIMEOUT:.0f} s.")

    def wait_for_mail(self, sink, expected, *, trigger, interval, time_limit, workers) -> Outcome:
        wanted = set(expected)
        started = time.monotonic()
        trigger()
        triggers, next_tick = 1, started + interval
        complete_at = None
        while (now := time.monotonic()) < started + time_limit:
            received, *_ = sink.snapshot()
            if complete_at is None and wanted <= received.keys():
                complete_at = now
            if complete_at is not None and now - complete_at >= SETTLE:
                break
            if not any(worker.alive for worker in workers):
                break
            if now >= next_tick:
                trigger()
                triggers, next_tick = triggers + 1, next_tick + interval
            time.sleep(POLL)
        received, other, first_at, last_at = sink.snapshot()
        return Outcome(
            expected=expected,
            received=Counter({pk: n for pk, n in received.items() if pk in wanted}),
            other=other + sum(n for pk, n in received.items() if pk not in wanted),
            first=first_at - started if first_at else None,
            last=last_at - started if last_at else None,
            triggers=triggers,
            timed_out=complete_at is None,
            statuses=dict(
                Reminder.objects.filter(pk__in=expected)
                .values_list("status")
                .annotate(count=Count("pk"))
                .order_by()
            ),
        )

    # --- Sections ---------------------------------------------------------------------------

    def delivery(self, outcome: Outcome, *, workers: int) -> None:
        self.heading(SECTIONS[2])
        interval, _expires = beat_schedule()
        self.line(
            f"workers      {workers} x `celery -A restart_platform worker --concurrency 1`; the "
            f"dispatch trigger sent as beat sends it, every {interval:.0f} s from 0 s "
            f"({outcome.triggers} sent)"
        )
        self.line(f"first        {_at(outcome.first)} after the first trigger")
        self.line(f"last         {_at(outcome.last)} after the first trigger")
        self.line(f"rate         {outcome.rate:,.1f} messages/s (all received / time of the last)")
        self.line(
            f"received     {outcome.messages:,} messages for {len(outcome.expected):,} "
            f"reminders: {len(outcome.received):,} reminders at least once"
            + (f", {outcome.other:,} other messages" if outcome.other else "")
        )
        self.line(f"lost         {len(outcome.lost):,} (not received by the end of the run)")
        self.line(f"duplicated   {len(outcome.duplicated):,} (received more than once)")
        statuses = ", ".join(f"{status} {n:,}" for status, n in sorted(outcome.statuses.items()))
        self.line(f"outbox       {statuses}")
        for number, runs in enumerate(self.dispatches, start=1):
            done = ", ".join(f"{sent:,} in {_seconds(seconds)}" for seconds, sent in runs)
            self.line(f"worker {number}     dispatch runs: {done or 'none finished'}")
        if outcome.timed_out:
            self.line("stopped      at the time limit, before every reminder had arrived")

    def target(self, outcome: Outcome) -> None:
        self.heading(SECTIONS[3])
        verdict = "met    " if outcome.target_met else "NOT met"
        self.line(
            f"{verdict}  all {len(outcome.expected):,} within {TARGET_SECONDS / 60:.0f} minutes, "
            f"none lost, none twice: last after {_at(outcome.last)}, "
            f"{len(outcome.lost):,} lost, {len(outcome.duplicated):,} twice"
        )
        self.line(
            f"(load average {os.getloadavg()[0]:.1f} at the end: other work on the machine "
            f"slows every figure)"
        )

    def heading(self, text: str) -> None:
        self.stdout.write("")
        self.stdout.write(text)
        self.stdout.write("-" * len(text))

    def line(self, text: str) -> None:
        self.stdout.write(f"  {text}")


def _at(seconds: float | None) -> str:
    return "-" if seconds is None else _seconds(seconds)


def _cancel_what_is_still_due() -> None:
    Reminder.objects.filter(status=Reminder.Status.PENDING).update(status=Reminder.Status.CANCELLED)


def _delete_queue(queue: Queue) -> None:
    """The private queue goes with the run; a trigger still in it would otherwise stay."""
    with celery_app.connection_for_write() as conn:
        bound = queue.bind(conn.default_channel)
        bound.declare()  # a fresh channel deletes only the bindings it knows of
        bound.purge()
        bound.delete()
    # The file-system broker keeps a table per exchange; this one's is empty now.
    control = (celery_app.conf.broker_transport_options or {}).get("control_folder")
    if control:
        (Path(control) / f"{queue.exchange.name}.exchange").unlink(missing_ok=True)
