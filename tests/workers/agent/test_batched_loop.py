"""The batched worker loop (``tunewise worker --batch K``) against the real service,
in-process: K trials leased in one call, one report call per epoch for a whole batch, pruned
trials leaving their batch while the rest finish, leases of waiting trials renewed, and a
stop failing the training batch as interrupted and handing back the ones still waiting.

Most tests train with :class:`CurveTrainer`, which drives the reporters exactly as
``workers.batched.run_batched`` does (``should_stop`` at each step, every live trial's report
at each epoch's end) with a computed curve, so they check the loop and the service, fast;
one trains tabular-mlp for real through :class:`HarnessBatchTrainer`."""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from advisor.config import TrainConfig
from tests.workers.agent.conftest import BASE_URL, TOKEN, ApiFactory, LocalApi, job_spec
from tunewise.wire.models import (
    Completion,
    Job,
    JobCreate,
    JobState,
    Lease,
    Objective,
    TrialState,
)
from workers.agent import EXIT_STOPPED, TrialRefusedError, WorkerSettings
from workers.agent.batched import BatchedWorkerAgent, BatchReporter, BatchTrainer, batch_label
from workers.agent.batched_harness import AUTO_CPU_CAP, HarnessBatchTrainer
from workers.workloads import WorkloadRegistry


def curve(lease: Lease, epoch: int) -> float:
    """Depends on the lr only: an lr far from 1e-3 is worse at every epoch."""
    return abs(math.log10(lease.params.lr) + 3) / epoch + 0.01


@dataclass
class CurveTrainer:
    """Trains nothing: each batch reports a computed curve, as the batched runner would."""

    #: Leases per batch: a lease group is planned into chunks of this size.
    per_batch: int = 64
    steps_per_epoch: int = 2
    step_s: float = 0.0
    #: Every batch trained, as trial ids.
    batches: list[list[int]] = field(default_factory=list)
    #: How each trial ended, by trial id.
    endings: dict[int, Completion] = field(default_factory=dict)

    def workloads(self) -> tuple[str, ...]:
        return ("tw-instant",)

    def plan(self, leases: Sequence[Lease]) -> list[list[Lease]]:
        return [list(leases[i : i + self.per_batch]) for i in range(0, len(leases), self.per_batch)]

    def train(
        self, batch: Sequence[Lease], reporters: Mapping[int, BatchReporter]
    ) -> dict[int, Completion]:
        self.batches.append([x.trial_id for x in batch])
        live = list(batch)
        done: dict[int, Completion] = {}

        def leave(lease: Lease, completion: Completion) -> None:
            done[lease.trial_id] = completion
            live.remove(lease)

        epoch = 0
        while live:
            epoch += 1
            for _ in range(self.steps_per_epoch):
                for lease in [x for x in live if reporters[x.trial_id].should_stop()]:
                    leave(lease, Completion(failed="interrupted"))
                time.sleep(self.step_s)
            for lease in list(live):
                value = curve(lease, epoch)
                if reporters[lease.trial_id].report(epoch, value):
                    leave(lease, Completion(pruned=True))
                elif epoch >= (lease.max_epochs or 1):
                    leave(lease, Completion(value=value))
        self.endings.update(done)
        return done


def settings(**overrides: Any) -> WorkerSettings:
    values: dict[str, Any] = {
        "api_url": BASE_URL,
        "token": TOKEN,
        "device": "cpu",
        "name": "test-worker",
        "idle_poll_s": 0.05,
        "backoff_initial_s": 0.01,
        "backoff_max_s": 0.05,
        "stop_grace_s": 5.0,
    }
    return WorkerSettings(**{**values, **overrides})


def agent_for(api: LocalApi, trainer: BatchTrainer, batch: int) -> BatchedWorkerAgent:
    return BatchedWorkerAgent(
        settings=settings(),
        client=api.client,
        trainer=trainer,
        batch=batch,
        stop=threading.Event(),
        log=logging.getLogger("tests.batched-agent"),
    )


@contextmanager
def running(agent: BatchedWorkerAgent) -> Iterator[list[int]]:
    """Runs the agent in a thread; stops it on the way out. Yields [exit status] once done."""
    status: list[int] = []
    thread = threading.Thread(target=lambda: status.append(agent.run()))
    thread.start()
    try:
        yield status
    finally:
        agent.stop.set()
        thread.join(timeout=60)
        assert not thread.is_alive(), "the worker did not stop"


