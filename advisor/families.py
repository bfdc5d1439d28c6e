"""Optimizer families the advisor can name, and the facts about each that rules rely on.

Facts only (which hyperparameters a family takes, how its weight decay couples, how much state it
keeps); preferences live in the rules.
"""

from __future__ import annotations

from enum import StrEnum


class OptimizerName(StrEnum):
    SGD = "sgd"
    MOMENTUM = "momentum"
    NESTEROV = "nesterov"
    ADAGRAD = "adagrad"
    RMSPROP = "rmsprop"
    ADAM = "adam"
    ADAMW = "adamw"
    NADAM = "nadam"
    RADAM = "radam"
    ADAFACTOR = "adafactor"
    MUON = "muon"
    SPARSE_ADAM = "sparse_adam"


class ParamName(StrEnum):
    """Hyperparameter names: torch's keywords, with ``betas`` split into beta1 and beta2."""

    LR = "lr"
    MOMENTUM = "momentum"
    WEIGHT_DECAY = "weight_decay"
    BETA1 = "beta1"
    BETA2 = "beta2"
    EPS = "eps"
    ALPHA = "alpha"
    INITIAL_ACCUMULATOR_VALUE = "initial_accumulator_value"
    DAMPENING = "dampening"


O = OptimizerName  # noqa: E741 -- short aliases keep the tables below readable
P = ParamName

#: The seven families the seed documents discuss.
SEED_FAMILIES: tuple[OptimizerName, ...] = (
    O.SGD,
    O.MOMENTUM,
    O.NESTEROV,
    O.ADAGRAD,
    O.RMSPROP,
    O.ADAM,
    O.ADAMW,
)

#: Newer families offered where public evidence supports them; always marked as such.
NEWER_FAMILIES: tuple[OptimizerName, ...] = (O.NADAM, O.RADAM, O.ADAFACTOR, O.MUON, O.SPARSE_ADAM)

#: Hyperparameters each family takes (what a search space and a ready config may hold).
FAMILY_PARAMS: dict[OptimizerName, tuple[ParamName, ...]] = {
    O.SGD: (P.LR, P.WEIGHT_DECAY),
    O.MOMENTUM: (P.LR, P.MOMENTUM, P.DAMPENING, P.WEIGHT_DECAY),
    O.NESTEROV: (P.LR, P.MOMENTUM, P.WEIGHT_DECAY),
    O.ADAGRAD: (P.LR, P.INITIAL_ACCUMULATOR_VALUE, P.EPS, P.WEIGHT_DECAY),
    O.RMSPROP: (P.LR, P.ALPHA, P.MOMENTUM, P.EPS, P.WEIGHT_DECAY),
    O.ADAM: (P.LR, P.BETA1, P.BETA2, P.EPS, P.WEIGHT_DECAY),
    O.ADAMW: (P.LR, P.BETA1, P.BETA2, P.EPS, P.WEIGHT_DECAY),
    O.NADAM: (P.LR, P.BETA1, P.BETA2, P.EPS, P.WEIGHT_DECAY),
    O.RADAM: (P.LR, P.BETA1, P.BETA2, P.EPS, P.WEIGHT_DECAY),
    O.ADAFACTOR: (P.LR, P.BETA2, P.EPS, P.WEIGHT_DECAY),
    O.MUON: (P.LR, P.MOMENTUM, P.WEIGHT_DECAY),
    O.SPARSE_ADAM: (P.LR, P.BETA1, P.BETA2, P.EPS),
}

#: Families whose weight decay is decoupled from the gradient (AdamW-style); the others add it
#: to the gradient as L2, which puts sensible values orders of magnitude apart.
DECOUPLED_DECAY: frozenset[OptimizerName] = frozenset({O.ADAMW, O.NADAM, O.ADAFACTOR, O.MUON})

#: Optimizer state buffers per parameter (seed 000's table, seed 002 section 6).
STATE_BUFFERS: dict[OptimizerName, int] = {
    O.SGD: 0,
    O.MOMENTUM: 1,
    O.NESTEROV: 1,
    O.ADAGRAD: 1,
    O.RMSPROP: 1,
    O.ADAM: 2,
    O.ADAMW: 2,
    O.NADAM: 2,
    O.RADAM: 2,
    O.ADAFACTOR: 1,  # factored second moment: rows + columns, far less than one full buffer
    O.MUON: 1,
    O.SPARSE_ADAM: 2,
}
