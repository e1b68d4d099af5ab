"""Counting attempts in the shared cache, for actions that must not be repeated without end."""

import hashlib
import logging
from datetime import timedelta

from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def within_limit(*, scope: str, key: str, limit: int, window: timedelta) -> bool:
    """Count one attempt for `key`; False once more than `limit` were made in the window.

    The key is hashed, so no e-mail address or other personal value is written to the cache.
    The window starts at the first attempt (a fixed window, which is enough for a brake).
    A cache that cannot be reached (Redis restarting) lets the attempt through: the brake is
    off for that moment, and the person's request does not fail because of it.
    """
    cache_key = f"ratelimit:{scope}:{hashlib.sha256(key.encode()).hexdigest()}"
    timeout = int(window.total_seconds())
    try:
        cache.add(cache_key, 0, timeout=timeout)
        try:
            count = cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.set(cache_key, 1, timeout=timeout)
            count = 1
    except (RedisError, OSError) as exc:
        logger.warning("Rate limit %s not counted: the cache is unreachable (%s)", scope, exc)
        return True
    return count <= limit
