"""run_trial: each way a trial can end, and what it reports on the way."""

from __future__ import annotations

import pytest
import torch

from advisor.config import TrainConfig
from tests.workers.runner.workloads import InfiniteMetric, Line, NanAt, RaisesAt
from workers.errors import DeviceUnavailableError, OptimizerConfigError, UnknownWorkloadError
from workers.runner import RunOptions, TrialState, run_trial

ADAM = TrainConfig(optimizer="adam", lr=0.01)


class Recorder:
    """A reporter that records what it hears and prunes or stops when told to."""

    def __init__(self, prune_at: int | None = None, stop_after_checks: int | None = None):
        self.reports: list[tuple[int, float]] = []
        self.heartbeats = 0
        self.checks = 0
        self.prune_at, self.stop_after_checks = prune_at, stop_after_checks

    def report(self, epoch: int, value: float) -> bool:
        self.reports.append((epoch, value))
        return epoch == self.prune_at

    def heartbeat(self) -> None:
        self.heartbeats += 1

    def should_stop(self) -> bool:
        self.checks += 1
        return self.stop_after_checks is not None and self.checks > self.stop_after_checks


def test_a_complete_trial_reports_every_epoch_and_ends_on_the_last_value() -> None:
    reporter = Recorder()
    outcome = run_trial(Line(), ADAM, max_epochs=3, device="cpu", reporter=reporter)

    assert outcome.state is TrialState.COMPLETE
    assert outcome.reason is None
    assert [(p.epoch, p.value) for p in outcome.curve] == reporter.reports
    assert [e for e, _ in reporter.reports] == [1, 2, 3]
    assert outcome.value == reporter.reports[-1][1]
    assert (outcome.epochs_run, outcome.steps_run) == (3, 24)
    assert len(outcome.train_loss) == len(outcome.epoch_seconds) == 3
    assert outcome.train_loss[-1] < outcome.train_loss[0]
    assert (outcome.metric, outcome.direction, outcome.workload) == ("mse", "minimize", "line")
    assert (outcome.device, outcome.precision) == ("cpu", "fp32")


def test_the_config_batch_size_replaces_the_workloads_default() -> None:
    config = TrainConfig(optimizer="adam", lr=0.01, batch_size=64)
    assert run_trial(Line(), config, max_epochs=2, device="cpu").steps_run == 8


def test_the_reporter_prunes_after_an_epoch() -> None:
    reporter = Recorder(prune_at=2)
    outcome = run_trial(Line(), ADAM, max_epochs=5, device="cpu", reporter=reporter)

    assert outcome.state is TrialState.PRUNED
    assert outcome.reason == "pruned after epoch 2"
    assert outcome.epochs_run == 2
    assert outcome.value == reporter.reports[-1][1]


def test_should_stop_interrupts_at_the_next_step() -> None:
    reporter = Recorder(stop_after_checks=5)
    outcome = run_trial(Line(), ADAM, max_epochs=3, device="cpu", reporter=reporter)

    assert outcome.state is TrialState.FAILED
    assert outcome.reason == "interrupted"
    assert outcome.steps_run == 5
    assert outcome.value is None


def test_heartbeats_are_sent_during_an_epoch() -> None:
    reporter = Recorder()
    options = RunOptions(heartbeat_seconds=1e-9)
    run_trial(Line(), ADAM, max_epochs=1, device="cpu", reporter=reporter, options=options)

    assert reporter.heartbeats >= 7


def test_heartbeats_are_rationed_to_their_interval() -> None:
    reporter = Recorder()
    run_trial(Line(), ADAM, max_epochs=2, device="cpu", reporter=reporter)

    assert reporter.heartbeats <= 1


@pytest.mark.parametrize("bad_step", [1, 3, 7])
def test_a_nan_loss_diverges_within_the_first_epoch(bad_step: int) -> None:
    reporter = Recorder()
    outcome = run_trial(NanAt(bad_step), ADAM, max_epochs=3, device="cpu", reporter=reporter)

    assert outcome.state is TrialState.DIVERGED
    assert outcome.reason is not None and "nan" in outcome.reason
    assert outcome.epochs_run == 0 and reporter.reports == []
    assert outcome.steps_run <= 8
    assert outcome.value is None


