"""The optimizer for sparse embeddings, beside whichever family trains the dense layers.

This is the seeds' hybrid optimizer for recommenders (seed 002 §7: Adagrad for sparse ID
embeddings, AdamW for the dense tower). Only Adagrad, SparseAdam and SGD take sparse
gradients. Unless the config names one, SGD's sparse embeddings stay on SGD, sparse_adam's
on SparseAdam, and every other family's go to Adagrad.
"""

from __future__ import annotations

from collections.abc import Sequence

import torch
from torch.optim import Optimizer

from advisor.config import TrainConfig
from advisor.families import OptimizerName
from workers.optim.base import betas, or_default, torch_groups
from workers.optim.groups import ParamGroupPlan

SPARSE_CAPABLE = (OptimizerName.ADAGRAD, OptimizerName.SPARSE_ADAM, OptimizerName.SGD)

#: Used when the config gives no sparse_lr and the sparse optimizer differs from the dense
#: family (so the dense lr means nothing to it). Seed 003: sparse parameters take bigger steps.
DEFAULT_SPARSE_LR = {
    OptimizerName.ADAGRAD: 0.05,
    OptimizerName.SPARSE_ADAM: 0.01,
    OptimizerName.SGD: 0.1,
}


def sparse_family(config: TrainConfig) -> OptimizerName:
    if config.sparse_optimizer is not None:
        return config.sparse_optimizer
    if config.optimizer in SPARSE_CAPABLE:
        return config.optimizer
    return OptimizerName.ADAGRAD


def sparse_lr(config: TrainConfig) -> float:
    family = sparse_family(config)
    if config.sparse_lr is not None:
        return config.sparse_lr
    return config.lr if family is config.optimizer else DEFAULT_SPARSE_LR[family]


def build_sparse(groups: Sequence[ParamGroupPlan], config: TrainConfig) -> Optimizer:
    """One optimizer over the sparse groups. Weight decay is never applied: Adagrad refuses it
    with sparse gradients, and decaying rarely seen rows erases what little they learnt."""
    family, lr = sparse_family(config), sparse_lr(config)
    params = torch_groups(groups, lr, 0.0)
    same_family = family is config.optimizer
    if family is OptimizerName.SPARSE_ADAM:
        return torch.optim.SparseAdam(
            params,
            lr=lr,
            betas=betas(config) if same_family else (0.9, 0.999),
            eps=or_default(config.eps, 1e-8) if same_family else 1e-8,
        )
    if family is OptimizerName.ADAGRAD:
        return torch.optim.Adagrad(
            params,
            lr=lr,
            initial_accumulator_value=or_default(config.initial_accumulator_value, 0.0),
            eps=or_default(config.eps, 1e-10) if same_family else 1e-10,
        )
    return torch.optim.SGD(params, lr=lr)
