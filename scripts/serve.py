"""`make run`: prepare the database and serve the platform with a Celery worker and beat beside it.

Serves as production would (DEBUG off, static files from the app, a real secret key made on
first start), except that it speaks plain http on 127.0.0.1 and does not ask for a second
factor, so the demo accounts log in with their password. `DEBUG=1 make run` is for development.
"""

import os
import secrets
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VAR = Path(os.environ.get("VAR_DIR", ROOT / "var"))
BIN = Path(sys.executable).parent
ADDRESS = os.environ.get("RUN_ADDRESS", "127.0.0.1:8000")
DEMO_ACCOUNTS = "admin, coord.rotterdam, coord.dordrecht, jw.rotterdam1, jw.rotterdam2, jw.dordrecht1, employer.demo1, employer.demo2"


def local_secret_key() -> str:
    path = VAR / "secret_key"
    if not path.exists():
        VAR.mkdir(exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


def environment() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SECRET_KEY", local_secret_key())
    env.setdefault("HTTPS", "0")
    # The demo (the embedded default, or DEMO=1) logs in with passwords alone; a real database
    # gets neither demo accounts nor a login without the second factor.
    env.setdefault("DEMO", "0" if env.get("DATABASE_URL") else "1")
    if is_demo(env):
        env.setdefault("REQUIRE_2FA", "0")
    env.setdefault("SITE_URL", f"http://{ADDRESS}")
    env.setdefault("ALLOWED_HOSTS", "127.0.0.1,localhost")
    env["PYTHONUNBUFFERED"] = "1"
    return env


def is_demo(env: dict[str, str]) -> bool:
    return env["DEMO"].strip().lower() in {"1", "true", "yes", "on"}


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True)


def main() -> int:
    env = environment()
    manage(env, "migrate", "--noinput")
    manage(env, "collectstatic", "--noinput", "--verbosity", "0")
    if is_demo(env):
        manage(env, "seed_demo", "--if-empty")
    processes = {
        "web": [
            str(BIN / "gunicorn"),
            "restart_platform.wsgi",
            "--bind",
            ADDRESS,
            "--workers",
            "2",
            "--access-logfile",
            "-",
        ],
        "worker": [
            str(BIN / "celery"),
            "-A",
            "restart_platform",
            "worker",
            "--loglevel",
            "INFO",
            "--concurrency",
            "2",
        ],
        "beat": [str(BIN / "celery"), "-A", "restart_platform", "beat", "--loglevel", "INFO"],
    }
    running = {name: subprocess.Popen(cmd, cwd=ROOT, env=env) for name, cmd in processes.items()}
    print(
        f"\n  re-START is running on http://{ADDRESS}/\n"
        f"  Demo accounts (password 'restart-demo'): {DEMO_ACCOUNTS}\n"
        "  E-mail is printed below by the worker. Stop with Ctrl-C.\n",
        flush=True,
    )
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    exit_code = 0
    while not stopping:
        for name, process in running.items():
            if process.poll() is not None:
                print(
                    f"  {name} stopped with exit code {process.returncode}; stopping the rest.",
                    flush=True,
                )
                exit_code, stopping = process.returncode or 1, True
        time.sleep(0.5)
    for process in running.values():
        if process.poll() is None:
            process.terminate()
    for process in running.values():
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    return exit_code


if __name__ == "__main__":
    sys.exit(main())
