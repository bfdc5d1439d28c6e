"""The five built-in workloads: what they declare, deterministic data, a size knob, and an
epoch that trains to a finite metric."""

from __future__ import annotations

import pytest
import torch

from advisor.config import TrainConfig
from advisor.task import Architecture, Domain
from tunewise.wire.metrics import BUILT_IN_QUALITY
from workers.runner import TrialState, run_trial
from workers.workloads import BUILTIN_WORKLOADS, Workload

DECLARED = {
    "digits-cnn": (Domain.VISION, Architecture.CNN, "accuracy", "maximize", False),
    "tabular-mlp": (Domain.TABULAR, Architecture.MLP, "val_loss", "minimize", False),
    "text-transformer": (Domain.NLP, Architecture.TRANSFORMER, "perplexity", "minimize", False),
    "recsys-embedding": (Domain.RECSYS, Architecture.EMBEDDING, "rmse", "minimize", True),
    "sequence-lstm": (Domain.TIMESERIES, Architecture.LSTM, "mse", "minimize", False),
}
BUILTINS = {w.spec.name: w for w in BUILTIN_WORKLOADS}


def test_the_five_built_ins_declare_what_the_advisor_needs() -> None:
    declared = {
        name: (s.domain, s.architecture, s.metric, s.direction, s.sparse_features)
        for name, s in ((w.spec.name, w.spec) for w in BUILTIN_WORKLOADS)
    }
    assert declared == DECLARED


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_data_is_deterministic_for_a_seed(name: str) -> None:
    workload: Workload = BUILTINS[name]()

    def tensors(seed: int) -> list[torch.Tensor]:
        data = workload.make_data(1, seed)
        return [*data.train.inputs, data.train.target, *data.valid.inputs, data.valid.target]

    first, again, other = tensors(0), tensors(0), tensors(1)
    assert all(torch.equal(a, b) for a, b in zip(first, again, strict=True))
    assert not all(torch.equal(a, b) for a, b in zip(first, other, strict=True))


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_size_scales_data_and_model(name: str) -> None:
    workload: Workload = BUILTINS[name]()
    small, large = workload.make_data(1, 0), workload.make_data(2, 0)

    def parameters(size: int) -> int:
        return sum(p.numel() for p in workload.make_model(size).parameters())

    assert len(large.train) == 2 * len(small.train)
    assert len(large.valid) == len(small.valid)  # validated alike at every size
    assert parameters(2) > 2 * parameters(1)


@pytest.mark.parametrize("name", sorted(BUILTINS))
def test_one_epoch_with_adamw_gives_a_finite_metric(name: str) -> None:
    # How long an epoch takes is bench/harness.py's figure (seconds per epoch of each built-in).
    outcome = run_trial(name, TrainConfig(optimizer="adamw", lr=1e-3), max_epochs=1, device="cpu")

    assert outcome.state is TrialState.COMPLETE, outcome.reason
    assert outcome.value is not None and outcome.value == outcome.value


def test_the_metrics_move_the_right_way_with_training() -> None:
    config = TrainConfig(optimizer="adam", lr=3e-3)
    digits = run_trial("digits-cnn", config, max_epochs=2, device="cpu")
    text = run_trial("text-transformer", config, max_epochs=2, device="cpu")

    assert digits.curve[-1].value > 0.8  # accuracy well above chance (0.1)
    assert text.curve[-1].value < 20  # perplexity well below uniform (64)


def test_the_wire_knows_each_built_in_quality_metric() -> None:
    """The service refuses a job naming a metric a built-in workload does not report; it
    reads the quality metrics from tunewise.wire.metrics (it does not import torch)."""
    assert {name: w.spec.metric for name, w in BUILTINS.items()} == BUILT_IN_QUALITY
