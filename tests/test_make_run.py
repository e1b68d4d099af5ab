"""`make run` as a newcomer meets it: the embedded default (SQLite, a broker with no server), the
real web server, worker and beat; the login page answers, /healthz says 200 within 30 seconds
of serving, and a reminder planned for now is
printed by the worker as an e-mail within two minutes; and an assignment proposal asked for is
computed by that worker."""

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.slow


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 - our own loopback server
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return 0, ""


def manage_shell(env: dict, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def test_make_run_serves_the_platform_and_delivers_a_reminder(tmp_path):
    port = free_port()
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DEBUG", "SECRET_KEY"}
    }
    env.update({"VAR_DIR": str(tmp_path), "RUN_ADDRESS": f"127.0.0.1:{port}"})
    log = (tmp_path / "run.log").open("w")
    had_control_folder = (ROOT / "control").exists()
    server = subprocess.Popen(
        [sys.executable, "scripts/serve.py"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        # Migrating and seeding the whole demo (every app) takes a while on a busy 2-core machine.
        deadline = time.monotonic() + 300
        status, html = 0, ""
        while time.monotonic() < deadline and status != 200:
            time.sleep(1)
            status, html = fetch(f"{base}/accounts/login/")
        assert status == 200, (tmp_path / "run.log").read_text()[-3000:]
        serving = time.monotonic()
        assert "Inloggen" in html

        # A load balancer asks /healthz from the start: the fresh demo must not look broken.
        health = 0
        while time.monotonic() < serving + 30 and health != 200:
            health = fetch(f"{base}/healthz")[0]
            time.sleep(0.5)
        assert health == 200, fetch(f"{base}/healthz")
        stylesheet = re.search(
            r'href="(/static/vendor/bootstrap/bootstrap\.min\.[0-9a-f]+\.css)"', html
        )
        assert stylesheet, "static files are not served from the manifest (DEBUG must be off)"
        assert fetch(base + stylesheet.group(1))[0] == 200

        env["SECRET_KEY"] = (tmp_path / "secret_key").read_text().strip()
        subprocess.run(
            [sys.executable, "manage.py", "plan_test_reminder", "coord.rotterdam"],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        # Migrating and seeding the whole demo (every app) takes a while on a busy 2-core machine.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            if "Subject: [re-START] Testherinnering" in (tmp_path / "run.log").read_text():
                break
            time.sleep(2)
        output = (tmp_path / "run.log").read_text()
        assert "Subject: [re-START] Testherinnering" in output, output[-3000:]
        assert "restart-demo" in output  # the demo accounts are printed

        # An assignment proposal is computed by the real worker, not by the request.
        proposal = manage_shell(
            env,
            "from matching.services import proposal_request; "
            "from restart_platform.accounts.models import City, User; "
            "by = User.objects.get(username='coord.rotterdam'); "
            "print(proposal_request(city=City.objects.get(slug='rotterdam'), by=by).pk)",
        )
        status = ""
        # Migrating and seeding the whole demo (every app) takes a while on a busy 2-core machine.
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline and status not in {"done", "failed"}:
            time.sleep(2)
            status = manage_shell(
                env,
                f"from matching.models import Proposal; "
                f"p = Proposal.objects.get(pk={proposal}); print(p.status, p.rows.count())",
            )
            status, rows = [*status.split(), "", ""][:2]
        assert status == "done", (tmp_path / "run.log").read_text()[-3000:]
        assert int(rows) > 0

        # The broker's exchange tables stay in var/, not in a control/ folder in the checkout.
        assert (tmp_path / "celery-broker" / "control").is_dir()
        assert had_control_folder or not (ROOT / "control").exists()
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        log.close()
