"""rmsprop: torch's RMSprop."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.optim import Optimizer

from advisor.config import TrainConfig
from workers.optim.base import or_default, torch_groups
from workers.optim.groups import ParamGroupPlan


def build_rmsprop(
    groups: Sequence[ParamGroupPlan], config: TrainConfig, hidden: frozenset[str]
) -> list[Optimizer]:
    decay = or_default(config.weight_decay, 0.0)
    return [
        torch.optim.RMSprop(
            torch_groups(groups, config.lr, decay),
            lr=config.lr,
            alpha=or_default(config.alpha, 0.99),
            momentum=or_default(config.momentum, 0.0),
            eps=or_default(config.eps, 1e-8),
        )
    ]
