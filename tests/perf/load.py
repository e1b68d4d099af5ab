"""`make load`: the platform under 50 people at once, served as `make run` serves it.

It builds the page benchmark's invented world (tests/perf/matching_world.py and
tests/perf/pages_world.py) in a private database on the configured server, never in the
developer's own (see `bench_matching.private_database`), gives its accounts a known password,
adds employer contacts with candidates to answer, and starts `make run`'s stack on it
(scripts/serve.py: gunicorn, a Celery worker and beat; DEBUG off, no second factor, plain http
on 127.0.0.1 only). Then locust, headless, lets coordinators, youth workers and employer contacts
work for a few minutes (tests/perf/locustfile.py), and this prints p50, p95 and p99 per page,
the errors and the server errors, and the target of issue 15 (p95 under 500 ms and no server
error) as met or not met per page and overall. It never fails on a missed target. Every process
it starts is stopped at the end, and the database dropped unless --keep.
"""

import datetime as dt
import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import quote, urlsplit, urlunsplit

from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import override_settings
from django.utils import timezone

from employers.models import Contact, Employer
from employers.selectors import employers_visible_to, openings_visible_to
from intake.models import IntakeMeeting
from intake.selectors import intakes_for_list
from matching.models import Share
from matching.selectors.placements import placements_for_list
from restart_platform.accounts.models import User
from youth.models import Consent, ContactMoment
from youth.selectors import youth_visible_to

from .bench_matching import _server_version, private_database
from .bench_pages import WORLD_SIZES
from .bench_pages import Command as PageBenchmark
from .pages_world import build_pages_world

ROOT = Path(__file__).resolve().parents[2]
LOCUSTFILE = Path(__file__).with_name("locustfile.py")
SECTIONS = ("Load test", "World", "Run", "Pages", "Target of issue 15")
TARGET_P95 = 500.0  # milliseconds, per page; and no server error
PASSWORD = "load-test-only-8c2f"  # of the invented accounts, in a database that is dropped
EMPLOYER_ACCOUNTS = 10  # employer contacts, at the employers with the most candidates
IDS_PER_ACCOUNT = 300  # records of each kind an account visits, drawn from what it may see
READY_WITHIN = 180  # seconds for the stack to migrate, collect static files and answer
STOP_WITHIN = 20  # seconds for the stack to stop before it is killed
WAIT = (5.0, 15.0)  # seconds a person reads a page before the next click


