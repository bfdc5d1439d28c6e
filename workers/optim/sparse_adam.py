"""sparse_adam: SparseAdam for sparse embeddings, Adam with the same betas for the rest.

torch's SparseAdam takes sparse gradients only, so on its own it cannot train a model's dense
layers; the torch docs pair it with Adam, and so does this family. It needs a model with sparse
embeddings (``WorkloadSpec.sparse_features``); without them it would just be Adam.
"""

from __future__ import annotations

from collections.abc import Sequence

from torch.optim import Optimizer

from advisor.config import TrainConfig
from workers.optim.adam import build_adam
from workers.optim.groups import ParamGroupPlan


def build_sparse_adam(
    groups: Sequence[ParamGroupPlan], config: TrainConfig, hidden: frozenset[str]
) -> list[Optimizer]:
    # The dense half; the sparse half is built by workers.optim.sparse like any family's.
    return build_adam(groups, config, hidden)
