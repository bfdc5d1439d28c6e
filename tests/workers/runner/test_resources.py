"""What a trial reports beside its quality: training time, peak memory, model size, under the
names multi-objective and constrained jobs use (tunewise.wire.metrics)."""

from __future__ import annotations

import resource

import pytest
import torch

from advisor.config import TrainConfig
from tests.workers.runner.workloads import Line, RaisesAt
from tunewise.wire.metrics import N_PARAMETERS, PEAK_MEMORY_MB, TRAIN_SECONDS
from workers.runner import TrialState, run_trial
from workers.runner.resources import PeakMemory, n_parameters

ADAM = TrainConfig(optimizer="adam", lr=0.01)


def test_a_complete_trial_reports_its_quality_time_memory_and_size() -> None:
    outcome = run_trial(Line(), ADAM, max_epochs=2, device="cpu")
    assert outcome.state is TrialState.COMPLETE
    assert set(outcome.metrics) == {"mse", TRAIN_SECONDS, PEAK_MEMORY_MB, N_PARAMETERS}
    assert outcome.metrics["mse"] == outcome.value
    assert outcome.metrics[TRAIN_SECONDS] == pytest.approx(sum(outcome.epoch_seconds))
    assert 0 < outcome.metrics[TRAIN_SECONDS] <= outcome.seconds
    assert outcome.metrics[PEAK_MEMORY_MB] >= 0
    assert outcome.metrics[N_PARAMETERS] == n_parameters(Line().make_model(1))


def test_a_bigger_model_reports_more_parameters() -> None:
    small = run_trial(Line(), ADAM, max_epochs=1, device="cpu", size=1)
    large = run_trial(Line(), ADAM, max_epochs=1, device="cpu", size=4)
    assert large.metrics[N_PARAMETERS] > small.metrics[N_PARAMETERS]


def test_a_failed_trial_reports_no_quality_but_still_its_cost() -> None:
    outcome = run_trial(RaisesAt(3, RuntimeError("boom")), ADAM, max_epochs=2, device="cpu")
    assert outcome.state is TrialState.FAILED
    assert "mse" not in outcome.metrics
    assert {TRAIN_SECONDS, PEAK_MEMORY_MB, N_PARAMETERS} <= set(outcome.metrics)


def test_n_parameters_counts_trainable_parameters_only() -> None:
    model = torch.nn.Sequential(torch.nn.Linear(3, 2), torch.nn.Linear(2, 1))
    model[1].weight.requires_grad_(False)
    assert n_parameters(model) == 3 * 2 + 2 + 1


def test_peak_memory_is_what_the_trial_itself_added() -> None:
    """CUDA: the peak allocated since start, not an earlier larger one. CPU: how far the
    process's peak resident set rose, so a block beyond the earlier peak shows."""
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    memory = PeakMemory(device)
    if device.type == "cuda":
        held = torch.empty(64 * 2**20, dtype=torch.uint8, device=device)
        del held
        memory.start()
        block = torch.ones(16 * 2**20, dtype=torch.uint8, device=device)
        assert 16 <= memory.stop() < 64
    else:
        page = resource.getpagesize()
        with open("/proc/self/statm", encoding="ascii") as statm:
            resident = int(statm.read().split()[1]) * page
        earlier_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
        memory.start()
        block = torch.ones(max(0, earlier_peak - resident) + 64 * 2**20, dtype=torch.uint8)
        assert memory.stop() >= 32
    del block