class Command(BaseCommand):
    help = (
        "Load test: coordinators, youth workers and employers at once (locust, headless) "
        "against `make run`'s stack over the page benchmark's world, in a private database."
    )

    def add_arguments(self, parser):
        parser.add_argument("--users", type=int, default=50, help="simulated users (50)")
        parser.add_argument(
            "--spawn-rate", type=float, default=2, help="users started per second (2)"
        )
        parser.add_argument("--duration", type=int, default=180, help="seconds of load (180)")
        parser.add_argument(
            "--size",
            type=float,
            default=1.0,
            help="of the page benchmark's world (1.0: 10,000 young people; 0.1 for a quick try)",
        )
        parser.add_argument(
            "--wait",
            type=float,
            nargs=2,
            default=WAIT,
            metavar=("MIN", "MAX"),
            help="seconds a user reads a page before the next click (5 15)",
        )
        parser.add_argument("--port", type=int, default=8765, help="on 127.0.0.1 (8765)")
        parser.add_argument("--seed", type=int, default=1, help="of the invented data (1)")
        parser.add_argument("--keep", action="store_true", help="keep the private database")

    def handle(self, *args, users, spawn_rate, duration, wait, size, port, seed, keep, **options):
        if users < 1 or spawn_rate <= 0 or not 5 <= duration <= 3600 or not 0 < size <= 10:
            raise CommandError(
                "--users at least 1, --spawn-rate above 0, --duration 5 to 3600 seconds, "
                "--size above 0 and at most 10."
            )
        if not 0 <= wait[0] <= wait[1] <= 600:
            raise CommandError("--wait MIN MAX: 0 <= MIN <= MAX <= 600 seconds.")
        if not port_is_free(port):
            raise CommandError(f"Port {port} on 127.0.0.1 is in use; choose another with --port.")
        run = {
            "users": users,
            "spawn_rate": spawn_rate,
            "duration": duration,
            "wait": list(wait),
            "port": port,
        }
        with private_database(keep=keep) as name, override_settings(DEBUG=False):
            self.report(name=name, size=size, seed=seed, run=run)
            self.stdout.write("")
            verb = "Kept" if keep else "Dropped"
            self.stdout.write(f"{verb} the private database {name}.")

    def report(self, *, name, size, seed, run):
        self.heading(SECTIONS[0])
        self.line(f"database     {connection.display_name} {_server_version()}, private: {name}")
        self.line(f"broker       {_without_password(settings.CELERY_BROKER_URL)}")
        self.line(
            f"machine      {os.cpu_count()} cores, load average "
            f"{', '.join(f'{load:.1f}' for load in os.getloadavg())} at the start; "
            f"Python {platform.python_version()}"
        )
        self.line(
            f"stack        scripts/serve.py (`make run`: gunicorn, Celery worker and beat) on "
            f"http://127.0.0.1:{run['port']}/, DEBUG off, REQUIRE_2FA off"
        )
        self.heading(SECTIONS[1])
        started = time.perf_counter()
        counts = build(size=size, seed=seed)
        plan = prepare_accounts()
        if not all(plan.values()):
            empty = ", ".join(kind for kind, accounts in plan.items() if not accounts)
            raise CommandError(f"The world is too small for every kind of user ({empty}): --size.")
        self.line(f"built in {time.perf_counter() - started:.0f} s (seed {seed}, size {size:g}):")
        self.line(", ".join(f"{count:,} {kind}" for kind, count in counts.items()))
        self.line(
            f"accounts     {len(plan['coordinator'])} coordinators, "
            f"{len(plan['youth_worker'])} youth workers, {len(plan['employer'])} employer "
            f"contacts with {sum(len(a['tokens']) for a in plan['employer']):,} candidates"
        )
        logs = Path(settings.VAR_DIR) / "load"
        logs.mkdir(parents=True, exist_ok=True)
        (logs / "plan.json").write_text(json.dumps({**plan, "password": PASSWORD}))
        since = timezone.now()
        results = self.load(run=run, logs=logs)
        self.heading(SECTIONS[2])
        self.run_summary(run, results, logs)
        self.line(f"saved        {written_since(since)}")
        steady_from = logged_in_after(results, run["users"])
        self.line(
            f"logged in    all {run['users']} users after {steady_from:.0f} s; the steady p95 "
            "below counts only the requests after that"
            if steady_from is not None
            else f"logged in    {len(results['logged_in'])} of {run['users']} users"
        )
        rows = page_rows(results, steady_from=steady_from)
        self.heading(SECTIONS[3])
        self.pages(rows)
        self.targets(rows)

    # --- The stack and the load -------------------------------------------------------------

    def load(self, *, run: dict, logs: Path) -> dict:
        results = logs / "results.json"
        results.unlink(missing_ok=True)
        base = f"http://127.0.0.1:{run['port']}"
        with started(
            [sys.executable, "scripts/serve.py"], log=logs / "server.log", env=stack_env(run)
        ) as stack:
            wait_until_ready(f"{base}/accounts/login/", stack, logs / "server.log")
            command = [
                sys.executable,
                "-m",
                "locust",
                "--locustfile",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(run["users"]),
                "--spawn-rate",
                str(run["spawn_rate"]),
                "--run-time",
                f"{run['duration']}s",
                "--stop-timeout",
                "10",
                "--host",
                base,
                "--only-summary",
                "--loglevel",
                "WARNING",
            ]
            env = {
                **os.environ,
                "LOAD_PLAN": str(logs / "plan.json"),
                "LOAD_RESULTS": str(results),
                "LOAD_WAIT": ",".join(f"{seconds:g}" for seconds in run["wait"]),
            }
            # Locust stops itself after --run-time and --stop-timeout; the margin covers
            # spawning and a slow start. After it, locust is stopped like everything else (and
            # writes its results as it quits).
            with (
                started(command, log=logs / "locust.log", env=env) as locust,
                suppress(subprocess.TimeoutExpired),
            ):
                locust.wait(timeout=run["duration"] + 120)
        if not results.exists():
            raise CommandError(f"Locust wrote no results; see {logs / 'locust.log'}.")
        return json.loads(results.read_text())

    # --- Printing ---------------------------------------------------------------------------

    def run_summary(self, run: dict, results: dict, logs: Path) -> None:
        kinds = results["by_kind"]
        total = sum(len(times) for times in results["times"].values())
        errors = sum(sum(counts.values()) for counts in results["failures"].values())
        server = sum(counts.get("5xx", 0) for counts in results["failures"].values())
        low, high = run["wait"]
        self.line(
            f"users        {run['users']}, started at {run['spawn_rate']:g}/s, for "
            f"{run['duration']} s, {low:g} to {high:g} s between clicks"
        )
        self.line(
            "by kind      "
            + ", ".join(f"{label} {kinds.get(kind, 0):,}" for kind, label in KINDS.items())
            + " requests"
        )
        self.line(
            f"requests     {total:,} ({total / run['duration']:.1f}/s), errors {errors:,}, "
            f"of which server errors (5xx) {server:,}"
        )
        for error in results["errors"][:10]:
            self.line(f"error        {error['page']}: {error['error']}")
        self.line(f"logs         {logs}: server.log (the stack), locust.log (its own summary)")

    def pages(self, rows: list[dict]) -> None:
        width = max([len(row["page"]) for row in rows] + [4])
        self.line(
            f"{'page':<{width}} {'requests':>8} {'p50':>7} {'p95':>7} {'p99':>7} "
            f"{'errors':>6} {'5xx':>4}  {'target':<7}  {'steady p95':>10}"
        )
        for row in rows:
            steady = _ms(row["steady_p95"]) if row["steady_p95"] is not None else "-"
            self.line(
                f"{row['page']:<{width}} {row['requests']:>8,} {_ms(row['p50']):>7} "
                f"{_ms(row['p95']):>7} {_ms(row['p99']):>7} {row['errors']:>6} "
                f"{row['server_errors']:>4}  {'met' if row['met'] else 'NOT met':<7}  {steady:>10}"
            )

    def targets(self, rows: list[dict]) -> None:
        self.heading(SECTIONS[4])
        self.line("p95 under 500 ms and no server error, per page")
        missed = [row for row in rows if not row["met"]]
        for row in missed:
            why = []
            if row["p95"] >= TARGET_P95:
                why.append(f"p95 {_ms(row['p95'])}")
            if row["server_errors"]:
                why.append(f"{row['server_errors']} server errors")
            self.line(f"NOT met  {row['page']}: {', '.join(why)}")
        self.line(f"{len(rows) - len(missed)} pages met, {len(missed)} not met")
        self.line(f"overall: {'met' if rows and not missed else 'NOT met'}")

    def heading(self, text: str) -> None:
        self.stdout.write(f"\n{text}\n{'-' * len(text)}")

    def line(self, text: str) -> None:
        self.stdout.write(f"  {text}")


