"""A small fixed-window rate limit on the cache."""

from __future__ import annotations

from django.core.cache import cache


def consume(*, key: str, limit: int, period: int) -> bool:
    """Count one attempt for ``key``; False once more than ``limit`` were made in ``period`` seconds."""
    cache_key = f"ratelimit:{key}"
    cache.add(cache_key, 0, timeout=period)
    try:
        attempts = cache.incr(cache_key)
    except ValueError:  # expired between add() and incr()
        cache.set(cache_key, 1, timeout=period)
        attempts = 1
    return attempts <= limit


def reset(*, key: str) -> None:
    cache.delete(f"ratelimit:{key}")
