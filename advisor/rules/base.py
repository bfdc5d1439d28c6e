"""What a rule is: an id, a condition on the task, an effect on the advice, and its sources.

Rules are data. The engine (``advisor.engine``) is the only code that interprets them; the few
effects a constant cannot express are named ``Adjustment``s, implemented and documented in
``advisor.rules.adjustments``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.advice import (
    ParamGroupAdvice,
    Pruner,
    Sampler,
    SuggestedConstraint,
    SuggestedObjective,
)
from advisor.config import ScheduleName, ScheduleSpec
from advisor.families import FAMILY_PARAMS, OptimizerName, ParamName
from advisor.task import Architecture, Domain, NormalisedTask, Priority, Regime, Symptom

Families = frozenset[OptimizerName]

#: Hyperparameters searched on a log scale; the others (momentum, betas, alpha) are linear.
LOG_SCALED: frozenset[ParamName] = frozenset(
    {ParamName.LR, ParamName.EPS, ParamName.WEIGHT_DECAY, ParamName.INITIAL_ACCUMULATOR_VALUE}
)


class Topic(StrEnum):
    """The rule's subject; a rule's id is ``<topic>.<name>``."""

    DEFAULT = "default"
    RANGES = "ranges"
    DECAY = "decay"
    BETAS = "betas"
    VISION = "vision"
    NLP = "nlp"
    RECSYS = "recsys"
    SEQUENCE = "sequence"
    RL_GAN = "rl_gan"
    SPEECH = "speech"
    FINE_TUNING = "fine_tuning"
    SCALE = "scale"
    SCHEDULES = "schedules"
    CURRENT = "current"
    SYMPTOMS = "symptoms"
    PRIORITY = "priority"
    DIAGNOSTICS = "diagnostics"
    SEARCH = "search"
    NEWER = "newer"
    RESOURCES = "resources"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


# --- sources -------------------------------------------------------------------------------


class SeedSource(_Frozen):
    """A seed document and the heading path of the section the rule comes from."""

    kind: Literal["seed"] = "seed"
    #: The seed's file name in ``seeds/``, exactly (e.g. ``000_ea1261471f0af607.txt``).
    file: str = Field(pattern=r"^\d{3}_[0-9a-f]{16}\.txt$")
    #: Headings from outer to inner, each as it appears in the file.
    section: tuple[str, ...] = Field(min_length=1)
    #: Optional words of the seed the rule rests on, verbatim (checked against the file).
    quote: str | None = None
    #: The section's headings in English, for people (the seeds are Chinese tutorials).
    section_words: tuple[str, ...] = ()

    def cite(self) -> str:
        """In words, never a file name: the seeds ship with the project, not with its users."""
        return f"tutorial {self.file[:3]}, “{' › '.join(self.section_words or self.section)}”"


class Reference(_Frozen):
    """Public evidence: a paper, a guide or official documentation."""

    kind: Literal["reference"] = "reference"
    name: str = Field(min_length=3)
    url: str = Field(pattern=r"^https://\S+$")

    def cite(self) -> str:
        return f"{self.name} <{self.url}>"


Source = Annotated[SeedSource | Reference, Field(discriminator="kind")]


# --- conditions ----------------------------------------------------------------------------


class Between(_Frozen):
    """An inclusive numeric interval; an open end is None."""

    low: float | None = None
    high: float | None = None

    def holds(self, value: float | None) -> bool:
        if value is None:
            return False
        return (self.low is None or value >= self.low) and (self.high is None or value <= self.high)


def at_least(low: float) -> Between:
    return Between(low=low)


def at_most(high: float) -> Between:
    return Between(high=high)


TASK_FIELDS: frozenset[str] = frozenset(NormalisedTask.model_fields) - {"inferred"}


class Condition(_Frozen):
    """When a rule applies. Every constraint given must hold (AND); ``any_of`` adds one more
    constraint: at least one of its conditions holds. A constraint on a field the task leaves
    unknown does not hold: rules fire on what is known, never on guesses."""

    domains: frozenset[Domain] | None = None
    architectures: frozenset[Architecture] | None = None
    regimes: frozenset[Regime] | None = None
    priorities: frozenset[Priority] | None = None
    #: Holds when the task reports at least one of these symptoms.
    symptoms: frozenset[Symptom] | None = None
    current_optimizers: frozenset[OptimizerName] | None = None
    #: The schedule the person uses now, read from ``current.schedule``.
    current_schedules: frozenset[ScheduleName] | None = None
    sparse_features: bool | None = None
    time_tradeoff: bool | None = None
    model_params: Between | None = None
    dataset_size: Between | None = None
    batch_size: Between | None = None
    epochs: Between | None = None
    steps: Between | None = None
    budget_trials: Between | None = None
    #: Task fields that must be given (or inferred) / must be left unknown.
    known: frozenset[str] = frozenset()
    unknown: frozenset[str] = frozenset()
    any_of: tuple[Condition, ...] = ()

    @model_validator(mode="after")
    def _fields_exist(self) -> Self:
        strange = sorted((self.known | self.unknown) - TASK_FIELDS)
        if strange:
            raise ValueError(f"unknown task fields {strange}; fields are {sorted(TASK_FIELDS)}")
        return self

    def holds(self, task: NormalisedTask) -> bool:
        return (
            self._sets_hold(task)
            and self._bounds_hold(task)
            and all(getattr(task, f) is not None for f in self.known)
            and all(getattr(task, f) is None for f in self.unknown)
            and (not self.any_of or any(c.holds(task) for c in self.any_of))
        )

    def _sets_hold(self, task: NormalisedTask) -> bool:
        current = task.current
        pairs: tuple[tuple[frozenset[StrEnum] | None, StrEnum | None], ...] = (
            (self.domains, task.domain),
            (self.architectures, task.architecture),
            (self.regimes, task.regime),
            (self.priorities, task.priority),
            (self.current_optimizers, current.optimizer if current else None),
            (self.current_schedules, schedule_kind(current.schedule if current else None)),
        )
        if any(allowed is not None and value not in allowed for allowed, value in pairs):
            return False
        if self.symptoms is not None and self.symptoms.isdisjoint(task.symptoms):
            return False
        if self.time_tradeoff is not None and task.time_tradeoff is not self.time_tradeoff:
            return False
        return self.sparse_features is None or task.sparse_features is self.sparse_features

    def _bounds_hold(self, task: NormalisedTask) -> bool:
        bounds = (
            (self.model_params, task.model_params),
            (self.dataset_size, task.dataset_size),
            (self.batch_size, task.batch_size),
            (self.epochs, task.epochs),
            (self.steps, task.steps),
            (self.budget_trials, task.budget_trials),
        )
        return all(bound is None or bound.holds(value) for bound, value in bounds)


#: Ways people name their schedule (PyTorch class names included), by the kind they mean.
_SCHEDULE_WORDS: dict[str, ScheduleName] = {
    "steplr": ScheduleName.STEP,
    "multisteplr": ScheduleName.STEP,
    "exponentiallr": ScheduleName.EXPONENTIAL,
    "exp": ScheduleName.EXPONENTIAL,
    "cosineannealinglr": ScheduleName.COSINE,
    "cosineannealing": ScheduleName.COSINE,
    "onecyclelr": ScheduleName.ONE_CYCLE,
    "onecycle": ScheduleName.ONE_CYCLE,
    "none": ScheduleName.CONSTANT,
    "constantlr": ScheduleName.CONSTANT,
    "linear": ScheduleName.WARMUP_LINEAR,
    "warmupcosine": ScheduleName.WARMUP_COSINE,
    "warmuplinear": ScheduleName.WARMUP_LINEAR,
}


def schedule_kind(text: str | None) -> ScheduleName | None:
    """The schedule kind a free-form name means ("StepLR", "cosine", "warmup_cosine"…)."""
    if text is None:
        return None
    key = "".join(ch for ch in text.lower() if ch.isalnum())
    if key in _SCHEDULE_WORDS:
        return _SCHEDULE_WORDS[key]
    return next((kind for kind in ScheduleName if kind.value.replace("_", "") == key), None)


# --- effects -------------------------------------------------------------------------------


class ParamSetting(_Frozen):
    """Sets a hyperparameter's default and/or search range for some families.

    Later rules win. A new range pulls an old default inside it (clamped); a new default
    outside the old range stretches the range to reach it."""

    families: Families = Field(min_length=1)
    param: ParamName
    default: float | None = None
    low: float | None = None
    high: float | None = None

    @model_validator(mode="after")
    def _check(self) -> Self:
        strangers = sorted(f.value for f in self.families if self.param not in FAMILY_PARAMS[f])
        if strangers:
            raise ValueError(f"{', '.join(strangers)} do not take {self.param.value}")
        if (self.low is None) != (self.high is None):
            raise ValueError("give both low and high, or neither")
        if self.default is None and self.low is None:
            raise ValueError("a setting needs a default, a range, or both")
        if self.low is not None and self.high is not None:
            if not self.low < self.high:
                raise ValueError(f"range needs low < high, got {self.low}..{self.high}")
            if self.param in LOG_SCALED and self.low <= 0:
                raise ValueError(f"{self.param.value} is searched on a log scale: low must be > 0")
            if self.default is not None and not self.low <= self.default <= self.high:
                raise ValueError(f"default {self.default} lies outside {self.low}..{self.high}")
        return self


class ScheduleSetting(_Frozen):
    families: Families = Field(min_length=1)
    schedule: ScheduleSpec


class ConfigSetting(_Frozen):
    """Ready-config settings beyond the family's hyperparameters (see ``TrainConfig``)."""

    families: Families = Field(min_length=1)
    grad_clip_norm: float | None = Field(default=None, gt=0)
    #: 1.0 means one lr for the whole model (no separate backbone lr).
    backbone_lr_ratio: float | None = Field(default=None, gt=0, le=1)
    sparse_optimizer: OptimizerName | None = None
    sparse_lr: float | None = Field(default=None, gt=0)
    #: Where to search the sparse group's lr (log scale); the embeddings' lr moves the result
    #: as much as the dense lr does, so a hybrid's advice searches it rather than fixing it.
    sparse_lr_low: float | None = Field(default=None, gt=0)
    sparse_lr_high: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _sparse_range(self) -> Self:
        low, high = self.sparse_lr_low, self.sparse_lr_high
        if (low is None) != (high is None):
            raise ValueError("give both sparse_lr_low and sparse_lr_high, or neither")
        if low is not None and high is not None:
            if not low < high:
                raise ValueError(f"sparse lr range needs low < high, got {low}..{high}")
            if self.sparse_lr is not None and not low <= self.sparse_lr <= high:
                raise ValueError(f"sparse_lr {self.sparse_lr} lies outside {low}..{high}")
        return self


