"""The resilience suite runs on a cluster of its own, so that stopping it hurts no one else."""

import pytest
from django.db import connection

from restart_platform.accounts.models import City

pytestmark = pytest.mark.django_db


def test_the_suite_runs_on_its_private_cluster(private_postgres, figures):
    assert connection.vendor == "postgresql"
    assert int(connection.settings_dict["PORT"]) == private_postgres.port != 5432
    with connection.cursor() as cursor:
        cursor.execute("SHOW port")
        assert cursor.fetchone()[0] == str(private_postgres.port)
    assert City.objects.exists()  # migrated, seeded
    figures.add("private PostgreSQL port", str(private_postgres.port))
