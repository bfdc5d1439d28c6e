"""sgd, momentum and nesterov: torch's SGD with the momentum each family implies."""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.optim import Optimizer

from advisor.config import TrainConfig
from workers.optim.base import FamilyBuilder, or_default, torch_groups
from workers.optim.groups import ParamGroupPlan

#: The seeds' momentum (seed 002 §7: "momentum (β) 通常设为 0.9").
DEFAULT_MOMENTUM = 0.9


def _sgd(default_momentum: float, nesterov: bool = False) -> FamilyBuilder:
    def build(
        groups: Sequence[ParamGroupPlan], config: TrainConfig, hidden: frozenset[str]
    ) -> list[Optimizer]:
        decay = or_default(config.weight_decay, 0.0)
        return [
            torch.optim.SGD(
                torch_groups(groups, config.lr, decay),
                lr=config.lr,
                momentum=or_default(config.momentum, default_momentum),
                # torch refuses nesterov with dampening, so the nesterov family takes none.
                dampening=0.0 if nesterov else or_default(config.dampening, 0.0),
                nesterov=nesterov,
            )
        ]

    return build


build_sgd = _sgd(default_momentum=0.0)
build_momentum = _sgd(default_momentum=DEFAULT_MOMENTUM)
build_nesterov = _sgd(default_momentum=DEFAULT_MOMENTUM, nesterov=True)