KINDS = {"coordinator": "coordinators", "youth_worker": "youth workers", "employer": "employers"}


# --- The world and its accounts --------------------------------------------------------------


def full_size() -> dict[str, int]:
    """The page benchmark's world, as its options default (ten times the demo)."""
    parser = PageBenchmark().create_parser("python -m tests.perf", "bench_pages")
    options = vars(parser.parse_args([]))
    return {key: options[key] for key in WORLD_SIZES}


def build(*, size: float, seed: int) -> dict[str, int]:
    sizes = {key: max(10, round(count * size)) for key, count in full_size().items()}
    world = build_pages_world(seed=seed, **sizes)
    return world.counts


@transaction.atomic
def prepare_accounts() -> dict[str, list[dict]]:
    """The world's coordinators and youth workers with a known password, employer contacts at
    the employers with the most candidates (whose sharing consent is recorded, as a share
    needs), and what each may visit. Each account weighs as many young people as it sees, so
    the busy cities get the most users."""
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    staff = User.objects.filter(
        username__startswith="bench.", role__in=[User.Role.COORDINATOR, User.Role.YOUTH_WORKER]
    )
    staff.update(password=hashed)
    plan = {"coordinator": [], "youth_worker": [], "employer": []}
    for user in staff.order_by("username"):
        youth = _ids(youth_visible_to(user))
        if not youth:
            continue
        account = {"username": user.username, "weight": len(youth), "youth": _sample(youth)}
        if user.role == User.Role.COORDINATOR:
            account |= {
                "employers": _sample(_ids(employers_visible_to(user))),
                "openings": _sample(_ids(openings_visible_to(user))),
                "placements": _sample(_ids(placements_for_list(user))),
                "intakes": _sample(_ids(intakes_for_list(user))),
            }
            if not all(account.values()):
                continue
        plan[user.role].append(account)
    plan["employer"] = _employer_contacts(hashed)
    return plan


