"""The flat, ready training config: what a candidate's defaults are, what a lease hands a worker,
and what ``tunewise train --config`` reads. One shape everywhere, validated once."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.families import FAMILY_PARAMS, OptimizerName, ParamName

PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
UnitInterval = Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]
NonNegative = Annotated[float, Field(ge=0, allow_inf_nan=False)]


class ScheduleName(StrEnum):
    CONSTANT = "constant"
    STEP = "step"
    EXPONENTIAL = "exponential"
    COSINE = "cosine"
    WARMUP_COSINE = "warmup_cosine"
    WARMUP_LINEAR = "warmup_linear"
    ONE_CYCLE = "one_cycle"


class ScheduleSpec(BaseModel):
    """A learning-rate schedule and its values. Warmup is a fraction of all optimizer steps."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: ScheduleName = ScheduleName.CONSTANT
    warmup_fraction: Annotated[float, Field(ge=0, le=0.5)] = 0.0
    #: step: multiply lr by ``gamma`` every ``step_epochs`` epochs (seeds: 30 and 0.1).
    step_epochs: Annotated[int, Field(ge=1)] = 30
    #: step: factor per step_epochs; exponential: factor per epoch (seeds: 0.95).
    gamma: Annotated[float, Field(gt=0, le=1)] | None = None
    #: cosine and linear decay end at lr × min_lr_fraction.
    min_lr_fraction: Annotated[float, Field(ge=0, lt=1)] = 0.0

    @model_validator(mode="before")
    @classmethod
    def _accept_bare_name(cls, data: Any) -> Any:
        if isinstance(data, str):
            return {"name": data}
        return data

    @model_validator(mode="after")
    def _check(self) -> Self:
        uses_warmup = self.name in (
            ScheduleName.WARMUP_COSINE,
            ScheduleName.WARMUP_LINEAR,
            ScheduleName.ONE_CYCLE,
        )
        if self.warmup_fraction > 0 and not uses_warmup:
            raise ValueError(
                f"warmup_fraction is only used by warmup_cosine, warmup_linear and one_cycle, "
                f"not by {self.name.value!r}"
            )
        return self

    def effective_gamma(self) -> float:
        if self.gamma is not None:
            return self.gamma
        return 0.95 if self.name is ScheduleName.EXPONENTIAL else 0.1


class TrainConfig(BaseModel):
    """A ready optimizer config, flat, with torch's keyword names (betas split in two).

    Keys a family does not take are refused rather than silently dropped, so a typo in a
    config never trains something other than what was asked for.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    optimizer: OptimizerName
    lr: PositiveFloat
    momentum: UnitInterval | None = None
    dampening: UnitInterval | None = None
    weight_decay: NonNegative | None = None
    beta1: UnitInterval | None = None
    beta2: UnitInterval | None = None
    eps: PositiveFloat | None = None
    alpha: UnitInterval | None = None
    initial_accumulator_value: NonNegative | None = None
    schedule: ScheduleSpec = ScheduleSpec()
    grad_clip_norm: PositiveFloat | None = None
    #: Parameter groups: biases, normalization layers and embeddings get no weight decay.
    no_decay_bias_and_norm: bool = True
    #: Fine-tuning: the pretrained backbone trains at lr × backbone_lr_ratio (seed 001 §7).
    backbone_lr_ratio: Annotated[float, Field(gt=0, le=1)] | None = None
    #: Sparse embeddings (nn.Embedding(sparse=True)) train on their own optimizer.
    sparse_optimizer: OptimizerName | None = None
    sparse_lr: PositiveFloat | None = None
    batch_size: Annotated[int, Field(ge=1)] | None = None

    @model_validator(mode="after")
    def _check_family_keys(self) -> Self:
        allowed = set(FAMILY_PARAMS[self.optimizer])
        given = {p for p in ParamName if getattr(self, p.value) is not None}
        extra = sorted(p.value for p in given - allowed)
        if extra:
            raise ValueError(
                f"optimizer {self.optimizer.value!r} does not take {', '.join(extra)}; "
                f"it takes {', '.join(p.value for p in FAMILY_PARAMS[self.optimizer])}"
            )
        if self.optimizer is OptimizerName.NESTEROV and self.momentum == 0:
            raise ValueError("nesterov needs momentum > 0 (torch refuses nesterov with momentum 0)")
        if self.sparse_optimizer not in (
            None,
            OptimizerName.ADAGRAD,
            OptimizerName.SPARSE_ADAM,
            OptimizerName.SGD,
        ):
            raise ValueError("sparse_optimizer must be one of adagrad, sparse_adam, sgd")
        return self

    def hyperparameters(self) -> dict[str, float]:
        """The family's numeric hyperparameters that are set, by name."""
        return {
            p.value: float(v)
            for p in FAMILY_PARAMS[self.optimizer]
            if (v := getattr(self, p.value)) is not None
        }
