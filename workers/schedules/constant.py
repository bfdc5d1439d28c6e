"""constant: the lr as given, every step."""

from __future__ import annotations

from advisor.config import ScheduleSpec
from workers.schedules.base import ScheduleClock


def constant(spec: ScheduleSpec, step: int, clock: ScheduleClock) -> float:
    return 1.0
