"""Reminders under real faults: real Celery workers and beat (and gunicorn where people are at
work), the suite's private PostgreSQL, a private Redis and an SMTP sink that counts every
message by its reminder id.

Durations are production's divided by SCALE (ten): beat's trigger every 6 s instead of every
minute, the mail retries 6, 12, 24 ... s apart instead of 1, 2, 4 ... minutes, a worker's lost
claim given back after 60 s instead of 10 minutes; the mail server's outage is one minute
instead of ten. Each property is the same at either scale: the ratios between outage, backoff,
claim and beat are kept. The Redis and PostgreSQL outages keep their full 60 seconds.
"""

import datetime as dt
import itertools
import random
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.utils import timezone

from restart_platform.accounts.factories import (
    DEMO_PASSWORD,
    CoordinatorFactory,
    OrganisationFactory,
    YouthWorkerFactory,
)
from restart_platform.accounts.factories import city as city_named
from restart_platform.notifications.models import Reminder
from tests.perf.bench_reminders import plan_due_reminders
from tests.private_services import MailSink, PrivateRedis
from youth.factories import YoungPersonFactory

from .stack import (
    Browser,
    Stack,
    beat_every,
    collect_static,
    due_times,
    now_plus,
    statuses,
    wait_for_delivery,
    wait_until,
)

pytestmark = pytest.mark.django_db(transaction=True)

SCALE = 10
BEAT_SECONDS = 60 // SCALE
SCALED = {
    "REMINDER_RETRY_BASE_SECONDS": str(60 / SCALE),
    "REMINDER_RETRY_MAX_SECONDS": str(30 * 60 / SCALE),
    "REMINDER_STALE_CLAIM_SECONDS": str(10 * 60 / SCALE),
    "REMINDER_STUCK_AFTER_SECONDS": str(5 * 60 / SCALE),
}
ON_TIME = 120.0  # seconds after its due time by which a reminder must have arrived
REMINDERS = 1000
SPREAD = timedelta(minutes=2)  # "due over a few minutes", scaled with the rest
OUTAGE = 60.0  # seconds Redis or PostgreSQL is away (full length, not scaled)
BACKLOG_OUT = 300.0  # seconds after Redis returns by which the backlog must be out


@pytest.fixture(scope="session")
def var_dir(tmp_path_factory):
    folder = tmp_path_factory.mktemp("prove-var")
    collect_static(folder)
    return folder


@pytest.fixture
def stack(transactional_db, var_dir, tmp_path):
    redis, sink = PrivateRedis(), MailSink()
    redis.start()
    sink.start()
    beat_every(BEAT_SECONDS)
    running = Stack(folder=tmp_path, var_dir=var_dir, redis=redis, sink=sink, settings=SCALED)
    try:
        yield running
    finally:
        running.stop()
        sink.stop()
        redis.stop()
        connection.close()  # a scenario may have restarted the server under this connection


def plan(prefix: str, count: int = REMINDERS, *, first_in: float = 20.0, spread=SPREAD):
    """`count` reminders, the first due in `first_in` seconds, the rest over `spread`."""
    ids = plan_due_reminders(count, first_due=now_plus(first_in), spread=spread, prefix=prefix)
    return due_times(ids)


def assert_each_once(result) -> None:
    assert result.lost == []
    assert result.duplicated == []
    assert sum(result.received.values()) == len(result.due)


def test_normal_running_delivers_each_reminder_once_and_on_time(stack, figures):
    due = plan("normal")
    worker = stack.worker()
    stack.beat()
    stack.wait_ready(worker)

    result = wait_for_delivery(stack.sink, due, timeout=SPREAD.total_seconds() + 20 + ON_TIME + 60)

    result.record(figures)
    assert_each_once(result)
    assert result.max_delay <= ON_TIME
    assert statuses(list(due)) == {Reminder.Status.SENT: len(due)}