def _employer_contacts(hashed: str) -> list[dict]:
    employers = (
        Employer.objects.annotate(candidates=Count("openings__shares"))
        .filter(candidates__gt=0)
        .order_by("-candidates", "pk")[:EMPLOYER_ACCOUNTS]
    )
    shared = Share.objects.filter(opening__employer__in=list(employers))
    consenting = set(
        Consent.objects.filter(
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS, withdrawn_on__isnull=True
        ).values_list("youth_id", flat=True)
    )
    recorder = User.objects.filter(role=User.Role.COORDINATOR).order_by("pk").first()
    Consent.objects.bulk_create(
        Consent(
            youth_id=youth,
            purpose=Consent.Purpose.SHARE_WITH_EMPLOYERS,
            given_on=timezone.localdate() - dt.timedelta(days=60),
            recorded_by=recorder,
        )
        for youth in set(shared.values_list("youth_id", flat=True)) - consenting
    )
    accounts = []
    for number, employer in enumerate(employers, start=1):
        user = User.objects.create(
            username=f"load.employer{number}", role=User.Role.EMPLOYER_CONTACT, password=hashed
        )
        Contact.objects.create(employer=employer, name=f"Contact {number}", user=user)
        tokens = shared.filter(opening__employer=employer, status=Share.Status.ACTIVE)
        tokens = [str(token) for token in tokens.values_list("token", flat=True)]
        accounts.append({"username": user.username, "weight": 1, "tokens": _sample(tokens)})
    return [account for account in accounts if account["tokens"]]


def _ids(queryset) -> list[int]:
    return list(queryset.order_by("pk").values_list("pk", flat=True))


def _sample(values: list) -> list:
    """Evenly spread over the whole list, so neither the newest nor the oldest rows alone."""
    step = max(1, math.ceil(len(values) / IDS_PER_ACCOUNT))
    return values[::step]


def written_since(since) -> str:
    contacts = ContactMoment.objects.filter(created_at__gte=since).count()
    intakes = IntakeMeeting.objects.filter(created_at__gte=since).count()
    answers = Share.objects.filter(
        answered_at__gte=since, answered_by__username__startswith="load."
    ).count()
    return (
        f"{contacts:,} contact moments, {intakes:,} intakes planned, {answers:,} answers from "
        "employers"
    )


# --- The results ------------------------------------------------------------------------------


def percentile(ordered: list[float], share: float) -> float:
    """Nearest rank: the smallest time that `share` of the requests did not exceed."""
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


