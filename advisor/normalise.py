"""From what the person gave to the task the rules reason about.

Fields the person gave win; fields read from the description fill the gaps (origin "text",
with the words that set them); a few fields the rules need get defaults (origin "default",
with the reason). Every filled field is recorded in ``NormalisedTask.inferred``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from advisor.task import Domain, Inference, NormalisedTask, Priority, Regime, TaskDescription
from advisor.text import TextReading

Reader = Callable[[str], TextReading]

#: Task fields the free-text reader can fill.
TEXT_FIELDS: tuple[str, ...] = (
    "domain",
    "architecture",
    "regime",
    "model_params",
    "dataset_size",
    "batch_size",
    "epochs",
    "steps",
    "sparse_features",
    "priority",
    "budget_trials",
    "symptoms",
    "current",
    "memory_limit_gb",
    "time_limit_s",
    "time_tradeoff",
)

#: Fields that say how to search (how hard, within what limits), not what the task is: read
#: alone, they leave the seeds' default answer.
SEARCH_ONLY_FIELDS = frozenset(
    {"budget_trials", "memory_limit_gb", "time_limit_s", "time_tradeoff"}
)

#: Trials searched when the person gives no budget: enough for lr and momentum/beta1 and a
#: portfolio of three families, few enough to finish on one machine.
DEFAULT_BUDGET_TRIALS = 20


@dataclass(frozen=True)
class Normalised:
    task: NormalisedTask
    #: Only a description was given and nothing in it was recognised.
    unrecognised: bool


def _is_given(value: Any) -> bool:
    return value is not None and value != ()


def _defaults(values: dict[str, Any]) -> dict[str, tuple[Any, str]]:
    """Defaults for the fields the rules need, each with the reason shown to the person."""
    chosen: dict[str, tuple[Any, str]] = {
        "priority": (
            Priority.BALANCED,
            "not given: balanced weighs convergence speed and final quality equally",
        ),
        "regime": (
            Regime.FROM_SCRATCH,
            "not given: assumed training from scratch; say fine_tuning when you start from "
            "pretrained weights",
        ),
        "budget_trials": (
            DEFAULT_BUDGET_TRIALS,
            f"not given: {DEFAULT_BUDGET_TRIALS} trials tune lr and momentum/beta1 over a "
            "portfolio of three families",
        ),
    }
    if values.get("domain") is Domain.RECSYS:
        chosen["sparse_features"] = (True, "not given: recommenders look up sparse ID embeddings")
    return {name: pick for name, pick in chosen.items() if not _is_given(values.get(name))}


def normalise(task: TaskDescription, reader: Reader) -> Normalised:
    values = task.model_dump(exclude_unset=False)
    given = {name for name in TEXT_FIELDS if _is_given(values[name])}
    reading = reader(task.description) if task.description else TextReading()
    inferred: dict[str, Inference] = {}
    for name in TEXT_FIELDS:
        found = getattr(reading, name)
        if name not in given and _is_given(found):
            values[name] = found
            evidence = reading.evidence.get(name) or "read from the description"
            inferred[name] = Inference(origin="text", evidence=evidence)
    for name, (value, why) in _defaults(values).items():
        values[name] = value
        inferred[name] = Inference(origin="default", evidence=why)
    described = (given | reading.evidence.keys()) - SEARCH_ONLY_FIELDS
    unrecognised = task.description is not None and not described
    return Normalised(task=_validated(values, inferred, task), unrecognised=unrecognised)


def _validated(
    values: dict[str, Any], inferred: dict[str, Inference], original: TaskDescription
) -> NormalisedTask:
    """The normalised task; a value read from the text that the contract refuses (a size out
    of bounds) is dropped rather than failing the whole advice."""
    try:
        return NormalisedTask(**values, inferred=inferred)
    except ValidationError as error:
        refused = {str(e["loc"][0]) for e in error.errors() if e["loc"]}
        from_text = {n for n in refused if n in inferred and inferred[n].origin == "text"}
        if not from_text:
            raise
        for name in from_text:
            values[name] = getattr(original, name)
            del inferred[name]
        return NormalisedTask(**values, inferred=inferred)
