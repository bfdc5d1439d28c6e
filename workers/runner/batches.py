"""Mini-batches of in-memory tensors without a DataLoader.

The workloads' data lives on the training device as whole tensors, so a batch is one gather
with an index tensor: no worker processes, no collation, no host-to-device copy per step.
"""

from __future__ import annotations

from collections.abc import Iterator

import torch
from torch import Tensor


class ShuffledBatches:
    """Indices of each epoch's batches: a fresh permutation per epoch from a seeded generator
    (on the CPU, so a seed gives the same order on any device). The last partial batch is
    dropped, as a batch of one breaks batch norm; a split smaller than one batch is one batch."""

    def __init__(self, n: int, batch_size: int, seed: int, device: torch.device) -> None:
        if n < 1:
            raise ValueError("cannot batch an empty split")
        self.n = n
        self.batch_size = min(batch_size, n)
        self.per_epoch = n // self.batch_size
        self._device = device
        self._generator = torch.Generator().manual_seed(seed)

    def epoch(self) -> Iterator[Tensor]:
        order = torch.randperm(self.n, generator=self._generator).to(self._device)
        used = self.per_epoch * self.batch_size
        yield from order[:used].view(self.per_epoch, self.batch_size)
