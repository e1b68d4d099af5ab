"""The brake on repeated attempts counts in the shared cache; a cache that is away lets the
attempt through rather than failing the person's request."""

from datetime import timedelta
from unittest import mock

from django.core.cache import cache
from redis.exceptions import ConnectionError as RedisConnectionError

from restart_platform.accounts.ratelimit import within_limit

WINDOW = timedelta(minutes=15)


def test_attempts_beyond_the_limit_are_refused():
    assert [within_limit(scope="t", key="k", limit=2, window=WINDOW) for _ in range(3)] == [
        True,
        True,
        False,
    ]


def test_an_unreachable_cache_lets_the_attempt_through(caplog):
    refused = RedisConnectionError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")
    with mock.patch.object(cache, "add", side_effect=refused):
        assert within_limit(scope="t", key="k", limit=0, window=WINDOW)
    assert "cache is unreachable" in caplog.text