def test_two_beats_at_once_send_no_reminder_twice(stack, figures):
    due = plan("beats", 500, spread=timedelta(minutes=1))
    workers = [stack.worker("worker1"), stack.worker("worker2")]
    beats = [stack.beat("beat1"), stack.beat("beat2")]
    stack.wait_ready(*workers)

    result = wait_for_delivery(stack.sink, due, timeout=60 + 20 + ON_TIME + 60)

    sent_by_beat = [beat.text().count("Sending due task") for beat in beats]
    result.record(figures)
    figures.add("triggers sent by each beat", ", ".join(map(str, sent_by_beat)))
    assert all(beat.alive for beat in beats)
    assert min(sent_by_beat) >= 5  # both were at work all along
    assert_each_once(result)
    assert result.max_delay <= ON_TIME


# --- People at work while the faults happen --------------------------------------------------


def signed_in(stack: Stack, user) -> Browser:
    """Signed in at the stack's gunicorn, which checks passwords with production's hashers (the
    test process stores them with a fast one that production does not accept)."""
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(DEMO_PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    browser = Browser(stack.url)
    browser.login(user.username, DEMO_PASSWORD)
    return browser


class IntakesBeingSaved:
    """A youth worker plans an intake every second through the real form, until stopped;
    every answer that is not the redirect of a saved intake is kept as a failure."""

    def __init__(self, browser: Browser, youth_id: int):
        self.browser, self.youth_id = browser, youth_id
        self.saved, self.failures = 0, []
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join(timeout=60)

    def _run(self):
        n = 0
        while not self._stop.is_set():
            n += 1
            day = timezone.localdate() + dt.timedelta(days=2 + n % 20)
            try:
                answer = self.browser.submit(
                    f"/intake/new/?youth={self.youth_id}",
                    has="place",
                    values={"date": day.isoformat(), "time": "10:30", "place": f"Buurthuis {n}"},
                )
            except Exception as exc:  # a refused or broken connection is a failed request too
                self.failures.append(f"{type(exc).__name__}: {exc}")
            else:
                if answer.status_code == 302 and "/intake/" in answer.headers.get("Location", ""):
                    self.saved += 1
                else:
                    self.failures.append(f"HTTP {answer.status_code}")
            self._stop.wait(1.0)


def youth_worker_with_a_young_person():
    rotterdam = city_named("rotterdam")
    worker = YouthWorkerFactory(
        username="prove.jw",
        organisation=OrganisationFactory(name="Jongerenwerk Proef", city=rotterdam),
        email="prove.jw@restart.example",
    )
    return worker, YoungPersonFactory(youth_worker=worker)


def test_redis_stopped_for_a_minute_loses_nothing_and_fails_no_request(
    stack, private_postgres, figures
):
    worker_user, youth = youth_worker_with_a_young_person()
    due = plan("redis", 600, first_in=10.0, spread=timedelta(minutes=1))
    worker = stack.worker()
    stack.beat()
    stack.web()
    stack.wait_ready(worker)
    browser = signed_in(stack, worker_user)

    with IntakesBeingSaved(browser, youth.pk) as intakes:
        time.sleep(15)
        stack.redis.stop()
        time.sleep(OUTAGE)
        stack.redis.start()
        back = time.time()
        time.sleep(10)

    result = wait_for_delivery(stack.sink, due, timeout=BACKLOG_OUT)
    backlog_out = (result.last_arrival() or float("inf")) - back
    result.record(figures)
    figures.add("intakes saved (one a second, outage included)", intakes.saved)
    figures.add("requests failed", len(intakes.failures))
    figures.add("backlog out, seconds after Redis returned", backlog_out)
    assert intakes.failures == []
    assert intakes.saved >= OUTAGE
    assert_each_once(result)
    assert backlog_out <= BACKLOG_OUT


def healthz(stack: Stack) -> tuple[int, dict]:
    answer = Browser(stack.url).get("/healthz")
    return answer.status_code, answer.json()


def test_redis_restarted_three_times_in_ten_seconds_and_healthz_tells_a_stall(stack, figures):
    due = plan("restarts", 300, first_in=10.0, spread=timedelta(minutes=1))
    worker = stack.worker()
    stack.beat()
    stack.web()
    stack.wait_ready(worker)

    time.sleep(20)  # in the middle of the flow
    started = time.monotonic()
    for _ in range(3):
        stack.redis.stop()
        time.sleep(1.0)
        stack.redis.start()
        time.sleep(1.5)
    restarts_took = time.monotonic() - started

    result = wait_for_delivery(stack.sink, due, timeout=60 + ON_TIME + 60)
    result.record(figures)
    figures.add("three restarts took (s)", restarts_took)
    assert restarts_took <= 10
    assert_each_once(result)
    assert result.max_delay <= ON_TIME
    flowing = healthz(stack)
    assert flowing[0] == 200, flowing

    # Now reminders stop flowing: the worker is gone. /healthz must say so.
    worker.kill()
    stalled = plan("stalled", 5, first_in=0.0, spread=timedelta(0))
    stuck_after = float(SCALED["REMINDER_STUCK_AFTER_SECONDS"])
    began = time.monotonic()
    assert wait_until(lambda: healthz(stack)[0] == 503, timeout=stuck_after + 90, poll=2.0)
    told_after = time.monotonic() - began
    status, body = healthz(stack)
    figures.add("healthz with reminders flowing", flowing[0])
    figures.add("healthz with the worker gone", f"{status} {body}")
    figures.add("stall reported after (s)", told_after)
    assert body["reminders"] == "stuck"

    stack.wait_ready(worker.start())
    recovered = wait_for_delivery(stack.sink, stalled, timeout=ON_TIME)
    assert recovered.lost == []
    assert wait_until(lambda: healthz(stack)[0] == 200, timeout=60, poll=2.0)


KILLS = 10


def claimed_now(ids: list[int]) -> bool:
    return Reminder.objects.filter(pk__in=ids, status=Reminder.Status.CLAIMED).exists()


def test_a_worker_killed_at_ten_random_moments_loses_nothing(stack, figures):
    """Each kill falls at a random moment of a dispatch run: a claim is seen, then the worker
    gets a random 0 to 300 ms more before `kill -9`, so kills land before, during and after
    the e-mails of a batch, and between a mail server's acceptance and the mark."""
    due = plan("kills", spread=timedelta(minutes=2), first_in=10.0)
    ids = list(due)
    worker = stack.worker()
    stack.beat()
    stack.wait_ready(worker)
    seed = random.randrange(1_000_000)
    moments = random.Random(seed)

    kills_mid_run = 0
    for _ in range(KILLS):
        if wait_until(lambda: claimed_now(ids), timeout=30, poll=0.02):
            kills_mid_run += 1
        time.sleep(moments.uniform(0.0, 0.3))
        worker.kill()  # kill -9 of the worker and its pool child
        stack.wait_ready(worker.start())  # as systemd's Restart=always would

    stale_claim = float(SCALED["REMINDER_STALE_CLAIM_SECONDS"])
    result = wait_for_delivery(
        stack.sink, due, timeout=SPREAD.total_seconds() + stale_claim + ON_TIME
    )
    flagged_rows = set(
        Reminder.objects.filter(pk__in=ids, possibly_duplicate=True).values_list("pk", flat=True)
    )
    result.record(figures)
    figures.add("random seed", str(seed))
    figures.add("kills (during a dispatch run)", f"{KILLS} ({kills_mid_run})")
    figures.add("claims given back after a kill, flagged", len(flagged_rows))
    figures.add(
        "duplicates, each flagged in the outbox and its e-mail",
        sum(1 for pk in result.duplicated if pk in flagged_rows and result.flagged.get(pk)),
    )
    assert kills_mid_run >= KILLS // 2
    assert flagged_rows  # the kills did fall in the middle of sending
    assert result.lost == []
    assert len(result.duplicated) <= KILLS
    for pk in result.duplicated:
        assert result.received[pk] == 2
        assert pk in flagged_rows
        assert result.flagged.get(pk) == 1  # the second copy says it may be one
    assert statuses(ids) == {Reminder.Status.SENT: len(ids)}


def test_postgresql_stopped_for_a_minute_answers_a_maintenance_page_and_loses_nothing(
    stack, private_postgres, figures
):
    coordinator = CoordinatorFactory(username="prove.coord", cities=[city_named("rotterdam")])
    due = plan("postgres", 300, first_in=10.0, spread=timedelta(minutes=1))
    worker = stack.worker()
    stack.beat()
    stack.web()
    stack.wait_ready(worker)
    browser = signed_in(stack, coordinator)
    assert browser.get("/youth/").status_code == 200

    time.sleep(15)
    connection.close()
    private_postgres.stop(mode="fast")
    answers = []
    away_until = time.monotonic() + OUTAGE
    while time.monotonic() < away_until:
        for path in ("/", "/youth/", "/employers/"):
            page = browser.get(path)
            answers.append((path, page.status_code, page.text))
        time.sleep(2.0)
    private_postgres.start()
    back = time.time()

    result = wait_for_delivery(stack.sink, due, timeout=BACKLOG_OUT)
    connection.close()
    result.record(figures)
    codes = sorted({status for _path, status, _text in answers})
    figures.add("pages asked during the outage", len(answers))
    figures.add("answers during the outage", ", ".join(map(str, codes)))
    figures.add(
        "backlog out, seconds after PostgreSQL returned",
        (result.last_arrival() or float("inf")) - back,
    )
    assert answers
    for path, status, text in answers:
        assert status == 503, (path, status, text[:500])
        assert "Even niet bereikbaar" in text
        assert "Traceback" not in text
    assert browser.get("/youth/").status_code == 200
    assert_each_once(result)


MAIL_OUTAGE = 10 * 60 / SCALE  # the mail server away for ten minutes, scaled


def test_the_mail_server_down_for_ten_minutes_retries_with_growing_backoff_and_drops_none(
    stack, figures
):
    stack.sink.stop()
    due = plan("mail", 200, first_in=5.0, spread=timedelta(seconds=10))
    watched = min(due)
    worker = stack.worker()
    stack.beat()
    stack.wait_ready(worker)

    attempts = {}  # attempt number -> (when it failed, when the next one was planned)
    away_until = time.monotonic() + MAIL_OUTAGE
    while time.monotonic() < away_until:
        row = Reminder.objects.filter(pk=watched).values("attempts", "next_attempt_at").get()
        if row["attempts"] and row["attempts"] not in attempts:
            attempts[row["attempts"]] = (timezone.now(), row["next_attempt_at"])
        time.sleep(0.25)
    stack.sink.start()
    back = time.time()

    result = wait_for_delivery(stack.sink, due, timeout=BACKLOG_OUT)
    gaps = [
        (planned - failed).total_seconds() for _n, (failed, planned) in sorted(attempts.items())
    ]
    rows = Reminder.objects.filter(pk__in=list(due))
    result.record(figures)
    figures.add("failed attempts seen during the outage (one reminder)", len(attempts))
    figures.add("wait before each next attempt (s)", ", ".join(f"{gap:.1f}" for gap in gaps))
    figures.add("most attempts of one reminder", max(rows.values_list("attempts", flat=True)))
    figures.add(
        "all delivered, seconds after the mail server returned",
        (result.last_arrival() or float("inf")) - back,
    )
    assert len(gaps) >= 3
    assert all(later > earlier * 1.5 for earlier, later in itertools.pairwise(gaps))
    assert_each_once(result)
    assert statuses(list(due)) == {Reminder.Status.SENT: len(due)}
    assert not rows.filter(attempts__lt=2).exists()  # every one was retried, none dropped
