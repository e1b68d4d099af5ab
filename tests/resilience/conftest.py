"""`make prove`: the resilience suite, on servers of its own.

Every test under this folder carries the `resilience` marker, which `make test` leaves out and
`make prove` (and CI after the main suite) runs. The whole session runs on a PostgreSQL cluster
started for it on a spare loopback port, so that a scenario may stop or crash the database
without touching the shared server; scenarios that break Redis or the mail server start their
own too (`tests.private_services`). Each test records its figures, printed at the end.
"""

import contextlib
import shutil
import tempfile
from pathlib import Path

import pytest

from tests.conftest import needs_service
from tests.private_services import PrivatePostgres, postgres_bindir

from .figures import FIGURES

HERE = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    for item in items:
        if HERE in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.resilience)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    lines = FIGURES.report()
    if lines:
        terminalreporter.section("make prove: the figures of each scenario")
        for line in lines:
            terminalreporter.write_line(line)


@pytest.fixture
def figures(request):
    return FIGURES.scenario(request.node.nodeid.split("::", 1)[-1])


@pytest.fixture(scope="session")
def private_postgres():
    """The session's own PostgreSQL cluster, removed at the end."""
    if postgres_bindir() is None:
        needs_service("no PostgreSQL server is installed for the private cluster")
    folder = Path(tempfile.mkdtemp(prefix="restart-prove-pg-"))
    server = PrivatePostgres(folder)
    server.init()
    server.start()
    yield server
    server.stop(mode="immediate")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(private_postgres, django_db_modify_db_settings_parallel_suffix):
    """Point the test database at the private cluster before pytest-django creates it, with the
    settings a PostgreSQL connection gets in production (restart_platform.settings)."""
    import environ
    from django.conf import settings
    from django.db import connections

    config = environ.Env.db_url_config(f"{private_postgres.url.rsplit('/', 1)[0]}/restart_prove")
    config.update(
        CONN_MAX_AGE=60,
        CONN_HEALTH_CHECKS=True,
        DISABLE_SERVER_SIDE_CURSORS=True,
        OPTIONS={"options": "-c jit=off"},
        TEST={"NAME": "test_restart_prove"},
    )
    configured = connections.configure_settings({"default": config})["default"]
    database = settings.DATABASES["default"]
    database.clear()
    database.update(configured)
    with contextlib.suppress(KeyError, AttributeError):
        connections["default"].close()
        del connections["default"]
