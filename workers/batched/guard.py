"""Divergence detection per trial of a batch, on the schedule of ``workers.runner.guard``.

The losses of all trials are summed per trial on the device and read back after steps 1, 2,
4, 8, 16, then every 32 steps, and at each epoch's end, as a trial alone is checked; the
reasons read the same. Every trial in a batch started together, so one step count serves all.
"""

from __future__ import annotations

import math

import torch
from torch import Tensor

from workers.runner.guard import MAX_CHECK_INTERVAL


class BatchedGuard:
    def __init__(self, trials: int, device: torch.device, explode_factor: float) -> None:
        self._explode_factor = explode_factor
        self._window = torch.zeros(trials, device=device, dtype=torch.float32)
        self._window_steps = 0
        self._steps = 0
        self._next_check = 1
        self._initial: list[float | None] = [None] * trials
        self._epoch_sum = [0.0] * trials
        self._epoch_steps = 0

    @property
    def steps(self) -> int:
        return self._steps

    def observe(self, losses: Tensor) -> dict[int, str]:
        """Record one step's ``[K]`` losses; the positions that diverged, with why."""
        self._window.add_(losses.detach().float())
        self._window_steps += 1
        self._steps += 1
        if self._steps < self._next_check:
            return {}
        self._next_check = min(2 * self._steps, self._steps + MAX_CHECK_INTERVAL)
        return self._read_window()

    def end_epoch(self) -> tuple[list[float], dict[int, str]]:
        """Each trial's mean training loss over the epoch, and the positions that diverged in
        its last steps."""
        reasons = self._read_window() if self._window_steps else {}
        means = [total / max(1, self._epoch_steps) for total in self._epoch_sum]
        self._epoch_sum = [0.0] * len(self._epoch_sum)
        self._epoch_steps = 0
        return means, reasons

    def keep(self, index: list[int]) -> None:
        """Only the trials at these positions go on (see ``BatchedOptimizer.keep``)."""
        self._window = self._window[
            torch.tensor(index, device=self._window.device, dtype=torch.long)
        ]
        self._initial = [self._initial[i] for i in index]
        self._epoch_sum = [self._epoch_sum[i] for i in index]

    def _read_window(self) -> dict[int, str]:
        totals = self._window.tolist()
        steps = self._window_steps
        self._window.zero_()
        self._window_steps = 0
        self._epoch_steps += steps
        reasons = {}
        for position, total in enumerate(totals):
            self._epoch_sum[position] += total
            mean = total / steps
            if not math.isfinite(mean):
                reasons[position] = f"loss became {mean} by step {self._steps}"
                continue
            initial = self._initial[position]
            if initial is None:
                self._initial[position] = mean
                continue
            limit = self._explode_factor * initial
            if initial > 0 and mean > limit:
                reasons[position] = (
                    f"loss exploded to {mean:.3g} by step {self._steps} "
                    f"(more than {self._explode_factor:g} × the first step's {initial:.3g})"
                )
        return reasons
