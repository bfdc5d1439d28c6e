"""Optimizers from a flat config: every family the advisor may name, with parameter groups
(no decay on biases, norms and embeddings; a sparse-embedding optimizer; a backbone lr ratio)."""

from workers.optim.build import FAMILY_BUILDERS, build_optimizer
from workers.optim.composite import OptimizerSet
from workers.optim.defaults import BUILTIN_DEFAULTS
from workers.optim.groups import ParameterPlan, ParamGroupPlan, plan_parameters
from workers.optim.sparse import sparse_family, sparse_lr

__all__ = [
    "BUILTIN_DEFAULTS",
    "FAMILY_BUILDERS",
    "OptimizerSet",
    "ParamGroupPlan",
    "ParameterPlan",
    "build_optimizer",
    "plan_parameters",
    "sparse_family",
    "sparse_lr",
]
