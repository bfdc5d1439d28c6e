"""On the CPU a seed fixes a trial's whole outcome; another seed gives another."""

from __future__ import annotations

import pytest

from advisor.config import TrainConfig
from workers.runner import TrialOutcome, run_trial

CONFIG = TrainConfig(optimizer="adamw", lr=3e-3)


def _run(workload: str, seed: int) -> TrialOutcome:
    return run_trial(workload, CONFIG, max_epochs=1, device="cpu", seed=seed)


@pytest.mark.parametrize("workload", ["tabular-mlp", "recsys-embedding"])
def test_the_same_seed_gives_the_same_outcome(workload: str) -> None:
    first, again, other = _run(workload, 1), _run(workload, 1), _run(workload, 2)

    assert first.curve == again.curve
    assert first.train_loss == again.train_loss
    assert first.curve != other.curve
