"""Login throttling: failed sign-ins counted per account and per client address, shared through Redis, with an
in-process count that keeps throttling when Redis is down (a login door must fail closed, not open).

Only failures count, so a team behind one proxy never locks itself out by signing in; a success clears the
account's count (the password was known) but not the address's.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

import redis
from limits import RateLimitItem, parse
from limits.errors import StorageError
from limits.storage import MemoryStorage, RedisStorage, Storage
from limits.strategies import FixedWindowRateLimiter

from sequencer.platform import clock

log = logging.getLogger(__name__)
RETRY_SHARED = timedelta(seconds=30)


def redis_storage(conn: redis.Redis) -> RedisStorage:
    """A `limits` storage over the app's own Redis connection pool (embedded or not)."""
    return RedisStorage("redis://", connection_pool=conn.connection_pool, wrap_exceptions=True)


def parse_limit(text: str) -> RateLimitItem:
    """`10 per minute` and the like; ValueError naming the text otherwise."""
    try:
        item = parse(text)
    except ValueError:
        raise ValueError(f"{text!r} is not a rate limit such as '10 per minute'") from None
    if item.amount < 1:
        raise ValueError(f"{text!r} must allow at least one attempt")
    return item


class LoginThrottle:
    """`retry_after` before checking a password, `failed` after a wrong one, `succeeded` after a right one."""

    def __init__(self, shared: Storage | None, local: MemoryStorage, account_limit: str, address_limit: str):
        self.account = parse_limit(account_limit)
        self.address = parse_limit(address_limit)
        self._local = FixedWindowRateLimiter(local)
        self._shared = FixedWindowRateLimiter(shared) if shared is not None else None
        self._shared_down_until: datetime | None = None

    def _keys(self, email: str, address: str) -> list[tuple[RateLimitItem, str, str]]:
        return [(self.account, "account", email.strip().lower()), (self.address, "address", address or "-")]

    def _shared_call(self, method: str, *args: object) -> object:
        """Ask Redis; after a failure leave it alone for RETRY_SHARED (an unreachable host costs a connect timeout)."""
        now = clock.now()
        if self._shared is None or (self._shared_down_until is not None and now < self._shared_down_until):
            return None
        try:
            result = getattr(self._shared, method)(*args)
        except (StorageError, redis.RedisError, OSError) as exc:  # the local count holds meanwhile
            log.warning("login throttle: Redis unavailable (%s); counting in this process", exc.__class__.__name__)
            self._shared_down_until = now + RETRY_SHARED
            return None
        self._shared_down_until = None
        return result

    def retry_after(self, email: str, address: str) -> int | None:
        """Seconds to wait when the account or the address has used up its failures, else None."""
        waits = []
        for item, kind, value in self._keys(email, address):
            for limiter in (self._local, self._shared):
                stats = self._stats(limiter, item, kind, value)
                if stats is not None and stats.remaining <= 0:
                    left = int(stats.reset_time - clock.now().timestamp()) + 1
                    waits.append(min(item.get_expiry(), max(1, left)))
        return max(waits) if waits else None

    def _stats(self, limiter: FixedWindowRateLimiter | None, item: RateLimitItem, kind: str, value: str):
        if limiter is None:
            return None
        if limiter is self._shared:
            return self._shared_call("get_window_stats", item, "login", kind, value)
        return limiter.get_window_stats(item, "login", kind, value)

    def failed(self, email: str, address: str) -> None:
        for item, kind, value in self._keys(email, address):
            self._local.hit(item, "login", kind, value)
            self._shared_call("hit", item, "login", kind, value)

    def succeeded(self, email: str) -> None:
        item, kind, value = self._keys(email, "")[0]
        self._local.clear(item, "login", kind, value)
        self._shared_call("clear", item, "login", kind, value)
