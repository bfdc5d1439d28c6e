"""warmup_linear: linear warmup over warmup_fraction of the steps, then linear decay to
lr × min_lr_fraction at the last step."""

from __future__ import annotations

from advisor.config import ScheduleSpec
from workers.schedules.base import ScheduleClock, decay_progress, linear_warmup


def warmup_linear(spec: ScheduleSpec, step: int, clock: ScheduleClock) -> float:
    warmup = clock.warmup_steps(spec.warmup_fraction)
    if step < warmup:
        return linear_warmup(step, warmup)
    progress = min(decay_progress(step, warmup, clock), 1.0)
    return 1.0 - (1.0 - spec.min_lr_fraction) * progress
