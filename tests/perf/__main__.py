"""Run a benchmark of this folder: `python -m tests.perf bench_matching [options]`.

The benchmarks are management commands kept out of the apps (so production never loads them):
each module here has a `Command`; this sets Django up as manage.py does and runs it with its
options, help and error messages.
"""

import importlib
import os
import sys

import django


def main(argv: list[str]) -> None:
    if len(argv) < 2 or argv[1].startswith("-"):
        sys.exit("usage: python -m tests.perf <benchmark> [options], e.g. bench_matching --help")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "restart_platform.settings")
    django.setup()
    command = importlib.import_module(f"tests.perf.{argv[1]}").Command()
    command.run_from_argv(["python -m tests.perf", *argv[1:]])


if __name__ == "__main__":
    main(sys.argv)
