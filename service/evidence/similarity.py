"""How alike a new task is to an ended job's task, from 0 (nothing in common) to 1.

The score is a weighted sum of per-feature agreements:

==============  ======  =================================================================
feature         weight  agreement
==============  ======  =================================================================
workload        0.35    1 when both name the same workload, else 0
domain          0.15    1 when equal, 0 when different, 0.5 when either is unknown
architecture    0.15    as domain
regime          0.10    as domain
dataset size    0.15    ``max(0, 1 - |log10(a / b)| / 2)``: 1 when equal, 0.85 at 2x, 0.5 at
                        10x, 0 at 100x apart; 0.5 when either is unknown
batch size      0.10    as dataset size
==============  ======  =================================================================

A past job is used only when its score reaches :data:`THRESHOLD` (0.6). The same workload
alone is not enough (0.35 plus unknowns at half); another workload can pass only when domain,
architecture and regime agree and the sizes are close (at most 0.65), so the workload counts
most, then what the task is, then its scale. Below the threshold nothing is used and the advice
is exactly the static one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from advisor.task import NormalisedTask

THRESHOLD = 0.6
WEIGHTS = {
    "workload": 0.35,
    "domain": 0.15,
    "architecture": 0.15,
    "regime": 0.10,
    "dataset_size": 0.15,
    "batch_size": 0.10,
}
#: Sizes this many decades apart agree not at all.
_SIZE_DECADES = 2.0


@dataclass(frozen=True)
class Match:
    """How a past job compares with the new task: its score and the words for the rationale."""

    score: float
    same_workload: bool
    #: New dataset size over the past one, when both are known.
    dataset_ratio: float | None

    def describe(self) -> str:
        """E.g. "same workload, dataset 1.2x larger" (for a rationale line)."""
        parts = ["same workload" if self.same_workload else "similar task"]
        if self.dataset_ratio is not None and not math.isclose(self.dataset_ratio, 1.0):
            if self.dataset_ratio > 1:
                parts.append(f"dataset {self.dataset_ratio:.2g}x larger")
            else:
                parts.append(f"dataset {1 / self.dataset_ratio:.2g}x smaller")
        parts.append(f"similarity {self.score:.2f}")
        return ", ".join(parts)


def similarity(
    new: NormalisedTask,
    new_workload: str | None,
    past: NormalisedTask,
    past_workload: str | None,
) -> Match:
    same_workload = new_workload is not None and new_workload == past_workload
    score = WEIGHTS["workload"] * (1.0 if same_workload else 0.0)
    for name in ("domain", "architecture", "regime"):
        score += WEIGHTS[name] * _category(getattr(new, name), getattr(past, name))
    for name in ("dataset_size", "batch_size"):
        score += WEIGHTS[name] * _size(getattr(new, name), getattr(past, name))
    ratio = None
    if new.dataset_size and past.dataset_size:
        ratio = new.dataset_size / past.dataset_size
    return Match(round(score, 6), same_workload, ratio)


def _category(a: object | None, b: object | None) -> float:
    if a is None or b is None:
        return 0.5
    return 1.0 if a == b else 0.0


def _size(a: float | None, b: float | None) -> float:
    if not a or not b or a <= 0 or b <= 0:
        return 0.5
    return max(0.0, 1.0 - abs(math.log10(a / b)) / _SIZE_DECADES)
