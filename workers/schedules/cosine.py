"""cosine: half a cosine from the lr down to lr × min_lr_fraction over the whole run
(torch's CosineAnnealingLR with T_max = all steps)."""

from __future__ import annotations

from advisor.config import ScheduleSpec
from workers.schedules.base import ScheduleClock, cosine_between


def cosine(spec: ScheduleSpec, step: int, clock: ScheduleClock) -> float:
    return cosine_between(1.0, spec.min_lr_fraction, step / clock.total_steps)
