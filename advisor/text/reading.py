"""What the free-text reader found in a description: the contract between reader and engine."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from advisor.task import Architecture, CurrentConfig, Domain, Priority, Regime, Symptom


class TextReading(BaseModel):
    """Fields read from a description. ``evidence`` maps each field that was set to the words
    of the text that set it, so the advice can show the person why it thinks so."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    domain: Domain | None = None
    architecture: Architecture | None = None
    regime: Regime | None = None
    model_params: int | None = Field(default=None, ge=1)
    dataset_size: int | None = Field(default=None, ge=1)
    batch_size: int | None = Field(default=None, ge=1)
    epochs: int | None = Field(default=None, ge=1)
    steps: int | None = Field(default=None, ge=1)
    budget_trials: int | None = Field(default=None, ge=1)
    sparse_features: bool | None = None
    priority: Priority | None = None
    symptoms: tuple[Symptom, ...] = ()
    current: CurrentConfig | None = None
    memory_limit_gb: float | None = Field(default=None, gt=0)
    time_limit_s: float | None = Field(default=None, gt=0)
    time_tradeoff: bool | None = None
    evidence: dict[str, str] = Field(default_factory=dict)
    language: Literal["en", "zh", "mixed", "unknown"] = "unknown"

    def recognised(self) -> bool:
        """True when the text said anything the advisor can use."""
        return bool(self.evidence)
