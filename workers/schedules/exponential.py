"""exponential: multiply the lr by gamma every epoch (torch's ExponentialLR; seeds: 0.95)."""

from __future__ import annotations

from advisor.config import ScheduleSpec
from workers.schedules.base import ScheduleClock


def exponential(spec: ScheduleSpec, step: int, clock: ScheduleClock) -> float:
    return float(spec.effective_gamma() ** clock.epoch(step))
