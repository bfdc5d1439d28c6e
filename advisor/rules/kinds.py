"""Named groups of optimizer families that rules address together, derived from the facts in
``advisor.families`` where a fact decides membership."""

from __future__ import annotations

from advisor.families import DECOUPLED_DECAY, FAMILY_PARAMS, OptimizerName, ParamName
from advisor.rules.base import Families

O = OptimizerName  # noqa: E741 -- short alias keeps the rule tables readable

ALL: Families = frozenset(OptimizerName)
SGD_FAMILY: Families = frozenset({O.SGD, O.MOMENTUM, O.NESTEROV})
WITH_MOMENTUM: Families = frozenset({O.MOMENTUM, O.NESTEROV})
ADAM_FAMILY: Families = frozenset({O.ADAM, O.ADAMW, O.NADAM, O.RADAM})
#: Families that take betas, including SparseAdam (sparse gradients only).
WITH_BETAS: Families = ADAM_FAMILY | {O.SPARSE_ADAM}
DECAYING: Families = frozenset(f for f in O if ParamName.WEIGHT_DECAY in FAMILY_PARAMS[f])
DECOUPLED: Families = frozenset(DECOUPLED_DECAY)
COUPLED: Families = DECAYING - DECOUPLED
#: Families that can train a whole model's dense parameters (SparseAdam cannot).
DENSE: Families = ALL - {O.SPARSE_ADAM}


def of(*families: OptimizerName) -> Families:
    return frozenset(families)
