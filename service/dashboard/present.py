"""Small formatting rules shared by pages: a schedule or a config in one line, the task's
fields with where each came from, and a job's progress as a percentage."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import Enum
from typing import Any, Literal

from advisor import NormalisedTask, ScheduleSpec, TaskDescription, TrainConfig
from tunewise.wire.models import Progress

#: The task fields shown in "as understood" (description is shown above them).
TASK_FIELDS = tuple(f for f in TaskDescription.model_fields if f != "description")
_HYPERPARAMETERS = (
    "lr",
    "momentum",
    "dampening",
    "weight_decay",
    "beta1",
    "beta2",
    "eps",
    "alpha",
    "initial_accumulator_value",
)
#: Config keys that are neither a hyperparameter above nor one of the job's own dimensions.
_CONFIG_KEYS = frozenset(TrainConfig.model_fields) - {"batch_size"}


@dataclass(frozen=True)
class TaskRow:
    field: str
    value: str
    origin: Literal["given", "text", "default"]
    evidence: str


def _shown(value: Any) -> str:
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, tuple | list):
        return ", ".join(_shown(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if hasattr(value, "model_dump"):
        return ", ".join(f"{k}={_shown(v)}" for k, v in value.model_dump(exclude_none=True).items())
    return str(value)


def task_rows(task: NormalisedTask) -> list[TaskRow]:
    rows = []
    for name in TASK_FIELDS:
        value = getattr(task, name)
        if value is None or value == ():
            continue
        inference = task.inferred.get(name)
        rows.append(
            TaskRow(
                field=name,
                value=_shown(value),
                origin=inference.origin if inference else "given",
                evidence=inference.evidence if inference else "",
            )
        )
    return rows


def schedule_text(schedule: ScheduleSpec | Mapping[str, Any]) -> str:
    spec = ScheduleSpec.model_validate(schedule)
    name = spec.name.value
    details = []
    if spec.warmup_fraction:
        details.append(f"warmup {spec.warmup_fraction:.0%}")
    if name == "step":
        details.append(f"×{spec.effective_gamma():g} every {spec.step_epochs} epochs")
    if name == "exponential":
        details.append(f"×{spec.effective_gamma():g} per epoch")
    if spec.min_lr_fraction:
        details.append(f"floor {spec.min_lr_fraction:g}×lr")
    return f"{name} ({', '.join(details)})" if details else name


def config_summary(params: Mapping[str, Any]) -> str:
    """'lr=0.0003, weight_decay=0.01 · dropout=0.2, hidden=64 · warmup_cosine (warmup 10%)'
    from a flat config: the optimizer's values, the job's own dimensions, the schedule."""
    values = [
        _assignment(name, value)
        for name in _HYPERPARAMETERS
        if (value := params.get(name)) is not None
    ]
    own = [
        _assignment(name, value)
        for name, value in sorted(params.items())
        if name not in _CONFIG_KEYS and value is not None
    ]
    schedule = params.get("schedule")
    parts = [", ".join(values), ", ".join(own), schedule_text(schedule) if schedule else ""]
    return " · ".join(p for p in parts if p)


def _assignment(name: str, value: Any) -> str:
    return f"{name}={value:.3g}" if isinstance(value, float) else f"{name}={value}"


def percent(progress: Progress) -> int:
    if progress.n_trials <= 0:
        return 0
    return min(100, round(100 * progress.finished / progress.n_trials))
