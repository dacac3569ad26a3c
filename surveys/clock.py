"""The wall clock the citizen form's checks read (tickets, fill time, rate windows), in one place so
that a test can move time forward: `monkeypatch.setattr(clock, "now", ...)`. Call it as
`clock.now()`, never import the function itself."""

from __future__ import annotations

import time


def now() -> float:
    """Seconds since the epoch."""
    return time.time()