def test_a_huge_lr_diverges_on_a_built_in_within_the_first_epoch() -> None:
    config = TrainConfig(optimizer="sgd", lr=10_000)
    outcome = run_trial("tabular-mlp", config, max_epochs=5, device="cpu")

    assert outcome.state is TrialState.DIVERGED
    assert outcome.epochs_run == 0
    assert outcome.steps_run < 455 // 32  # tabular-mlp's steps per epoch


def test_a_non_finite_metric_is_divergence_too() -> None:
    outcome = run_trial(InfiniteMetric(), ADAM, max_epochs=3, device="cpu")

    assert outcome.state is TrialState.DIVERGED
    assert outcome.reason == "mse became inf after epoch 1"


def test_an_exception_in_the_workload_fails_the_trial_with_a_one_line_reason() -> None:
    error = ValueError("bad shapes\nlong traceback-ish detail\nmore")
    outcome = run_trial(RaisesAt(10, error), ADAM, max_epochs=3, device="cpu")

    assert outcome.state is TrialState.FAILED
    assert outcome.reason == "ValueError: bad shapes"
    assert outcome.epochs_run == 1  # the first epoch finished and stays recorded
    assert len(outcome.curve) == 1


@pytest.mark.parametrize(
    "error",
    [
        torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB"),
        RuntimeError(
            "[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate; out of memory"
        ),
        MemoryError(),
    ],
    ids=["cuda", "runtime", "host"],
)
def test_out_of_memory_fails_with_reason_oom(error: BaseException) -> None:
    outcome = run_trial(RaisesAt(2, error), ADAM, max_epochs=2, device="cpu")

    assert (outcome.state, outcome.reason) == (TrialState.FAILED, "oom")


def test_a_trial_leaves_the_callers_random_state_alone() -> None:
    torch.manual_seed(123)
    before = torch.get_rng_state()
    run_trial(Line(), ADAM, max_epochs=1, device="cpu", seed=5)

    assert torch.equal(torch.get_rng_state(), before)


def test_requests_that_cannot_run_raise_instead_of_failing_a_trial() -> None:
    with pytest.raises(UnknownWorkloadError, match="available: digits-cnn, tabular-mlp"):
        run_trial("no-such-workload", ADAM, max_epochs=1, device="cpu")
    with pytest.raises(OptimizerConfigError, match="sparse_adam"):
        run_trial(Line(), TrainConfig(optimizer="sparse_adam", lr=1e-3), max_epochs=1, device="cpu")
    with pytest.raises(DeviceUnavailableError):
        run_trial(Line(), ADAM, max_epochs=1, device="cuda:99")
    with pytest.raises(ValueError, match="max_epochs"):
        run_trial(Line(), ADAM, max_epochs=0, device="cpu")


def _spread(config: TrainConfig) -> float:
    """How much the metric still moves over epochs 2 to 4."""
    values = [p.value for p in run_trial(Line(), config, max_epochs=4, device="cpu").curve]
    return max(values[1:]) - min(values[1:])


def test_the_schedule_sets_the_lr_of_every_step() -> None:
    # A step schedule that cuts the lr a millionfold after the first epoch freezes the model.
    frozen = TrainConfig(
        optimizer="sgd", lr=0.05, schedule={"name": "step", "step_epochs": 1, "gamma": 1e-6}
    )
    moving = TrainConfig(optimizer="sgd", lr=0.05)

    assert _spread(frozen) < 1e-5 < _spread(moving)


def test_gradient_clipping_bounds_each_step() -> None:
    clipped = TrainConfig(optimizer="sgd", lr=0.05, grad_clip_norm=1e-9)

    assert _spread(clipped) < 1e-5 < _spread(TrainConfig(optimizer="sgd", lr=0.05))
