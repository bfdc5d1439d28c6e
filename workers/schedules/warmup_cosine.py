"""warmup_cosine: linear warmup over warmup_fraction of the steps, then cosine decay to
lr × min_lr_fraction (the seeds' schedule for transformers with AdamW)."""

from __future__ import annotations

from advisor.config import ScheduleSpec
from workers.schedules.base import ScheduleClock, cosine_between, decay_progress, linear_warmup


def warmup_cosine(spec: ScheduleSpec, step: int, clock: ScheduleClock) -> float:
    warmup = clock.warmup_steps(spec.warmup_fraction)
    if step < warmup:
        return linear_warmup(step, warmup)
    return cosine_between(1.0, spec.min_lr_fraction, decay_progress(step, warmup, clock))
