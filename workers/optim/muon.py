"""muon: Muon for the 2-D weights of hidden layers, AdamW for everything else.

Muon orthogonalises each update of a weight matrix; it is defined for hidden layers only. Its
authors (Jordan et al., 2024) prescribe AdamW for embeddings, the output head, biases and
gains, and their reference recipe pairs Muon at lr 0.02 with that AdamW at lr 3e-4, betas
(0.9, 0.95), one weight decay for both. The config's ``lr`` is Muon's, on that scale (torch's
default "original" lr adjustment, as in the reference implementation); the AdamW half runs at
the recipe's ratio of it, so tuning ``lr`` moves both halves together.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.optim import Optimizer

from advisor.config import TrainConfig
from workers.optim.base import or_default, torch_groups
from workers.optim.groups import ParamGroupPlan

DEFAULT_MOMENTUM = 0.95
DEFAULT_WEIGHT_DECAY = 0.01
#: The reference recipe's AdamW lr over its Muon lr: 3e-4 / 0.02.
ADAMW_LR_RATIO = 0.015
ADAMW_BETAS = (0.9, 0.95)


def build_muon(
    groups: Sequence[ParamGroupPlan], config: TrainConfig, hidden: frozenset[str]
) -> list[Optimizer]:
    decay = or_default(config.weight_decay, DEFAULT_WEIGHT_DECAY)
    matrices, rest = split_hidden_matrices(groups, hidden)
    optimizers: list[Optimizer] = []
    if matrices:
        optimizers.append(
            torch.optim.Muon(
                torch_groups(matrices, config.lr, decay),
                lr=config.lr,
                momentum=or_default(config.momentum, DEFAULT_MOMENTUM),
            )
        )
    if rest:
        adamw_lr = config.lr * ADAMW_LR_RATIO
        optimizers.append(
            torch.optim.AdamW(torch_groups(rest, adamw_lr, decay), lr=adamw_lr, betas=ADAMW_BETAS)
        )
    return optimizers


def split_hidden_matrices(
    groups: Sequence[ParamGroupPlan], hidden: frozenset[str]
) -> tuple[list[ParamGroupPlan], list[ParamGroupPlan]]:
    """Each group split in two: its hidden matrices (``muon.<name>``) and the rest
    (``adamw.<name>``), so lr scales and decay carry over to both halves."""
    matrices: list[ParamGroupPlan] = []
    rest: list[ParamGroupPlan] = []
    for g in groups:
        for prefix, keep, bucket in (("muon", True, matrices), ("adamw", False, rest)):
            members = [
                (n, p)
                for n, p in zip(g.param_names, g.params, strict=True)
                if (n in hidden) == keep
            ]
            if members:
                bucket.append(
                    ParamGroupPlan(
                        name=f"{prefix}.{g.name}",
                        params=tuple(p for _, p in members),
                        param_names=tuple(n for n, _ in members),
                        lr_scale=g.lr_scale,
                        decay=g.decay,
                        sparse=g.sparse,
                    )
                )
    return matrices, rest
