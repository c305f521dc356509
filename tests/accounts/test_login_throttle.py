"""The login throttle as a service: shared counts in Redis, a local count that holds when Redis fails."""
import pytest
import redis
from limits.storage import MemoryStorage

from sequencer.accounts.throttle import LoginThrottle, redis_storage


def make(shared, local=None):
    return LoginThrottle(shared, local or MemoryStorage(), account_limit="2 per minute",
                         address_limit="4 per minute")


def test_blocks_after_the_account_limit_and_a_success_clears_the_account(redis_conn):
    throttle = make(redis_storage(redis_conn))
    for _ in range(2):
        assert throttle.retry_after("Ona@Example.com ", "10.0.0.1") is None
        throttle.failed("ona@example.com", "10.0.0.1")
    assert throttle.retry_after("ona@example.com", "10.0.0.2") > 0
    throttle.succeeded("ona@example.com")
    assert throttle.retry_after("ona@example.com", "10.0.0.2") is None


def test_shared_between_processes_through_redis(redis_conn):
    one, two = make(redis_storage(redis_conn)), make(redis_storage(redis_conn))
    one.failed("a@example.com", "10.0.0.1")
    two.failed("a@example.com", "10.0.0.1")
    assert one.retry_after("a@example.com", "10.0.0.3") > 0


def test_fails_closed_with_a_local_count_when_redis_is_down():
    down = redis_storage(redis.Redis.from_url("redis://127.0.0.1:1/0"))
    throttle = make(down)
    for _ in range(2):
        throttle.failed("a@example.com", "10.0.0.1")
    assert throttle.retry_after("a@example.com", "10.0.0.9") > 0
    assert throttle.retry_after("b@example.com", "10.0.0.9") is None


@pytest.mark.parametrize("limit", ["often", "0 per minute"])
def test_a_bad_limit_is_refused(limit):
    with pytest.raises(ValueError):
        LoginThrottle(None, MemoryStorage(), account_limit=limit, address_limit="4 per minute")



class _Flaky(MemoryStorage):
    """Counts calls; fails while `down`."""

    def __init__(self):
        super().__init__()
        self.down, self.calls = True, 0

    def incr(self, *args, **kwargs):
        self.calls += 1
        if self.down:
            raise ConnectionError("redis is down")
        return super().incr(*args, **kwargs)

    def get(self, *args, **kwargs):
        self.calls += 1
        if self.down:
            raise ConnectionError("redis is down")
        return super().get(*args, **kwargs)


def test_after_a_redis_failure_it_is_left_alone_for_a_while_then_tried_again():
    from datetime import UTC, datetime, timedelta

    from sequencer.accounts.throttle import RETRY_SHARED
    from sequencer.platform import clock

    shared = _Flaky()
    throttle = make(shared)
    t0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    with clock.frozen(t0):
        throttle.failed("a@example.com", "10.0.0.1")
        calls = shared.calls
        throttle.failed("a@example.com", "10.0.0.1")
        throttle.retry_after("a@example.com", "10.0.0.1")
        assert shared.calls == calls  # not asked again while marked down
    shared.down = False
    with clock.frozen(t0 + RETRY_SHARED + timedelta(seconds=1)):
        throttle.failed("b@example.com", "10.0.0.2")
        assert shared.calls > calls