class GroupSetting(_Frozen):
    families: Families = Field(min_length=1)
    group: ParamGroupAdvice


class SearchEffect(_Frozen):
    """Effects on the search plan rather than on one family."""

    #: Parameters worth tuning (the plan keeps those some portfolio family takes).
    tune: tuple[ParamName, ...] = ()
    sampler: Sampler | None = None
    pruner: Pruner | None = None
    portfolio_size: int | None = Field(default=None, ge=1)
    #: Each group must be represented in the portfolio by its best-ranked member.
    portfolio_needs: tuple[Families, ...] = ()
    #: Families never searched on their own (they serve as another family's group optimizer).
    portfolio_excludes: Families = frozenset()
    #: Bounds and extra objectives the job should take (a later one on a metric replaces it).
    constraints: tuple[SuggestedConstraint, ...] = ()
    objectives: tuple[SuggestedObjective, ...] = ()

    def shapes_the_plan(self) -> bool:
        """Whether this changes the plan for this task. A standing exclusion alone is a fact
        about a family, cited in that family's rationale rather than in every plan."""
        return bool(
            self.tune
            or self.sampler
            or self.pruner
            or self.portfolio_size
            or self.portfolio_needs
            or self.constraints
            or self.objectives
        )


class Adjustment(StrEnum):
    """Effects computed from the task where a constant cannot say it; each is documented where
    it is implemented (``advisor.rules.adjustments``)."""

    SGD_LR_SCALES_WITH_BATCH = "sgd_lr_scales_with_batch"
    ADAMW_LR_SCALES_WITH_BATCH = "adamw_lr_scales_with_batch"
    START_FROM_CURRENT = "start_from_current"
    KEEP_CURRENT_SCHEDULE = "keep_current_schedule"
    RAISE_LR = "raise_lr"
    LOWER_LR = "lower_lr"
    WIDEN_LR_A_DECADE = "widen_lr_a_decade"
    CAP_WARMUP_FRACTION = "cap_warmup_fraction"
    PORTFOLIO_SIZE_BY_BUDGET = "portfolio_size_by_budget"
    MEMORY_LIMIT_CONSTRAINT = "memory_limit_constraint"
    RANK_BY_STATE_MEMORY = "rank_by_state_memory"
    MODEL_EXCEEDS_MEMORY = "model_exceeds_memory"
    TIME_LIMIT_CONSTRAINT = "time_limit_constraint"
    BUDGET_AWARE_SCHEDULE = "budget_aware_schedule"


