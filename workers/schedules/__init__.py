"""Learning-rate schedules, stepped per optimizer step: the lr multiplier at any step."""

from __future__ import annotations

from types import MappingProxyType

from advisor.config import ScheduleName, ScheduleSpec
from workers.schedules.base import Schedule, ScheduleClock
from workers.schedules.constant import constant
from workers.schedules.cosine import cosine
from workers.schedules.exponential import exponential
from workers.schedules.one_cycle import one_cycle
from workers.schedules.step import step_decay
from workers.schedules.warmup_cosine import warmup_cosine
from workers.schedules.warmup_linear import warmup_linear

SCHEDULES: MappingProxyType[ScheduleName, Schedule] = MappingProxyType(
    {
        ScheduleName.CONSTANT: constant,
        ScheduleName.STEP: step_decay,
        ScheduleName.EXPONENTIAL: exponential,
        ScheduleName.COSINE: cosine,
        ScheduleName.WARMUP_COSINE: warmup_cosine,
        ScheduleName.WARMUP_LINEAR: warmup_linear,
        ScheduleName.ONE_CYCLE: one_cycle,
    }
)


def lr_multiplier(spec: ScheduleSpec, step: int, clock: ScheduleClock) -> float:
    """The factor on each param group's lr at 0-based optimizer ``step``."""
    return SCHEDULES[spec.name](spec, step, clock)


__all__ = ["SCHEDULES", "Schedule", "ScheduleClock", "lr_multiplier"]
