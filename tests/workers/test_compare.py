"""The seeds' comparison: one model, each family at its defaults, the same seed."""

from __future__ import annotations

from advisor import TaskDescription, advise
from advisor.families import SEED_FAMILIES, OptimizerName
from workers.compare import compare_families
from workers.optim import BUILTIN_DEFAULTS
from workers.runner import TrialState
from workers.workloads.tabular_mlp import TabularMlp


def test_each_seed_family_trains_at_the_advisors_defaults_or_the_built_in_ones() -> None:
    runs = compare_families(TabularMlp(), epochs=1, device="cpu")
    spec = TabularMlp.spec
    advice = advise(TaskDescription(domain=spec.domain, architecture=spec.architecture))

    assert [r.family for r in runs] == list(SEED_FAMILIES)
    for run in runs:
        candidate = advice.candidate(run.family)
        if candidate is not None:
            assert run.origin == "advisor"
        else:
            assert (run.origin, run.config) == ("built-in", BUILTIN_DEFAULTS[run.family])
        assert run.config.optimizer is run.family
        assert run.outcome.state is TrialState.COMPLETE
        assert run.outcome.epochs_run == 1


def test_a_chosen_subset_of_families_with_a_reporter_each() -> None:
    heard: dict[OptimizerName, list[int]] = {}

    class Listener:
        def __init__(self, family: OptimizerName) -> None:
            self.family = family

        def report(self, epoch: int, value: float) -> bool:
            heard.setdefault(self.family, []).append(epoch)
            return False

        def heartbeat(self) -> None:
            return None

        def should_stop(self) -> bool:
            return False

    families = (OptimizerName.NADAM, OptimizerName.MUON)
    runs = compare_families(
        TabularMlp(), epochs=2, families=families, device="cpu", reporter_for=Listener
    )

    assert [r.family for r in runs] == list(families)
    assert heard == {OptimizerName.NADAM: [1, 2], OptimizerName.MUON: [1, 2]}
