"""one_cycle: Smith's one-cycle policy, step for step as torch's OneCycleLR draws the lr.

The lr rises along a cosine from lr / 25 to lr over the warmup (warmup_fraction, or torch's
pct_start of 0.3 when the spec leaves it at 0), then falls along a cosine to
lr × min_lr_fraction, or when that is 0 to torch's floor of lr / 25 / 10⁴. Momentum is not
cycled: the config's momentum holds throughout.
"""

from __future__ import annotations

from advisor.config import ScheduleSpec
from workers.schedules.base import ScheduleClock, cosine_between

DIV_FACTOR = 25.0
FINAL_DIV_FACTOR = 1e4
DEFAULT_PEAK_FRACTION = 0.3


def one_cycle(spec: ScheduleSpec, step: int, clock: ScheduleClock) -> float:
    start = 1.0 / DIV_FACTOR
    end = spec.min_lr_fraction or start / FINAL_DIV_FACTOR
    # torch's phase boundaries: the peak at pct_start × total − 1, the end at total − 1.
    peak = (spec.warmup_fraction or DEFAULT_PEAK_FRACTION) * clock.total_steps - 1
    last = clock.total_steps - 1
    if peak > 0 and step <= peak:
        return cosine_between(start, 1.0, step / peak)
    return cosine_between(1.0, end, (step - peak) / max(last - peak, 1.0))
