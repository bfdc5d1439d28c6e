"""Ready configs per family, for when the advisor offers no candidate of that family.

Values are the seeds' starting points where they give one (seed 000: "Adam: 从0.001开始;
SGD: 从0.1开始"; momentum 0.9; betas 0.9/0.999), torch's defaults otherwise.
"""

from __future__ import annotations

from types import MappingProxyType

from advisor.config import TrainConfig
from advisor.families import OptimizerName

O = OptimizerName  # noqa: E741 -- short alias keeps the table readable

BUILTIN_DEFAULTS = MappingProxyType(
    {
        O.SGD: TrainConfig(optimizer=O.SGD, lr=0.1),
        O.MOMENTUM: TrainConfig(optimizer=O.MOMENTUM, lr=0.05, momentum=0.9),
        O.NESTEROV: TrainConfig(optimizer=O.NESTEROV, lr=0.05, momentum=0.9),
        O.ADAGRAD: TrainConfig(optimizer=O.ADAGRAD, lr=0.01),
        O.RMSPROP: TrainConfig(optimizer=O.RMSPROP, lr=1e-3, alpha=0.99),
        O.ADAM: TrainConfig(optimizer=O.ADAM, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8),
        O.ADAMW: TrainConfig(
            optimizer=O.ADAMW, lr=1e-3, beta1=0.9, beta2=0.999, eps=1e-8, weight_decay=0.01
        ),
        O.NADAM: TrainConfig(optimizer=O.NADAM, lr=2e-3, weight_decay=0.01),
        O.RADAM: TrainConfig(optimizer=O.RADAM, lr=1e-3),
        O.ADAFACTOR: TrainConfig(optimizer=O.ADAFACTOR, lr=1e-2),
        O.MUON: TrainConfig(optimizer=O.MUON, lr=0.02, momentum=0.95, weight_decay=0.01),
        O.SPARSE_ADAM: TrainConfig(optimizer=O.SPARSE_ADAM, lr=1e-3),
    }
)
