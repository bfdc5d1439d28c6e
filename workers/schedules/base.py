"""What every schedule shares: the clock it reads and the curve shapes it is built from.

A schedule is a function of the optimizer step giving a multiplier of each param group's lr.
It is stepped per optimizer step with the run's total steps known; per-epoch schedules (step,
exponential) read the epoch off the clock, so they change exactly at epoch boundaries, as
torch's StepLR and ExponentialLR stepped once per epoch do.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from advisor.config import ScheduleSpec


@dataclass(frozen=True)
class ScheduleClock:
    total_steps: int
    steps_per_epoch: int

    def __post_init__(self) -> None:
        if self.total_steps < 1 or self.steps_per_epoch < 1:
            raise ValueError(f"a schedule needs at least one step, got {self}")

    def epoch(self, step: int) -> int:
        return step // self.steps_per_epoch

    def warmup_steps(self, fraction: float) -> int:
        return round(fraction * self.total_steps)


#: lr multiplier at a 0-based optimizer step.
Schedule = Callable[[ScheduleSpec, int, ScheduleClock], float]


def cosine_between(start: float, end: float, progress: float) -> float:
    """Half a cosine from ``start`` (progress 0) to ``end`` (progress 1)."""
    progress = min(max(progress, 0.0), 1.0)
    return end + (start - end) * 0.5 * (1.0 + math.cos(math.pi * progress))


def linear_warmup(step: int, warmup_steps: int) -> float:
    """Rises linearly to 1 over the warmup, never 0 (a step with lr 0 would be wasted)."""
    return (step + 1) / warmup_steps


def decay_progress(step: int, warmup_steps: int, clock: ScheduleClock) -> float:
    """How far through the post-warmup part of the run a step is, from 0 to 1."""
    return (step - warmup_steps) / max(1, clock.total_steps - warmup_steps)
