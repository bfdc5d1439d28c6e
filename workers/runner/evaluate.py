"""The validation metric of a model, in batches, without gradients."""

from __future__ import annotations

import torch
from torch import nn

from workers.device import autocast
from workers.workloads.base import Split, Workload


@torch.no_grad()
def evaluate(
    workload: Workload,
    model: nn.Module,
    valid: Split,
    batch_size: int,
    autocast_dtype: torch.dtype | None,
) -> float:
    was_training = model.training
    model.eval()
    try:
        device = valid.target.device
        outputs = []
        with autocast(device, autocast_dtype):
            for start in range(0, len(valid), batch_size):
                inputs = tuple(t[start : start + batch_size] for t in valid.inputs)
                outputs.append(workload.forward(model, inputs))
        return float(workload.metric(torch.cat(outputs), valid.target))
    finally:
        model.train(was_training)
