"""The small cast every test uses: an admin, two coordinators of different cities and a second
one of Rotterdam, two youth workers of different cities and a colleague of the Rotterdam one
(another caseload), two employer contacts; and the rule that REQUIRE_SERVICES=1 means real
services."""

import os

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client

from restart_platform.accounts.factories import (
    AdminFactory,
    CoordinatorFactory,
    EmployerContactFactory,
    OrganisationFactory,
    YouthWorkerFactory,
    city,
)

REQUIRE_SERVICES = os.environ.get("REQUIRE_SERVICES") == "1"


def needs_service(reason: str) -> None:
    """A test that needs PostgreSQL or Redis fails under REQUIRE_SERVICES=1, and is skipped otherwise."""
    if REQUIRE_SERVICES:
        pytest.fail(f"REQUIRE_SERVICES=1 but {reason}")
    pytest.skip(f"{reason} (REQUIRE_SERVICES=1 makes this a failure)")


@pytest.fixture(scope="session", autouse=True)
def _services_are_real(django_db_blocker):
    if not REQUIRE_SERVICES:
        return
    assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql", (
        "REQUIRE_SERVICES=1 needs DATABASE_URL to point at PostgreSQL"
    )
    assert settings.REDIS_URL, "REQUIRE_SERVICES=1 needs REDIS_URL"


# A transactional test (live server, threads) ends with a flush of every table, which also
# empties what the data migrations seeded: cities, the taxonomy, the beat schedule. The flush
# sends post_migrate, so the seeds are put back right after it, for every later test.
SEEDS = [
    ("restart_platform.accounts.migrations.0002_seed_cities", "add_cities"),
    ("restart_platform.taxonomy.migrations.0002_seed_terms", "seed"),
    ("restart_platform.accounts.migrations.0005_seed_city_coordinates", "add_coordinates"),
    (
        "restart_platform.taxonomy.migrations.0004_map_sectors_to_interest_areas",
        "link_interest_areas",
    ),
    ("restart_platform.taxonomy.migrations.0006_seed_personal_interests", "seed"),
    ("matching.migrations.0002_default_weights", "add_weights"),
    ("prep_programme.migrations.0002_seed_programmes", "seed"),
    ("restart_platform.notifications.migrations.0002_dispatch_schedule", "add_schedule"),
    ("employers.migrations.0002_weekly_digest_schedule", "add_schedule"),
    ("matching.migrations.0005_resume_proposals_schedule", "add_schedule"),
]


def _reseed_after_flush(sender, **kwargs):
    if sender.label != "accounts":  # post_migrate comes once per app; seed once
        return
    from importlib import import_module

    from django.apps import apps

    for module, function in SEEDS:
        getattr(import_module(module), function)(apps, None)


@pytest.fixture(scope="session", autouse=True)
def _reseed_migration_data_after_flushes():
    from django.db.models.signals import post_migrate

    post_migrate.connect(_reseed_after_flush, dispatch_uid="tests.reseed_after_flush")
    yield
    post_migrate.disconnect(dispatch_uid="tests.reseed_after_flush")


@pytest.fixture(autouse=True)
def _empty_cache():
    # Rate limits count in the cache; every test starts with none spent.
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _cold_features():
    # The warm features hold the records of the test that ran before, whose ids a rolled-back
    # SQLite sequence hands out again: every test starts cold, and warms up on its own data.
    from matching.features import FEATURES

    FEATURES.clear()


@pytest.fixture
def require_postgres():
    if connection.vendor != "postgresql":
        needs_service("this test needs PostgreSQL")


@pytest.fixture
def require_redis():
    if not settings.REDIS_URL:
        needs_service("this test needs Redis")
    import redis

    try:
        redis.Redis.from_url(settings.REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        needs_service(f"Redis at {settings.REDIS_URL} does not answer: {exc}")


@pytest.fixture
def rotterdam(db):
    return city("rotterdam")


@pytest.fixture
def dordrecht(db):
    return city("dordrecht")


@pytest.fixture
def admin(db):
    return AdminFactory(username="admin")


@pytest.fixture
def coord_rotterdam(rotterdam):
    return CoordinatorFactory(username="coord.rotterdam", cities=[rotterdam])


@pytest.fixture
def coord_dordrecht(dordrecht):
    return CoordinatorFactory(username="coord.dordrecht", cities=[dordrecht])


@pytest.fixture
def jw_rotterdam(rotterdam):
    return YouthWorkerFactory(
        username="jw.rotterdam1",
        organisation=OrganisationFactory(name="Jongerenwerk Maasstad", city=rotterdam),
    )


@pytest.fixture
def coord_rotterdam2(rotterdam):
    """A second coordinator of Rotterdam: sees all of the city, owns none of coord_rotterdam's."""
    return CoordinatorFactory(username="coord.rotterdam2", cities=[rotterdam])


@pytest.fixture
def jw_rotterdam2(jw_rotterdam):
    """Another youth worker of the same organisation: a colleague, not this caseload."""
    return YouthWorkerFactory(username="jw.rotterdam2", organisation=jw_rotterdam.organisation)


@pytest.fixture
def jw_dordrecht(dordrecht):
    return YouthWorkerFactory(
        username="jw.dordrecht1",
        organisation=OrganisationFactory(name="Jongerenwerk Drechtsteden", city=dordrecht),
    )


@pytest.fixture
def employer_contact1(db):
    return EmployerContactFactory(username="employer.demo1")


@pytest.fixture
def employer_contact2(db):
    return EmployerContactFactory(username="employer.demo2")


@pytest.fixture
def cast(
    admin,
    coord_rotterdam,
    coord_dordrecht,
    coord_rotterdam2,
    jw_rotterdam,
    jw_rotterdam2,
    jw_dordrecht,
    employer_contact1,
    employer_contact2,
):
    """Every role, keyed by the name the permission matrix uses. The second coordinator and
    youth worker of Rotterdam make a leak within a city, or between caseloads, visible."""
    return {
        "admin": admin,
        "coord_rotterdam": coord_rotterdam,
        "coord_dordrecht": coord_dordrecht,
        "coord_rotterdam2": coord_rotterdam2,
        "jw_rotterdam": jw_rotterdam,
        "jw_rotterdam2": jw_rotterdam2,
        "jw_dordrecht": jw_dordrecht,
        "employer1": employer_contact1,
        "employer2": employer_contact2,
    }


@pytest.fixture
def client_for():
    """A test client logged in as the given user (force_login: no password round-trips)."""

    def make(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    return make
