"""What every family module shares: the builder signature and the translation of planned
groups into torch's parameter-group dicts."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from torch.optim import Optimizer

from advisor.config import TrainConfig
from workers.optim.groups import ParamGroupPlan

TorchGroup = dict[str, Any]

#: Builds the optimizer(s) of one family for the dense groups of a model. Most families give
#: one optimizer; Muon gives two (Muon for hidden matrices, AdamW for the rest).
FamilyBuilder = Callable[[Sequence[ParamGroupPlan], TrainConfig, frozenset[str]], list[Optimizer]]


def torch_groups(
    groups: Sequence[ParamGroupPlan], lr: float, weight_decay: float
) -> list[TorchGroup]:
    """torch param groups: each keeps its plan's name, its lr scale applied, and weight
    decay only where the plan decays."""
    return [
        {
            "params": list(g.params),
            "name": g.name,
            "lr": lr * g.lr_scale,
            "weight_decay": weight_decay if g.decay else 0.0,
        }
        for g in groups
        if g.params
    ]


def or_default(value: float | None, default: float) -> float:
    return default if value is None else value


def betas(config: TrainConfig, default: tuple[float, float] = (0.9, 0.999)) -> tuple[float, float]:
    return (or_default(config.beta1, default[0]), or_default(config.beta2, default[1]))
