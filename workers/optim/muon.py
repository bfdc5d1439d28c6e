"""muon: Muon for the 2-D weights of hidden layers, AdamW for everything else.

Muon orthogonalises each update of a weight matrix; it is defined for hidden layers only. Its
authors (Jordan et al., 2024) prescribe AdamW for embeddings, the output head, biases and
gains. Both halves take the config's one ``lr`` and ``weight_decay``: Muon runs with torch's
``adjust_lr_fn="match_rms_adamw"``, which scales its update to AdamW's RMS (Liu et al.,
"Muon is Scalable for LLM Training", 2025) precisely so that AdamW's lr and decay carry over.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.optim import Optimizer

from advisor.config import TrainConfig
from workers.optim.base import or_default, torch_groups
from workers.optim.groups import ParamGroupPlan

DEFAULT_MOMENTUM = 0.95
DEFAULT_WEIGHT_DECAY = 0.1
#: AdamW's betas in the Moonlight recipe the lr matching comes from.
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
                adjust_lr_fn="match_rms_adamw",
            )
        )
    if rest:
        optimizers.append(
            torch.optim.AdamW(torch_groups(rest, config.lr, decay), lr=config.lr, betas=ADAMW_BETAS)
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
