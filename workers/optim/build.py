"""From a flat ``TrainConfig`` to the optimizers that train a model."""

from __future__ import annotations

from torch import nn

from advisor.config import TrainConfig
from advisor.families import OptimizerName
from workers.errors import OptimizerConfigError
from workers.optim.adafactor import build_adafactor
from workers.optim.adagrad import build_adagrad
from workers.optim.adam import build_adam, build_adamw, build_nadam, build_radam
from workers.optim.base import FamilyBuilder
from workers.optim.composite import OptimizerSet
from workers.optim.groups import plan_parameters
from workers.optim.muon import build_muon
from workers.optim.rmsprop import build_rmsprop
from workers.optim.sgd import build_momentum, build_nesterov, build_sgd
from workers.optim.sparse import build_sparse
from workers.optim.sparse_adam import build_sparse_adam

O = OptimizerName  # noqa: E741 -- short alias keeps the table readable

FAMILY_BUILDERS: dict[OptimizerName, FamilyBuilder] = {
    O.SGD: build_sgd,
    O.MOMENTUM: build_momentum,
    O.NESTEROV: build_nesterov,
    O.ADAGRAD: build_adagrad,
    O.RMSPROP: build_rmsprop,
    O.ADAM: build_adam,
    O.ADAMW: build_adamw,
    O.NADAM: build_nadam,
    O.RADAM: build_radam,
    O.ADAFACTOR: build_adafactor,
    O.MUON: build_muon,
    O.SPARSE_ADAM: build_sparse_adam,
}


def build_optimizer(
    model: nn.Module, config: TrainConfig, head_modules: tuple[str, ...] = ("head",)
) -> OptimizerSet:
    """The optimizers for ``model`` as ``config`` describes them (see ``workers.optim.groups``
    for how parameters are grouped). Raises ``OptimizerConfigError`` when the config cannot
    drive this model."""
    plan = plan_parameters(
        model,
        no_decay_bias_and_norm=config.no_decay_bias_and_norm,
        backbone_lr_ratio=config.backbone_lr_ratio,
        head_modules=head_modules,
    )
    if config.optimizer is O.SPARSE_ADAM and not plan.sparse():
        raise OptimizerConfigError(
            "sparse_adam trains sparse embeddings (nn.Embedding(sparse=True)) and this model "
            "has none; use adam"
        )
    if not plan.groups:
        raise OptimizerConfigError("the model has no trainable parameters")
    optimizers = []
    if plan.dense():
        optimizers.extend(
            FAMILY_BUILDERS[config.optimizer](plan.dense(), config, plan.hidden_matrices)
        )
    if plan.sparse():
        optimizers.append(build_sparse(plan.sparse(), config))
    return OptimizerSet(optimizers)
