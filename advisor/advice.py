"""The advisor's answer (the Advice of the v1 contract)."""

from __future__ import annotations

from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.config import ScheduleSpec, TrainConfig
from advisor.corpus.evidence import RecipeEvidence
from advisor.families import OptimizerName
from advisor.task import NormalisedTask

Scalar = float | int | str | bool


class Range(BaseModel):
    """A numeric range to search; ``log`` ranges are sampled log-uniformly."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    low: float = Field(allow_inf_nan=False)
    high: float = Field(allow_inf_nan=False)
    log: bool = False

    @model_validator(mode="after")
    def _ordered(self) -> Self:
        if not self.low < self.high:
            raise ValueError(f"range needs low < high, got low={self.low} high={self.high}")
        if self.log and self.low <= 0:
            raise ValueError(f"a log range needs low > 0, got low={self.low}")
        return self

    def contains(self, value: float) -> bool:
        return self.low <= value <= self.high


class Choices(BaseModel):
    """A categorical set to search."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    choices: tuple[Scalar, ...] = Field(min_length=1)

    def contains(self, value: Scalar) -> bool:
        return value in self.choices


SearchDimension = Range | Choices


class RationaleItem(BaseModel):
    """One rule that fired, in words, with where it comes from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    rule: str
    text: str
    #: What a person can open (a paper, a documentation page, a repository file's address) and
    #: the rule's own id ("…; tunewise rule vision.cnn_sgd_momentum (from the optimizer
    #: tutorials: tutorial 000, “How to choose an optimizer › Concrete advice”)"); never a file
    #: name of tunewise's own.
    source: str = Field(min_length=1)


class ParamGroupAdvice(BaseModel):
    """How to split the model's parameters, e.g. no decay on biases and norms."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: str
    applies_to: str
    settings: dict[str, Scalar]
    rule: str


class Candidate(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    optimizer: OptimizerName
    score: Annotated[float, Field(ge=0, le=1)]
    #: "seed": one of the seven families the seeds discuss; "newer": offered on public evidence.
    origin: Literal["seed", "newer"]
    defaults: TrainConfig
    search_space: dict[str, SearchDimension]
    schedule: ScheduleSpec
    param_groups: tuple[ParamGroupAdvice, ...] = ()
    rationale: tuple[RationaleItem, ...] = Field(min_length=1)


#: Metrics every built-in workload reports beside its quality metric, that the advisor may
#: suggest bounding or trading off (the job contract's names).
ResourceMetric = Literal["train_seconds", "peak_memory_mb"]


class SuggestedConstraint(BaseModel):
    """A bound a job should put on every trial, the shape of the wire's ``Constraint``: exactly
    one of ``max`` (feasible when the value is at most it) or ``min``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: ResourceMetric
    max: Annotated[float, Field(gt=0, allow_inf_nan=False)] | None = None
    min: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Self:
        if (self.max is None) == (self.min is None):
            raise ValueError(f"constraint on {self.metric!r}: give exactly one of max or min")
        return self


class SuggestedObjective(BaseModel):
    """An objective a job should add after its own quality objective, the shape of the wire's
    ``Objective``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    metric: ResourceMetric
    direction: Literal["minimize", "maximize"] = "minimize"


Sampler = Literal["random", "qmc", "tpe", "cmaes", "grid"]
Pruner = Literal["none", "median", "successive_halving", "hyperband"]


class SearchPlan(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sampler: Sampler
    pruner: Pruner
    n_trials: Annotated[int, Field(ge=1)]
    #: Which parameters to tune at this budget; the rest stay at each candidate's defaults.
    tuned_params: tuple[str, ...]
    #: The families worth searching at this budget (a portfolio, best first).
    families: tuple[OptimizerName, ...] = Field(min_length=1)
    #: Bounds the job should put on every trial (a stated memory or time limit); each comes
    #: with a rationale item of the rule that suggested it.
    constraints: tuple[SuggestedConstraint, ...] = ()
    #: Objectives to add after the job's quality objective (a stated trade-off, e.g. training
    #: time), each with a rationale item; empty for a single-objective job.
    secondary_objectives: tuple[SuggestedObjective, ...] = ()
    rationale: tuple[RationaleItem, ...] = ()


class Advice(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    task: NormalisedTask
    candidates: tuple[Candidate, ...] = Field(min_length=1)
    search: SearchPlan
    notes: tuple[RationaleItem, ...] = ()
    #: True when nothing in the task could be recognised and this is the seeds' default answer.
    default_answer: bool = False
    #: The published recipes most like this task, most similar first, with their citations
    #: (empty in advice stored before the corpus existed, so old job advice still validates).
    evidence: tuple[RecipeEvidence, ...] = ()

    def best(self) -> Candidate:
        return self.candidates[0]

    def candidate(self, family: OptimizerName) -> Candidate | None:
        return next((c for c in self.candidates if c.optimizer is family), None)