class Effect(_Frozen):
    #: Score points added per family (the engine squashes the sum into 0..1).
    scores: dict[OptimizerName, float] = Field(default_factory=dict)
    params: tuple[ParamSetting, ...] = ()
    schedules: tuple[ScheduleSetting, ...] = ()
    config: tuple[ConfigSetting, ...] = ()
    groups: tuple[GroupSetting, ...] = ()
    #: Advice for the person that is not about one family (diagnostics, tuning order…).
    notes: tuple[str, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    search: SearchEffect | None = None

    def families(self) -> Families:
        """Families this effect touches directly (adjustments may touch more)."""
        settings: tuple[ParamSetting | ScheduleSetting | ConfigSetting | GroupSetting, ...] = (
            *self.params,
            *self.schedules,
            *self.config,
            *self.groups,
        )
        return frozenset(self.scores).union(*(s.families for s in settings))


# --- rules ---------------------------------------------------------------------------------


class Rule(_Frozen):
    id: str = Field(pattern=r"^[a-z_]+\.[a-z0-9_]+$")
    topic: Topic
    #: The rule in words, as the rationale shows it.
    summary: str = Field(min_length=10)
    condition: Condition = Condition()
    effect: Effect
    sources: tuple[Source, ...] = Field(min_length=1)
    #: Ids of the seed rules this public-evidence rule sharpens.
    refines: tuple[str, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Self:
        if not self.id.startswith(f"{self.topic.value}."):
            raise ValueError(f"rule {self.id!r} must be named '{self.topic.value}.<name>'")
        if self.refines and any(isinstance(s, SeedSource) for s in self.sources):
            raise ValueError(f"{self.id}: a refinement cites its public evidence, not the seeds")
        return self

    def citation(self) -> str:
        """What a person can open (papers, documentation pages), then this rule's own id and,
        for a rule from the seed tutorials, which tutorial and section, in words."""
        public = [s.cite() for s in self.sources if isinstance(s, Reference)]
        tutorials = [s.cite() for s in self.sources if isinstance(s, SeedSource)]
        own = f"tunewise rule {self.id}"
        if tutorials:
            own += f" (from the optimizer tutorials: {'; '.join(tutorials)})"
        return "; ".join([*public, own])

    def from_seeds(self) -> bool:
        """A seed rule: it comes from the seed tutorials (public references it agrees with may
        be cited beside them; a refinement cites public evidence only)."""
        return any(isinstance(s, SeedSource) for s in self.sources)