def wait_for(condition: Callable[[], bool], timeout_s: float = 60.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def create(api: LocalApi, workload: str, n_trials: int, max_epochs: int, **extra: Any) -> Job:
    spec = job_spec(workload, n_trials, max_epochs).model_dump()
    return api.client.create_job(JobCreate.model_validate({**spec, **extra}))


def ended(api: LocalApi, job: Job) -> Callable[[], bool]:
    return lambda: not api.client.job(job.id).state.is_open


def test_a_batch_is_leased_in_one_call_reported_once_per_epoch_and_pruned_trials_leave_it(
    api: LocalApi,
) -> None:
    # About 2 s a batch, the time the service has to ask the next batch's trials ahead.
    trainer = CurveTrainer(steps_per_epoch=5, step_s=0.1)
    job = create(api, "tw-instant", n_trials=12, max_epochs=4, pruner="median")
    agent = agent_for(api, trainer, batch=6)
    with running(agent) as status:
        wait_for(ended(api, job))
    assert status == [EXIT_STOPPED]

    done = api.client.job(job.id)
    assert done.state is JobState.COMPLETED
    assert (done.progress.finished, done.progress.failed, done.progress.running) == (12, 0, 0)
    trials = {t.id: t for t in api.client.trials(job.id).items}
    assert sorted(t.number for t in trials.values()) == list(range(12))
    # Every trial trained once, in a batch of six, leased under the batched worker's name.
    assert sorted(i for b in trainer.batches for i in b) == sorted(trials)
    assert [len(b) for b in trainer.batches] == [6, 6]
    assert all(
        t.worker == batch_label("test-worker", 6) == "test-worker [batch 6]"
        for t in trials.values()
    )
    # The first batch fills up call by call (the service has one trial asked ahead per running
    # one); the second comes whole from one call, asked ahead while the first trained.
    assert 6 in agent.lease_answers
    # One report call per epoch of each batch, not one per trial and epoch.
    epochs_of_batches = [max(len(trials[i].intermediate) for i in b) for b in trainer.batches]
    assert agent.report_calls == sum(epochs_of_batches)
    reports = sum(len(t.intermediate) for t in trials.values())
    assert agent.report_calls < reports
    # One result call per batch, not one per trial.
    assert agent.result_calls == len(trainer.batches) == 2
    # The median pruner needs 5 complete trials: the second batch loses its worst trials
    # early while the rest of it runs to the last epoch.
    second = [trials[i] for i in trainer.batches[1]]
    pruned = [t for t in second if t.state is TrialState.PRUNED]
    finished = [t for t in second if t.state is TrialState.COMPLETE]
    assert pruned and finished
    assert all(len(t.intermediate) < 4 for t in pruned)
    assert all(len(t.intermediate) == 4 for t in finished)
    assert all(t.state is TrialState.COMPLETE for i in trainer.batches[0] for t in [trials[i]])


def test_a_batch_that_trains_faster_than_the_service_answers_still_obeys_its_verdicts(
    api: LocalApi,
) -> None:
    trainer = CurveTrainer()  # no time at all per step: each epoch waits for the last verdicts
    job = create(api, "tw-instant", n_trials=12, max_epochs=4, pruner="median")
    agent = agent_for(api, trainer, batch=6)
    with running(agent):
        wait_for(ended(api, job))
    trials = {t.id: t for t in api.client.trials(job.id).items}
    later = [trials[i] for b in trainer.batches[1:] for i in b]
    assert any(t.state is TrialState.PRUNED and len(t.intermediate) < 4 for t in later)
    assert api.client.job(job.id).progress.finished == 12


def test_leases_of_trials_waiting_for_their_batch_are_renewed(api_factory: ApiFactory) -> None:
    api = api_factory(lease_seconds=3.0)
    # One trial per batch, about 3 s each: the last one waits 6 s, twice its lease, and its
    # only renewals are the keeper's heartbeats.
    trainer = CurveTrainer(per_batch=1, steps_per_epoch=4, step_s=0.25)
    job = create(api, "tw-instant", n_trials=3, max_epochs=3)
    agent = agent_for(api, trainer, batch=3)
    with running(agent):
        wait_for(ended(api, job))
    assert [len(b) for b in trainer.batches] == [1, 1, 1]
    progress = api.client.job(job.id).progress
    assert (progress.complete, progress.failed) == (3, 0)


def test_a_stop_fails_the_training_batch_as_interrupted_and_hands_back_the_waiting_one(
    api: LocalApi,
) -> None:
    trainer = CurveTrainer(per_batch=2, step_s=0.05)
    job = create(api, "tw-instant", n_trials=4, max_epochs=1000)
    agent = agent_for(api, trainer, batch=4)

    def reported() -> bool:
        return any(t.intermediate for t in api.client.trials(job.id).items)

    with running(agent) as status:
        wait_for(reported)
        agent.stop.set()
    assert status == [EXIT_STOPPED]
    trials = {t.id: t for t in api.client.trials(job.id).items}
    assert len(trials) == 4
    assert all((t.state, t.reason) == (TrialState.FAILED, "interrupted") for t in trials.values())
    (trained,) = trainer.batches  # the second batch never started
    assert all(trials[i].intermediate for i in trained)
    assert all(not t.intermediate for i, t in trials.items() if i not in trained)


def test_a_real_batch_of_tabular_mlp_trials_trains_as_one_through_the_service(
    api: LocalApi,
) -> None:
    registry = WorkloadRegistry.discover()
    trainer = HarnessBatchTrainer(registry, "cpu", logging.getLogger("tests.batched-harness"))
    # adam and adamw share one update rule, so all four trials can share one batch.
    job = create(api, "tabular-mlp", n_trials=4, max_epochs=2, families=["adam", "adamw"])
    agent = BatchedWorkerAgent(
        settings=settings(workloads=("tabular-mlp",)),
        client=api.client,
        trainer=trainer,
        batch=4,
        stop=threading.Event(),
        log=logging.getLogger("tests.batched-agent"),
    )
    with running(agent):
        wait_for(ended(api, job), timeout_s=120)
    assert agent.batch_sizes == [4]
    trials = api.client.trials(job.id).items
    assert all(t.state is TrialState.COMPLETE and len(t.intermediate) == 2 for t in trials)
    assert agent.report_calls == 2


def test_auto_sizes_by_memory_within_the_cpu_cap_and_is_one_without_a_batchable_workload() -> None:
    registry = WorkloadRegistry.discover()
    trainer = HarnessBatchTrainer(registry, "cpu", logging.getLogger("tests.batched-harness"))
    assert 1 <= trainer.auto_batch(("tabular-mlp",)) <= AUTO_CPU_CAP
    assert trainer.auto_batch(("text-transformer", "recsys-embedding")) == 1


@pytest.mark.parametrize("batch", [0, 65])
def test_a_batch_outside_what_one_lease_call_may_ask_is_refused(api: LocalApi, batch: int) -> None:
    with pytest.raises(ValueError, match="batch must be"):
        agent_for(api, CurveTrainer(), batch=batch)


def test_a_batched_workers_name_says_its_batch_within_the_services_200_characters() -> None:
    assert batch_label("gpu-box:12", 8) == "gpu-box:12 [batch 8]"
    long = batch_label("w" * 200, 64)
    assert len(long) == 200 and long.endswith(" [batch 64]")


def test_a_batched_worker_refuses_trials_that_need_their_own_time_or_memory() -> None:
    """A batch's trials share one stacked model's time and memory, so a multi-objective or
    constrained job on those metrics is refused with what to do instead."""
    registry = WorkloadRegistry.discover()
    trainer = HarnessBatchTrainer(registry, "cpu", logging.getLogger("tests.batched-harness"))
    lease = Lease(
        trial_id=1,
        number=0,
        job_id="job",
        workload="tabular-mlp",
        params=TrainConfig(optimizer="adam", lr=1e-3),
        max_epochs=1,
        objective=Objective(metric="val_loss"),
        lease_expires_at=datetime.now(UTC) + timedelta(minutes=5),
        attempt=0,
        metrics=("val_loss", "train_seconds"),
    )
    with pytest.raises(TrialRefusedError, match=r"train_seconds.*without --batch"):
        trainer.train([lease], {})
