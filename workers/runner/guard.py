"""Divergence detection that costs almost nothing per step.

Each step adds the loss to a running sum on the device (one tiny kernel, no sync). The sum is
read back after steps 1, 2, 4, 8, 16 and then every 32 steps, and at each epoch's end: a
blow-up in the first steps (the usual lr-too-high case) is caught within a step or two, and a
long run pays one sync per 32 steps. NaN and inf survive a sum, and one exploding step shows
in the mean of its window, so nothing slips between two reads.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

MAX_CHECK_INTERVAL = 32


class DivergenceGuard:
    def __init__(self, device: torch.device, explode_factor: float) -> None:
        self._explode_factor = explode_factor
        self._window = torch.zeros((), device=device, dtype=torch.float32)
        self._window_steps = 0
        self._steps = 0
        self._next_check = 1
        self._initial: float | None = None
        self._epoch_sum = 0.0
        self._epoch_steps = 0

    @property
    def steps(self) -> int:
        return self._steps

    def observe(self, loss: Tensor) -> str | None:
        """Record one step's loss; a reason when the run has diverged, else None."""
        self._window.add_(loss.detach().float())
        self._window_steps += 1
        self._steps += 1
        if self._steps < self._next_check:
            return None
        self._next_check = min(2 * self._steps, self._steps + MAX_CHECK_INTERVAL)
        return self._read_window()

    def end_epoch(self) -> tuple[float, str | None]:
        """The epoch's mean training loss, and a reason if its last steps diverged."""
        reason = self._read_window() if self._window_steps else None
        mean = self._epoch_sum / max(1, self._epoch_steps)
        self._epoch_sum, self._epoch_steps = 0.0, 0
        return mean, reason

    def _read_window(self) -> str | None:
        total = float(self._window.item())
        steps = self._window_steps
        self._window.zero_()
        self._window_steps = 0
        self._epoch_sum += total
        self._epoch_steps += steps
        mean = total / steps
        if not math.isfinite(mean):
            return f"loss became {mean} by step {self._steps}"
        if self._initial is None:
            self._initial = mean
            return None
        limit = self._explode_factor * self._initial
        if self._initial > 0 and mean > limit:
            return (
                f"loss exploded to {mean:.3g} by step {self._steps} "
                f"(more than {self._explode_factor:g} × the first step's {self._initial:.3g})"
            )
        return None
