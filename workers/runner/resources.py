"""What a trial costs besides its quality: training time, peak memory, model size.

Reported beside the quality metric so that a job can search a trade-off or bound one of them
(tunewise.wire.metrics names them). Peak memory is CUDA's own peak-allocated counter on a GPU
(reset when the trial starts, so it is this trial's). On the CPU it is how much the process's
peak resident set (``getrusage``'s ``ru_maxrss``) rose during the trial: a trial that stays
under an earlier trial's peak in the same worker process reports 0.
"""

from __future__ import annotations

import resource
import sys

import torch
from torch import nn

MIB = 2**20


def n_parameters(model: nn.Module) -> int:
    """Trainable parameters (what the optimizer keeps state for)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)


class PeakMemory:
    """Measures the peak memory of what runs between ``start`` and ``stop``, in MiB."""

    def __init__(self, device: torch.device) -> None:
        self._device = device
        self._rss_before = 0.0

    def start(self) -> None:
        if self._device.type == "cuda":
            torch.cuda.reset_peak_memory_stats(self._device)
        else:
            self._rss_before = _peak_rss_bytes()

    def stop(self) -> float:
        if self._device.type == "cuda":
            return torch.cuda.max_memory_allocated(self._device) / MIB
        return max(0.0, _peak_rss_bytes() - self._rss_before) / MIB


def _peak_rss_bytes() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    # Linux reports kilobytes, macOS bytes.
    return float(peak if sys.platform == "darwin" else peak * 1024)
