"""step: multiply the lr by gamma every step_epochs epochs (torch's StepLR; seeds: 30, 0.1)."""

from __future__ import annotations

from advisor.config import ScheduleSpec
from workers.schedules.base import ScheduleClock


def step_decay(spec: ScheduleSpec, step: int, clock: ScheduleClock) -> float:
    return float(spec.effective_gamma() ** (clock.epoch(step) // spec.step_epochs))
