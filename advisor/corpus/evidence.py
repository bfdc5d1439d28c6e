"""A published recipe as advice shows it: what task, which settings, how similar, where to check.

Part of ``Advice`` (its ``evidence``), so a person sees which published setups the advice leans
on and can open each one.
"""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from advisor.config import ScheduleName
from advisor.corpus.base import Area, Citation, Recipe
from advisor.families import OptimizerName


class RecipeEvidence(BaseModel):
    """One of the published recipes most similar to the task."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    area: Area
    #: The recipe's task in words, as a person would describe it.
    task: str
    optimizer: OptimizerName
    #: The optimizer as the source names it, when our family is a close stand-in.
    published_optimizer: str | None = None
    lr: float
    weight_decay: float | None = None
    momentum: float | None = None
    beta1: float | None = None
    beta2: float | None = None
    schedule: ScheduleName | None = None
    warmup: str | None = None
    batch_size: int | None = None
    #: 0..1, how alike this recipe's task and the person's are (see advisor.corpus.similarity).
    similarity: Annotated[float, Field(ge=0, le=1)]
    citation: Citation

    @classmethod
    def of(cls, recipe: Recipe, similarity: float) -> RecipeEvidence:
        return cls(
            id=recipe.id,
            area=recipe.area,
            task=recipe.task.description or _fields_in_words(recipe),
            optimizer=recipe.optimizer,
            published_optimizer=recipe.published_optimizer,
            lr=recipe.lr,
            weight_decay=recipe.weight_decay,
            momentum=recipe.momentum,
            beta1=recipe.beta1,
            beta2=recipe.beta2,
            schedule=recipe.schedule,
            warmup=recipe.warmup,
            batch_size=recipe.batch_size,
            similarity=similarity,
            citation=recipe.citation,
        )

    def settings(self) -> str:
        """The optimizer settings in one line, e.g. "adamw lr 0.001, wd 0.05, betas 0.9/0.999"."""
        name = self.published_optimizer or self.optimizer.value
        parts = [f"{name} lr {self.lr:g}"]
        if self.weight_decay is not None:
            parts.append(f"wd {self.weight_decay:g}")
        if self.momentum is not None:
            parts.append(f"momentum {self.momentum:g}")
        if self.beta1 is not None or self.beta2 is not None:
            parts.append(f"betas {_or_dash(self.beta1)}/{_or_dash(self.beta2)}")
        if self.schedule is not None:
            parts.append(self.schedule.value + (f" (warm-up {self.warmup})" if self.warmup else ""))
        if self.batch_size is not None:
            parts.append(f"batch {self.batch_size}")
        return ", ".join(parts)


def _or_dash(value: float | None) -> str:
    return "–" if value is None else f"{value:g}"


def _fields_in_words(recipe: Recipe) -> str:
    shown = recipe.task.model_dump(exclude_none=True, exclude_defaults=True, mode="json")
    return ", ".join(f"{name} {value}" for name, value in shown.items())
