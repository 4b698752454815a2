"""Per-region request pacing for the emulated LookupEvents.

Real CloudTrail allows about 2 LookupEvents calls per second per account and region and
answers the excess with ``ThrottlingException``. The demo reproduces that, so that the
app's pacing and boto3's retry path run against something that pushes back.
"""

from __future__ import annotations

import threading
import time


class TokenBucket:
    """A classic token bucket: ``rate`` tokens per second, at most ``burst`` saved up."""

    def __init__(self, rate: float, burst: float | None = None) -> None:
        if rate <= 0:
            raise ValueError("rate must be positive")
        self.rate = rate
        self.burst = burst if burst is not None else max(1.0, rate)
        self._tokens = self.burst
        self._last = time.monotonic()
        self._lock = threading.Lock()

    def try_take(self) -> bool:
        """Take one token if there is one; never blocks (the server must answer at once)."""
        with self._lock:
            now = time.monotonic()
            self._tokens = min(self.burst, self._tokens + (now - self._last) * self.rate)
            self._last = now
            if self._tokens >= 1.0:
                self._tokens -= 1.0
                return True
            return False


class RegionThrottle:
    """One bucket per region, made on first use; ``rate=None`` switches pacing off."""

    def __init__(self, rate: float | None) -> None:
        self.rate = rate
        self._buckets: dict[str, TokenBucket] = {}
        self._lock = threading.Lock()

    def allow(self, region: str) -> bool:
        """Whether a call in ``region`` may proceed now."""
        if self.rate is None:
            return True
        with self._lock:
            bucket = self._buckets.get(region)
            if bucket is None:
                bucket = self._buckets[region] = TokenBucket(self.rate)
        return bucket.try_take()
