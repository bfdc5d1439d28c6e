"""adam, adamw, nadam and radam: torch's Adam family.

nadam uses decoupled weight decay (NAdamW, the variant that did well in AlgoPerf), which is
why ``advisor.families.DECOUPLED_DECAY`` lists it; radam keeps torch's L2 coupling.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import torch
from torch.optim import Optimizer

from advisor.config import TrainConfig
from workers.optim.base import FamilyBuilder, betas, or_default, torch_groups
from workers.optim.groups import ParamGroupPlan


def _adam_like(
    optimizer_class: Callable[..., Optimizer], default_decay: float = 0.0, **fixed: Any
) -> FamilyBuilder:
    def build(
        groups: Sequence[ParamGroupPlan], config: TrainConfig, hidden: frozenset[str]
    ) -> list[Optimizer]:
        decay = or_default(config.weight_decay, default_decay)
        return [
            optimizer_class(
                torch_groups(groups, config.lr, decay),
                lr=config.lr,
                betas=betas(config),
                eps=or_default(config.eps, 1e-8),
                **fixed,
            )
        ]

    return build


build_adam = _adam_like(torch.optim.Adam)
build_adamw = _adam_like(torch.optim.AdamW, default_decay=0.01)  # torch's AdamW default
build_nadam = _adam_like(torch.optim.NAdam, decoupled_weight_decay=True)
build_radam = _adam_like(torch.optim.RAdam)
