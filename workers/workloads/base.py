"""What a workload is: a model, data held in memory as tensors, a loss and a metric.

A workload describes a training problem; the runner does the training. That keeps every
workload (built-in or installed by a user) trained by one loop with one set of guarantees:
divergence checks, pruning, out-of-memory handling and determinism for a seed.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, ClassVar, Literal

import torch
from pydantic import BaseModel, ConfigDict, Field
from torch import Tensor, nn

from advisor.task import Architecture, Domain
from tunewise.wire.dimensions import DimensionValue, FloatDimension, IntDimension
from workers.errors import HarnessError

Direction = Literal["minimize", "maximize"]
WorkloadName = Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,62}$")]


class WorkloadSpec(BaseModel):
    """What the advisor and the service need to know about a workload, without building it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    name: WorkloadName
    summary: str = Field(min_length=1, max_length=200)
    domain: Domain
    architecture: Architecture
    #: The validation metric reported after each epoch, and which way is better.
    metric: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,40}$")]
    direction: Direction
    default_epochs: Annotated[int, Field(ge=1, le=10_000)]
    default_batch_size: Annotated[int, Field(ge=1, le=1_000_000)]
    #: True when the model has sparse embeddings (``nn.Embedding(sparse=True)``).
    sparse_features: bool = False


@dataclass(frozen=True)
class Split:
    """Examples held as tensors: one or more input tensors and a target, all of one length."""

    inputs: tuple[Tensor, ...]
    target: Tensor

    def __post_init__(self) -> None:
        lengths = {len(t) for t in (*self.inputs, self.target)}
        if len(lengths) != 1:
            raise ValueError(f"inputs and target of a split differ in length: {sorted(lengths)}")

    def __len__(self) -> int:
        return len(self.target)

    def to(self, device: torch.device) -> Split:
        return Split(tuple(t.to(device) for t in self.inputs), self.target.to(device))

    def take(self, index: Tensor) -> Split:
        return Split(tuple(t[index] for t in self.inputs), self.target[index])


@dataclass(frozen=True)
class Dataset:
    train: Split
    valid: Split


class Workload(ABC):
    """Subclass this (and register it under the entry-point group ``tunewise.workloads``) to
    tune your own model. ``make_data`` and ``make_model`` must be deterministic: the data for
    its seed, the model for torch's seeded generator (the runner seeds it per trial)."""

    spec: ClassVar[WorkloadSpec]
    #: Submodules that form the output head: they keep the full lr when a fine-tuning config
    #: sets ``backbone_lr_ratio``, and Muon leaves them to AdamW (they are not hidden layers).
    head_modules: ClassVar[tuple[str, ...]] = ("head",)
    #: The user dimensions (``JobCreate.dimensions``) this workload builds its model from, with
    #: the values it accepts; the built-ins' are ``tunewise.wire.dimensions``'s catalogue.
    #: ``batch_size`` is the runner's, for every workload, and is not listed here.
    accepted_dimensions: ClassVar[Mapping[str, IntDimension | FloatDimension]] = {}

    def with_dimensions(self, values: Mapping[str, DimensionValue]) -> Workload:
        """This workload built with a trial's own dimensions (``{"dropout": 0.2}``); itself
        when there are none. A name it does not understand, or a value outside what it
        accepts, cannot be trained and is refused."""
        if not values:
            return self
        accepted = self.accepted_dimensions
        understood = ", ".join(sorted(accepted)) or "none"
        for name, value in values.items():
            if name not in accepted:
                raise HarnessError(
                    f"workload {self.spec.name!r} does not understand dimension {name!r}; "
                    f"it understands {understood}"
                )
            if not accepted[name].contains(value):
                allowed = accepted[name]
                raise HarnessError(
                    f"workload {self.spec.name!r} takes {name} from {allowed.low:g} to "
                    f"{allowed.high:g}, got {value!r}"
                )
        return self.configured(values)

    def configured(self, values: Mapping[str, DimensionValue]) -> Workload:
        """A copy built with ``values`` (already checked): the class called with each accepted
        dimension as a keyword, this instance's own value where ``values`` has none. Override
        it when a workload's constructor takes its dimensions otherwise."""
        keywords = {
            name: (int if isinstance(accepted, IntDimension) else float)(
                values.get(name, getattr(self, name))
            )
            for name, accepted in self.accepted_dimensions.items()
        }
        return type(self)(**keywords)

    @abstractmethod
    def make_data(self, size: int, seed: int) -> Dataset:
        """The train and validation splits; ``size`` scales the amount of data (1 = default)."""

    @abstractmethod
    def make_model(self, size: int) -> nn.Module:
        """A freshly initialised model; ``size`` scales its width (1 = default)."""

    @abstractmethod
    def loss(self, outputs: Tensor, target: Tensor) -> Tensor:
        """The scalar training loss of a batch."""

    @abstractmethod
    def metric(self, outputs: Tensor, target: Tensor) -> Tensor:
        """The scalar validation metric over the whole validation split."""

    def forward(self, model: nn.Module, inputs: tuple[Tensor, ...]) -> Tensor:
        output: Tensor = model(*inputs)
        return output
