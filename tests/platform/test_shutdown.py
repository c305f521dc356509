"""The stop flag is set from signal handlers: it must never deadlock, whenever the signal lands."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

from sequencer.platform import shutdown

ROOT = Path(__file__).resolve().parents[2]

# A timer signal every 0.7 ms sets the flag while the main thread clears it and waits again, thousands of
# times: the signal lands at every point of `wait()`, including where a lock-based flag holds its own lock.
HAMMER = textwrap.dedent("""
    import signal, time
    from sequencer.platform import shutdown

    signal.signal(signal.SIGALRM, lambda *_: shutdown.request())
    signal.setitimer(signal.ITIMER_REAL, 0.0007, 0.0007)
    end = time.monotonic() + 2
    rounds = 0
    while time.monotonic() < end:
        shutdown.reset()
        shutdown.wait(0.002)
        rounds += 1
    signal.setitimer(signal.ITIMER_REAL, 0)
    print("rounds", rounds)
""")


def test_a_signal_landing_anywhere_in_wait_never_deadlocks():
    done = subprocess.run([sys.executable, "-c", HAMMER], cwd=ROOT, capture_output=True, text=True, timeout=30)
    assert done.returncode == 0, done.stderr[-2000:]
    assert int(done.stdout.split()[-1]) > 100


def test_wait_returns_early_once_a_stop_is_requested():
    shutdown.reset()
    try:
        assert shutdown.wait(0.01) is False
        shutdown.request()
        assert shutdown.requested()
        assert shutdown.wait(60) is True  # returns at once, not after a minute
    finally:
        shutdown.reset()
    assert not shutdown.requested()
