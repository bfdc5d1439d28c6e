"""The harness adapter: a lease trained by the real runner, and its ending in the service's
words (what is worth retrying, what is not)."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

import pytest

from advisor.config import TrainConfig
from tunewise.wire.metrics import RESOURCE_METRICS
from tunewise.wire.models import Completion, Lease, Objective
from workers.agent import Backoff, HttpReporter, Retrier, ServiceClient, TrialRefusedError
from workers.agent.harness import HarnessTrainer, completion_for
from workers.runner import TrialOutcome
from workers.runner import TrialState as Ending


def outcome(state: Ending, value: float | None = None, reason: str | None = None) -> TrialOutcome:
    return TrialOutcome(
        workload="tw-instant",
        state=state,
        value=value,
        metric="mse",
        direction="minimize",
        curve=(),
        train_loss=(),
        reason=reason,
        epochs_run=1,
        steps_run=1,
        seconds=0.1,
        epoch_seconds=(0.1,),
        device="cpu",
        precision="fp32",
    )


@pytest.mark.parametrize(
    ("ending", "completion"),
    [
        (outcome(Ending.COMPLETE, 0.25), Completion(value=0.25)),
        (outcome(Ending.PRUNED, 0.5, "pruned after epoch 1"), Completion(pruned=True)),
        (
            outcome(Ending.DIVERGED, reason="loss became nan at step 3"),
            Completion(failed="diverged: loss became nan at step 3", retry=False),
        ),
        (outcome(Ending.FAILED, reason="oom"), Completion(failed="oom")),
        (outcome(Ending.FAILED, reason="interrupted"), Completion(failed="interrupted")),
    ],
)
def test_each_ending_of_the_harness_has_its_completion(
    ending: TrialOutcome, completion: Completion
) -> None:
    assert completion_for(ending) == completion


def lease_of(workload: str, config: TrainConfig, max_epochs: int | None = 2) -> Lease:
    return Lease(
        trial_id=7,
        number=3,
        job_id="job",
        workload=workload,
        params=config,
        max_epochs=max_epochs,
        objective=Objective(metric="mse"),
        lease_expires_at=datetime.now(UTC) + timedelta(minutes=5),
        attempt=0,
    )


class Recorder(HttpReporter):
    """The reporter with the HTTP left out: remembers what the runner reported."""

    def __init__(self) -> None:
        stop = threading.Event()
        log = logging.getLogger("t")
        super().__init__(
            client=ServiceClient("http://unused", None),
            retrier=Retrier(Backoff(), stop, log),
            trial_id=7,
            lease_expires_at=datetime.now(UTC) + timedelta(minutes=5),
            stop=stop,
            log=log,
        )
        self.reported: list[tuple[int, float]] = []

    def report(self, epoch: int, value: float) -> bool:
        self.reported.append((epoch, value))
        return False


def test_a_lease_is_trained_for_its_epochs_and_completes_with_the_last_value(
    trainer: HarnessTrainer,
) -> None:
    reporter = Recorder()
    config = TrainConfig(optimizer="adam", lr=0.01)
    completion = trainer.train(lease_of("tw-instant", config, max_epochs=3), reporter)
    assert [epoch for epoch, _ in reporter.reported] == [1, 2, 3]
    assert completion == Completion(value=reporter.reported[-1][1]), "one objective: value"


def test_a_job_that_needs_metrics_gets_every_metric_measured(trainer: HarnessTrainer) -> None:
    lease = lease_of("tw-instant", TrainConfig(optimizer="adam", lr=0.01)).model_copy(
        update={"metrics": ("mse", "train_seconds")}
    )
    completion = trainer.train(lease, Recorder())
    assert completion.values is not None and completion.value is not None
    assert completion.values["mse"] == completion.value
    assert set(completion.values) == {"mse", *RESOURCE_METRICS}


def test_without_max_epochs_the_workload_default_is_used(trainer: HarnessTrainer) -> None:
    reporter = Recorder()
    trainer.train(lease_of("tw-instant", TrainConfig(optimizer="sgd", lr=0.1), None), reporter)
    assert len(reporter.reported) == 3  # tw-instant's default_epochs


def test_a_config_the_model_cannot_take_is_refused_not_retried(trainer: HarnessTrainer) -> None:
    config = TrainConfig(optimizer="sparse_adam", lr=0.01)
    with pytest.raises(TrialRefusedError, match="sparse"):
        trainer.train(lease_of("tw-instant", config), Recorder())


def test_a_workload_that_is_not_installed_is_refused(trainer: HarnessTrainer) -> None:
    with pytest.raises(TrialRefusedError, match="not installed on this worker"):
        trainer.train(lease_of("imagenet-vit", TrainConfig(optimizer="adam", lr=0.01)), Recorder())


def test_cuda_is_used_when_asked_for_and_present_and_refused_when_absent() -> None:
    import torch

    from workers.agent import WorkerSetupError

    if torch.cuda.is_available():
        assert HarnessTrainer.for_device("cuda").device == "cuda"
        assert HarnessTrainer.for_device("auto").device == "cuda"
    else:
        with pytest.raises(WorkerSetupError, match="CUDA is not available"):
            HarnessTrainer.for_device("cuda")
        assert HarnessTrainer.for_device("auto").device == "cpu"
