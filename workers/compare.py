"""The seeds' comparison: one model trained with each family at its defaults, side by side
(seed 000 "不同优化器的收敛速度对比")."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from pydantic import BaseModel, ConfigDict

from advisor.config import TrainConfig
from advisor.families import SEED_FAMILIES, OptimizerName
from workers.defaults import FamilyDefaults, Origin
from workers.runner import TrialOutcome, TrialReporter, run_trial
from workers.workloads import Workload


class FamilyRun(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    family: OptimizerName
    config: TrainConfig
    #: Where the config came from: the advisor's candidate, or built-in defaults.
    origin: Origin
    outcome: TrialOutcome


def compare_families(
    workload: Workload,
    *,
    epochs: int,
    families: Sequence[OptimizerName] = SEED_FAMILIES,
    device: str = "auto",
    seed: int = 0,
    size: int = 1,
    reporter_for: Callable[[OptimizerName], TrialReporter] | None = None,
) -> tuple[FamilyRun, ...]:
    """Train ``workload`` once per family, same seed, each at its defaults."""
    defaults = FamilyDefaults.ask(workload.spec)
    runs = []
    for family in families:
        config, origin = defaults.config(family)
        outcome = run_trial(
            workload,
            config,
            max_epochs=epochs,
            device=device,
            seed=seed,
            size=size,
            reporter=reporter_for(family) if reporter_for else None,
        )
        runs.append(FamilyRun(family=family, config=config, origin=origin, outcome=outcome))
    return tuple(runs)
