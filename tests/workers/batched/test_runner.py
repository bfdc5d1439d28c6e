"""run_batched: K trials trained as one stacked model, each as it would be alone.

Tolerance of batch against alone: each epoch's validation metric and mean training loss
within 1e-4 relative over two epochs. The stacked model computes the same functions as the
workload's own (bit for bit in the forward for the MLP and the LSTM, within 3e-7 for the
grouped convolutions), but batched matrix products round their gradients differently from
single ones, and adaptive optimizers amplify such last-bit differences step by step.
"""

from __future__ import annotations

import pytest
import torch

from advisor.config import ScheduleSpec, TrainConfig
from workers.batched.errors import BatchingError
from workers.batched.runner import VMAP_LOSS_FROM, BatchedTrial, batch_key, run_batched
from workers.runner import TrialOutcome, TrialState, run_trial
from workers.workloads import Dataset, WorkloadRegistry
from workers.workloads.tabular_mlp import TabularMlp

REGISTRY = WorkloadRegistry.discover()
EPOCHS = 2
RTOL = 1e-4

SAME_RULE = {
    "tabular-mlp": [
        TrainConfig(optimizer="adamw", lr=3e-3, weight_decay=0.05),
        TrainConfig(optimizer="adam", lr=1e-3, beta1=0.8, schedule=ScheduleSpec(name="cosine")),
        TrainConfig(optimizer="adamw", lr=1e-2, grad_clip_norm=1.0),
    ],
    "digits-cnn": [
        TrainConfig(optimizer="momentum", lr=0.05),
        TrainConfig(optimizer="nesterov", lr=0.02, weight_decay=5e-4),
        TrainConfig(
            optimizer="sgd",
            lr=0.1,
            schedule=ScheduleSpec(name="warmup_linear", warmup_fraction=0.1),
        ),
    ],
    "sequence-lstm": [
        TrainConfig(optimizer="rmsprop", lr=1e-3),
        TrainConfig(optimizer="rmsprop", lr=2e-3, alpha=0.9),
        TrainConfig(optimizer="rmsprop", lr=5e-4, momentum=0.5, weight_decay=1e-4),
    ],
}
SGD = TrainConfig(optimizer="sgd", lr=0.1)


class Recorder:
    """Hears one trial's epochs; prunes at ``prune_at``; asks to stop after ``stop_after``
    checks."""

    def __init__(self, prune_at: int | None = None, stop_after: int | None = None) -> None:
        self.reports: list[tuple[int, float]] = []
        self.heartbeats = 0
        self.checks = 0
        self.prune_at, self.stop_after = prune_at, stop_after

    def report(self, epoch: int, value: float) -> bool:
        self.reports.append((epoch, value))
        return epoch == self.prune_at

    def heartbeat(self) -> None:
        self.heartbeats += 1

    def should_stop(self) -> bool:
        self.checks += 1
        return self.stop_after is not None and self.checks > self.stop_after


def assert_same_run(batched: TrialOutcome, alone: TrialOutcome, rtol: float = RTOL) -> None:
    assert batched.state == alone.state
    assert batched.epochs_run == alone.epochs_run and batched.steps_run == alone.steps_run
    torch.testing.assert_close(
        [p.value for p in batched.curve], [p.value for p in alone.curve], rtol=rtol, atol=0.0
    )
    torch.testing.assert_close(
        list(batched.train_loss), list(alone.train_loss), rtol=rtol, atol=0.0
    )


@pytest.mark.parametrize("workload", sorted(SAME_RULE))
def test_each_trial_in_a_batch_matches_the_same_trial_run_alone(workload: str) -> None:
    trials = [
        BatchedTrial(config, max_epochs=EPOCHS, seed=seed)
        for seed, config in enumerate(SAME_RULE[workload], start=3)
    ]
    outcomes = run_batched(workload, trials, device="cpu", registry=REGISTRY)
    for trial, batched in zip(trials, outcomes, strict=True):
        alone = run_trial(
            workload,
            trial.config,
            max_epochs=EPOCHS,
            device="cpu",
            seed=trial.seed,
            registry=REGISTRY,
        )
        assert batched.state is TrialState.COMPLETE and batched.value == batched.curve[-1].value
        assert_same_run(batched, alone)
    # Different seeds and configs really are different trials.
    assert len({o.value for o in outcomes}) == len(trials)


def sgd_trials(
    *reporters: Recorder, lrs: tuple[float, ...] = (0.1, 0.03, 0.01)
) -> list[BatchedTrial]:
    return [
        BatchedTrial(TrainConfig(optimizer="sgd", lr=lr), max_epochs=3, seed=i, reporter=r)
        for i, (lr, r) in enumerate(zip(lrs, reporters, strict=True))
    ]


def test_a_pruned_trial_leaves_and_the_others_go_on_unchanged() -> None:
    untouched = run_batched(
        "tabular-mlp", sgd_trials(Recorder(), Recorder(), Recorder()), device="cpu"
    )
    reporters = (Recorder(), Recorder(prune_at=1), Recorder())
    outcomes = run_batched("tabular-mlp", sgd_trials(*reporters), device="cpu")
    assert outcomes[1].state is TrialState.PRUNED and outcomes[1].reason == "pruned after epoch 1"
    assert outcomes[1].epochs_run == 1 and reporters[1].reports == [(1, outcomes[1].curve[0].value)]
    for k in (0, 2):
        assert outcomes[k].state is TrialState.COMPLETE and len(reporters[k].reports) == 3
        assert_same_run(outcomes[k], untouched[k], rtol=1e-6)


