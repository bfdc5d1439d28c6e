"""Exponential backoff with jitter: the delays a client waits between attempts when the API is
unavailable. The worker agent's retry loop and the SDK's both draw on it; each decides which
calls may be sent again.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Backoff:
    """Delays of ``initial × factor**n`` capped at ``maximum``, each shortened by up to
    ``jitter`` of itself so that many workers cut off together do not retry in lockstep."""

    initial: float = 0.5
    factor: float = 2.0
    maximum: float = 15.0
    jitter: float = 0.2
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        if not 0 < self.initial <= self.maximum:
            raise ValueError("backoff needs 0 < initial <= maximum")
        if self.factor < 1 or not 0 <= self.jitter < 1:
            raise ValueError("backoff needs factor >= 1 and 0 <= jitter < 1")

    def delays(self) -> Iterator[float]:
        delay = self.initial
        while True:
            yield delay * (1 - self.jitter * self.rng.random())
            delay = min(delay * self.factor, self.maximum)
