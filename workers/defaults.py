"""Ready configs per optimizer family for a workload: the advisor's defaults for a task like
it, or built-in defaults when the advisor offers no candidate of that family."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from advisor import Advice, AdvisorError, TaskDescription, advise
from advisor.config import TrainConfig
from advisor.families import OptimizerName
from workers.optim import BUILTIN_DEFAULTS
from workers.workloads import WorkloadSpec

Origin = Literal["advisor", "built-in"]


class FamilyDefaults:
    """Per-family configs from one answer of the advisor about a workload."""

    def __init__(self, spec: WorkloadSpec, advice: Advice | None) -> None:
        self.spec = spec
        #: None when the advisor had no answer: every family then gets built-in defaults.
        self.advice = advice

    @classmethod
    def ask(cls, spec: WorkloadSpec) -> FamilyDefaults:
        """Ask the advisor about a task like the workload's."""
        task = TaskDescription(
            domain=spec.domain,
            architecture=spec.architecture,
            epochs=spec.default_epochs,
            batch_size=spec.default_batch_size,
            sparse_features=spec.sparse_features or None,
        )
        try:
            return cls(spec, advise(task))
        except AdvisorError:
            # Training must not depend on the advisor having an answer for every task.
            return cls(spec, None)

    def config(self, family: OptimizerName) -> tuple[TrainConfig, Origin]:
        candidate = self.advice.candidate(family) if self.advice else None
        if candidate is not None:
            return candidate.defaults, "advisor"
        return BUILTIN_DEFAULTS[family], "built-in"

    def with_overrides(
        self, family: OptimizerName, overrides: Mapping[str, Any]
    ) -> tuple[TrainConfig, Origin]:
        """The family's defaults with some values replaced, validated afresh (so a key the
        family does not take is refused, not dropped). A partial ``schedule`` mapping adjusts
        the default schedule; one naming another schedule starts that schedule afresh."""
        base, origin = self.config(family)
        merged = base.model_dump(exclude_none=True)
        changes = dict(overrides)
        schedule = changes.pop("schedule", None)
        if schedule is not None:
            renamed = schedule.get("name", base.schedule.name) != base.schedule.name
            merged["schedule"] = ({} if renamed else merged["schedule"]) | dict(schedule)
        return TrainConfig.model_validate(merged | changes), origin