def test_a_diverging_trial_stops_with_its_reason_and_the_others_are_unchanged() -> None:
    reporters = (Recorder(), Recorder(), Recorder())
    outcomes = run_batched(
        "tabular-mlp", sgd_trials(*reporters, lrs=(0.1, 1e6, 0.03)), device="cpu"
    )
    diverged = outcomes[1]
    assert diverged.state is TrialState.DIVERGED and diverged.value is None
    assert diverged.reason is not None and (
        "loss became nan" in diverged.reason or "loss exploded" in diverged.reason
    )
    assert diverged.epochs_run == 0 and reporters[1].reports == []
    alone = run_trial(
        "tabular-mlp", TrainConfig(optimizer="sgd", lr=1e6), max_epochs=3, device="cpu", seed=1
    )
    assert (alone.state, alone.reason) == (diverged.state, diverged.reason)
    assert alone.steps_run == diverged.steps_run
    # The same two trials without the diverging one between them.
    without = run_batched(
        "tabular-mlp",
        [
            BatchedTrial(TrainConfig(optimizer="sgd", lr=0.1), max_epochs=3, seed=0),
            BatchedTrial(TrainConfig(optimizer="sgd", lr=0.03), max_epochs=3, seed=2),
        ],
        device="cpu",
    )
    assert outcomes[0].state is outcomes[2].state is TrialState.COMPLETE
    assert_same_run(outcomes[0], without[0], rtol=1e-6)
    assert_same_run(outcomes[2], without[1], rtol=1e-6)


def test_a_trial_asked_to_stop_fails_as_interrupted_and_the_others_finish() -> None:
    reporters = (Recorder(stop_after=5), Recorder(), Recorder())
    outcomes = run_batched("tabular-mlp", sgd_trials(*reporters), device="cpu")
    assert outcomes[0].state is TrialState.FAILED and outcomes[0].reason == "interrupted"
    assert outcomes[0].steps_run == 5
    assert [o.state for o in outcomes[1:]] == [TrialState.COMPLETE, TrialState.COMPLETE]


def test_each_trial_ends_at_its_own_max_epochs() -> None:
    trials = [
        BatchedTrial(SGD, max_epochs=1, seed=0),
        BatchedTrial(SGD, max_epochs=3, seed=1),
    ]
    short, long = run_batched("tabular-mlp", trials, device="cpu")
    assert (short.state, short.epochs_run) == (TrialState.COMPLETE, 1)
    assert (long.state, long.epochs_run) == (TrialState.COMPLETE, 3)
    assert long.steps_run == 3 * short.steps_run


def test_trials_that_cannot_share_a_batch_are_refused_before_training() -> None:
    adam = TrainConfig(optimizer="adam", lr=1e-3)
    with pytest.raises(BatchingError, match="update rule"):
        run_batched("tabular-mlp", [BatchedTrial(adam, 1), BatchedTrial(SGD, 1)], device="cpu")
    bigger = TrainConfig(optimizer="adam", lr=1e-3, batch_size=64)
    with pytest.raises(BatchingError, match="batch size"):
        run_batched("tabular-mlp", [BatchedTrial(adam, 1), BatchedTrial(bigger, 1)], device="cpu")
    with pytest.raises(BatchingError, match="no batched form"):
        run_batched("text-transformer", [BatchedTrial(adam, 1)], device="cpu")
    with pytest.raises(BatchingError, match="nadam"):
        run_batched("tabular-mlp", [BatchedTrial(TrainConfig(optimizer="nadam", lr=1e-3), 1)])


def test_batch_key_groups_by_update_rule_and_batch_size() -> None:
    momentum = TrainConfig(optimizer="momentum", lr=0.1)
    assert batch_key(SGD, 32) == batch_key(momentum, 32)
    assert batch_key(SGD, 32) != batch_key(TrainConfig(optimizer="sgd", lr=0.1, batch_size=64), 32)
    assert batch_key(SGD, 32) != batch_key(TrainConfig(optimizer="adam", lr=0.1), 32)


def test_a_large_batch_takes_its_losses_in_one_vmap_and_still_matches_alone() -> None:
    k = VMAP_LOSS_FROM + 1
    lrs = [10 ** (-3 + i / k) for i in range(k)]
    trials = [
        BatchedTrial(TrainConfig(optimizer="adamw", lr=lr), max_epochs=1, seed=i)
        for i, lr in enumerate(lrs)
    ]
    outcomes = run_batched("tabular-mlp", trials, device="cpu", registry=REGISTRY)
    for k_ in (0, k - 1):
        alone = run_trial(
            "tabular-mlp", trials[k_].config, max_epochs=1, device="cpu", seed=k_, registry=REGISTRY
        )
        assert_same_run(outcomes[k_], alone)


def test_a_workload_that_fails_to_build_fails_every_trial_with_the_reason() -> None:
    class Broken(TabularMlp):
        def make_data(self, size: int, seed: int) -> Dataset:
            raise RuntimeError("no such table\nsecond line")

    outcomes = run_batched(Broken(), sgd_trials(Recorder(), Recorder(), Recorder()), device="cpu")
    assert [(o.state, o.reason) for o in outcomes] == [
        (TrialState.FAILED, "RuntimeError: no such table")
    ] * 3
