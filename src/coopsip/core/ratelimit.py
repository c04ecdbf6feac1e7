"""A small fixed-window rate limit in the shared cache.

The counters live in Django's default cache: Redis in production (``REDIS_URL``), so that every web
process and every machine count together; ``add`` and ``incr`` are atomic there. Without Redis the
cache is local to one process and each process counts alone: the system check ``coopsip.E004``
refuses that when ``DEBUG`` is off.
"""

from __future__ import annotations

from django.core.cache import cache


def _key(key: str) -> str:
    return f"ratelimit:{key}"


def consume(*, key: str, limit: int, period: int) -> bool:
    """Count one attempt for ``key``; False once more than ``limit`` were made in ``period`` seconds."""
    cache_key = _key(key)
    cache.add(cache_key, 0, timeout=period)
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=period)
        attempts = 1
    return attempts <= limit


def used(*, key: str) -> int:
    """How many attempts ``key`` made in its current window (0 when none)."""
    return int(cache.get(_key(key), 0))


def exhausted(*, key: str, limit: int) -> bool:
    """True when ``key`` already used its ``limit`` in the current window (counts nothing)."""
    return used(key=key) >= limit


def reset(*, key: str) -> None:
    cache.delete(_key(key))
