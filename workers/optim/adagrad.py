"""adagrad: torch's Adagrad (also the default optimizer for sparse embeddings)."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.optim import Optimizer

from advisor.config import TrainConfig
from workers.optim.base import or_default, torch_groups
from workers.optim.groups import ParamGroupPlan


def build_adagrad(
    groups: Sequence[ParamGroupPlan], config: TrainConfig, hidden: frozenset[str]
) -> list[Optimizer]:
    decay = or_default(config.weight_decay, 0.0)
    return [
        torch.optim.Adagrad(
            torch_groups(groups, config.lr, decay),
            lr=config.lr,
            initial_accumulator_value=or_default(config.initial_accumulator_value, 0.0),
            eps=or_default(config.eps, 1e-10),
        )
    ]
