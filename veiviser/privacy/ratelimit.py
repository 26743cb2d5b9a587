"""Token-bucket rate limits per session and per client address (case 24).

In memory, per process: with several replicas each has its own buckets
(docs/SECURITY.md). Old buckets are dropped so memory stays bounded.
"""
from __future__ import annotations

import os
import time
from dataclasses import dataclass
from typing import Callable, Dict, Tuple


@dataclass(frozen=True)
class Rate:
    burst: float
    per_second: float


def _rate(env: str, default: str) -> Rate:
    burst, per_second = os.environ.get(env, default).split("/")
    return Rate(float(burst), float(per_second))


# "burst/refill-per-second"
SESSION_MESSAGES = _rate("VEIVISER_RATE_SESSION", "10/0.5")
ADDRESS_MESSAGES = _rate("VEIVISER_RATE_ADDRESS", "60/3")
ADDRESS_SESSIONS = _rate("VEIVISER_RATE_NEW_SESSIONS", "20/0.2")


class RateLimiter:
    def __init__(self, rate: Rate, max_keys: int = 100_000,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.max_keys = max_keys
        self.clock = clock
        self._buckets: Dict[str, Tuple[float, float]] = {}

    def allow(self, key: str) -> bool:
        now = self.clock()
        tokens, last = self._buckets.get(key, (self.rate.burst, now))
        tokens = min(self.rate.burst, tokens + (now - last) * self.rate.per_second)
        allowed = tokens >= 1.0
        self._buckets[key] = (tokens - 1.0 if allowed else tokens, now)
        if len(self._buckets) > self.max_keys:
            self._prune(now)
        return allowed

    def _prune(self, now: float) -> None:
        full_after = self.rate.burst / self.rate.per_second if self.rate.per_second else 3600
        for key, (_, last) in list(self._buckets.items()):
            if now - last > full_after:
                del self._buckets[key]
        while len(self._buckets) > self.max_keys:
            self._buckets.pop(next(iter(self._buckets)))
