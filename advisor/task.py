"""What a person says about their training task (the TaskDescription of the v1 contract)."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from advisor.families import OptimizerName


class Domain(StrEnum):
    VISION = "vision"
    NLP = "nlp"
    SPEECH = "speech"
    RECSYS = "recsys"
    RL = "rl"
    GAN = "gan"
    TABULAR = "tabular"
    TIMESERIES = "timeseries"
    GRAPH = "graph"
    OTHER = "other"


class Architecture(StrEnum):
    MLP = "mlp"
    CNN = "cnn"
    RESNET = "resnet"
    VIT = "vit"
    TRANSFORMER = "transformer"
    RNN = "rnn"
    LSTM = "lstm"
    GRU = "gru"
    EMBEDDING = "embedding"
    GNN = "gnn"
    UNET = "unet"
    DIFFUSION = "diffusion"
    OTHER = "other"


class Regime(StrEnum):
    FROM_SCRATCH = "from_scratch"
    FINE_TUNING = "fine_tuning"


class Priority(StrEnum):
    FAST_CONVERGENCE = "fast_convergence"
    BEST_GENERALIZATION = "best_generalization"
    BALANCED = "balanced"


class Symptom(StrEnum):
    OVERFITTING = "overfitting"
    OSCILLATION = "oscillation"
    SLOW_CONVERGENCE = "slow_convergence"
    LOSS_NOT_DECREASING = "loss_not_decreasing"
    LOSS_SPIKES = "loss_spikes"
    VANISHING_GRADIENTS = "vanishing_gradients"


Positive = Annotated[int, Field(ge=1)]
Unit = Annotated[float, Field(ge=0, lt=1, allow_inf_nan=False)]
PositiveFloat = Annotated[float, Field(gt=0, allow_inf_nan=False)]
#: Memory one training run may use, in GB of 2**30 bytes (as a GPU's "8 GB" is 8192 MiB).
MemoryGB = Annotated[float, Field(gt=0, le=100_000, allow_inf_nan=False)]
#: Wall-clock seconds one training run may take (a year at most).
Seconds = Annotated[float, Field(gt=0, le=366 * 86_400, allow_inf_nan=False)]


#: The longest free-text task description the advisor reads (characters).
MAX_DESCRIPTION_CHARS = 4000


class CurrentConfig(BaseModel):
    """What the person trains with now; moves the advice (symptoms are read against it)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    optimizer: OptimizerName | None = None
    lr: PositiveFloat | None = None
    momentum: Unit | None = None
    weight_decay: Annotated[float, Field(ge=0, allow_inf_nan=False)] | None = None
    beta1: Unit | None = None
    beta2: Unit | None = None
    eps: PositiveFloat | None = None
    alpha: Unit | None = None
    schedule: str | None = Field(default=None, max_length=64)


class TaskDescription(BaseModel):
    """A training task as a person describes it. Every field is optional, but at least one of
    ``description`` or ``domain`` is needed to say anything."""

    # anyOf states _needs_something_to_go_on in the JSON schema, so that schema-valid is valid.
    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        json_schema_extra={
            "anyOf": [
                {"required": [name], "properties": {name: {"not": {"type": "null"}}}}
                for name in ("description", "domain")
            ]
        },
    )

    description: Annotated[str, Field(min_length=1, max_length=MAX_DESCRIPTION_CHARS)] | None = None
    domain: Domain | None = None
    architecture: Architecture | None = None
    regime: Regime | None = None
    model_params: Annotated[int, Field(ge=1, le=10**14)] | None = None
    dataset_size: Annotated[int, Field(ge=1, le=10**13)] | None = None
    batch_size: Annotated[int, Field(ge=1, le=10**8)] | None = None
    epochs: Annotated[int, Field(ge=1, le=100_000)] | None = None
    steps: Annotated[int, Field(ge=1, le=10**10)] | None = None
    sparse_features: bool | None = None
    priority: Priority | None = None
    budget_trials: Annotated[int, Field(ge=1, le=100_000)] | None = None
    symptoms: tuple[Symptom, ...] = ()
    current: CurrentConfig | None = None
    #: The most memory one training run may use (a GPU's memory; without a GPU, the process's).
    memory_limit_gb: MemoryGB | None = None
    #: The longest one training run may take, in seconds of wall-clock time.
    time_limit_s: Seconds | None = None
    #: True when training time is weighed against quality ("as fast as possible", "a trade-off
    #: between accuracy and time") rather than capped: a second objective, not a constraint.
    time_tradeoff: bool | None = None

    @model_validator(mode="after")
    def _needs_something_to_go_on(self) -> Self:
        if self.description is None and self.domain is None:
            raise ValueError(
                "give at least one of 'description' (free text, English or Chinese) or "
                f"'domain' (one of {', '.join(d.value for d in Domain)})"
            )
        return self


class Inference(BaseModel):
    """Where a field of the normalised task came from when the person did not give it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    origin: Literal["text", "default"]
    #: The words of the description that set it, or why the default was chosen.
    evidence: str


class NormalisedTask(TaskDescription):
    """The task the advisor reasoned about: given fields, plus fields read from the text or
    defaulted. ``inferred`` names every field that the person did not give explicitly."""

    inferred: dict[str, Inference] = Field(default_factory=dict)