def logged_in_after(results: dict, users: int) -> float | None:
    """Seconds from the start until the last user had logged in; None if some never did."""
    logins = results["logged_in"]
    return max(logins) if len(logins) >= users else None


def page_rows(results: dict, *, steady_from: float | None) -> list[dict]:
    """Per page its percentiles over the whole run, and the p95 of the requests that began
    once every user had logged in (the steady state, without the crowd at the door)."""
    rows = []
    for page, times in sorted(results["times"].items(), key=lambda item: item[0].split(" ")[::-1]):
        ordered = sorted(took for _began, took in times)
        steady = sorted(took for began, took in times if steady_from and began >= steady_from)
        failures = results["failures"].get(page, {})
        server_errors = failures.get("5xx", 0)
        p95 = percentile(ordered, 0.95)
        rows.append(
            {
                "page": page,
                "requests": len(ordered),
                "p50": percentile(ordered, 0.50),
                "p95": p95,
                "p99": percentile(ordered, 0.99),
                "steady_p95": percentile(steady, 0.95) if steady else None,
                "errors": sum(failures.values()),
                "server_errors": server_errors,
                "met": p95 < TARGET_P95 and not server_errors,
            }
        )
    return rows


def _without_password(url: str) -> str:
    parts = urlsplit(url)
    if parts.password is None:
        return url
    return urlunsplit(parts._replace(netloc=parts.netloc.replace(f":{parts.password}@", ":***@")))


def _ms(milliseconds: float) -> str:
    return f"{milliseconds:.0f} ms"


# --- Processes ----------------------------------------------------------------------------------


def port_is_free(port: int) -> bool:
    with socket.socket() as sock:
        # As a server binds: a port whose last connections wait out TIME_WAIT is free.
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def database_url() -> str:
    """The private database, for the stack's processes."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    if connection.vendor != "postgresql":
        raise CommandError("The load test runs on PostgreSQL (or SQLite for a quick try).")
    user = quote(db["USER"] or "", safe="")
    password = f":{quote(db['PASSWORD'], safe='')}" if db["PASSWORD"] else ""
    host = db["HOST"] or "127.0.0.1"
    port = f":{db['PORT']}" if db["PORT"] else ""
    return f"postgres://{user}{password}@{host}{port}/{quote(db['NAME'], safe='')}"


def stack_env(run: dict) -> dict[str, str]:
    """`make run`'s environment on the private database: as production (DEBUG off), with the
    demo's plain-http and password-only login, serving 127.0.0.1 alone."""
    address = f"127.0.0.1:{run['port']}"
    env = {key: value for key, value in os.environ.items() if key != "DEBUG"}
    return env | {
        "DATABASE_URL": database_url(),
        "RUN_ADDRESS": address,
        "SITE_URL": f"http://{address}",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DEBUG": "0",
        "DEMO": "0",
        "HTTPS": "0",
        "REQUIRE_2FA": "0",
    }


@contextmanager
def started(command: list[str], *, log: Path, env: dict[str, str]) -> Iterator[subprocess.Popen]:
    """A process in a session of its own, with its output in `log`; when the block ends (or
    fails) it is asked to stop, and then it and everything it started is killed."""
    with log.open("w") as output:
        process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield process
        finally:
            stop(process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        with suppress(subprocess.TimeoutExpired):
            process.wait(timeout=STOP_WITHIN)
    with suppress(ProcessLookupError):  # whatever it started and left behind (its group)
        os.killpg(process.pid, signal.SIGKILL)
    process.wait(timeout=STOP_WITHIN)


def wait_until_ready(url: str, stack: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + READY_WITHIN
    while time.monotonic() < deadline:
        if stack.poll() is not None:
            raise CommandError(f"The stack stopped before it served:\n{_tail(log)}")
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - loopback only
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(1)
    raise CommandError(f"The stack did not answer within {READY_WITHIN} s:\n{_tail(log)}")


def _tail(log: Path, lines: int = 30) -> str:
    return "\n".join(log.read_text(errors="replace").splitlines()[-lines:])
