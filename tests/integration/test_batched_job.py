"""A batched job end to end: real ``tunewise serve`` and ``tunewise worker --batch 8``
processes train tabular-mlp through the service with the median pruner. The job finishes at
exactly its budget, every trial is leased once, trials of one batch are pruned while the
rest of that batch finishes, and the job's page says its trials were trained in batches."""

from __future__ import annotations

import re
import signal

import httpx

from tests.integration.conftest import ClusterFactory
from tunewise.testing.processes import TOKEN, Process, client_of, trials_leased, wait_for
from tunewise.wire.models import JobCreate, JobState, TrialState

N_TRIALS = 24
BATCH = 8
_BATCH_LINE = re.compile(r"batch of (\d+): trials ([\d ]+)$", re.MULTILINE)


def batches_trained(worker: Process) -> list[list[int]]:
    """The trial ids of each batch the worker trained, from its log, in order."""
    found = _BATCH_LINE.finditer(worker.log())
    return [[int(t) for t in m.group(2).split()] for m in found]


def test_a_batched_worker_runs_a_pruned_job_to_its_exact_budget_and_the_page_shows_it(
    cluster_factory: ClusterFactory,
) -> None:
    cluster = cluster_factory()
    cluster.start_api()
    client = client_of(cluster)
    spec = {
        "task": {"domain": "tabular", "architecture": "mlp"},
        "workload": "tabular-mlp",
        "objective": {"metric": "val_loss", "direction": "minimize"},
        "budget": {"n_trials": N_TRIALS, "max_epochs": 4},
        # adam and adamw share one update rule, so every leased trial can join one batch.
        "families": ["adam", "adamw"],
        "pruner": "median",
        "seed": 5,
    }
    job = client.create_job(JobCreate.model_validate(spec))
    worker = cluster.start_worker("batcher", "tabular-mlp", extra=("--batch", str(BATCH)))
    wait_for(lambda: not client.job(job.id).state.is_open, 600, "the job to end")
    worker.signal(signal.SIGTERM)
    assert worker.wait(60) == 0, worker.log()

    done = client.job(job.id)
    assert done.state is JobState.COMPLETED
    assert (done.progress.finished, done.progress.failed, done.progress.running) == (
        N_TRIALS,
        0,
        0,
    )
    trials = {t.id: t for t in client.trials(job.id, limit=100).items}
    assert sorted(t.number for t in trials.values()) == list(range(N_TRIALS))
    # Every trial leased once, by the batched worker, and trained in exactly one batch.
    assert sorted(trials_leased(worker)) == sorted(trials)
    assert all(t.worker == f"batcher [batch {BATCH}]" for t in trials.values())
    batches = batches_trained(worker)
    assert sorted(i for b in batches for i in b) == sorted(trials)
    assert max(len(b) for b in batches) == BATCH
    # Some batch lost trials to the pruner while others in it ran to the last epoch.
    mixed = [
        b
        for b in batches
        if {trials[i].state for i in b} >= {TrialState.PRUNED, TrialState.COMPLETE}
    ]
    assert mixed, [[trials[i].state.value for i in b] for b in batches]
    for batch in mixed:
        for trial in (trials[i] for i in batch):
            epochs = len(trial.intermediate)
            assert epochs == 4 if trial.state is TrialState.COMPLETE else epochs < 4

    assert cluster.api_url is not None
    login = httpx.post(
        f"{cluster.api_url}/ui/login", data={"token": TOKEN}, timeout=30
    )  # the dashboard's cookie holds a session id, not the token
    page = httpx.get(f"{cluster.api_url}/ui/jobs/{job.id}", cookies=login.cookies, timeout=30)
    assert page.status_code == 200, page.text[:500]
    assert f"{N_TRIALS} of {N_TRIALS} trials went to batched workers" in page.text
    assert f"batch of ≤{BATCH}" in page.text


def test_sigterm_fails_the_training_batch_as_interrupted_and_the_worker_exits_cleanly(
    cluster_factory: ClusterFactory,
) -> None:
    cluster = cluster_factory()
    cluster.start_api()
    client = client_of(cluster)
    spec = {
        "task": {"domain": "tabular", "architecture": "mlp"},
        "workload": "tabular-mlp",
        "objective": {"metric": "val_loss", "direction": "minimize"},
        "budget": {"n_trials": 4, "max_epochs": 100_000},
        "families": ["adam", "adamw"],
        "pruner": "none",
        "seed": 5,
    }
    job = client.create_job(JobCreate.model_validate(spec))
    worker = cluster.start_worker("batcher", "tabular-mlp", extra=("--batch", "4"))

    def training() -> bool:
        return any(t.intermediate for t in client.trials(job.id).items)

    wait_for(training, 300, "a batch to report an epoch")
    worker.signal(signal.SIGTERM)
    assert worker.wait(60) == 0, worker.log()
    trials = client.trials(job.id).items
    assert sorted(t.id for t in trials) == sorted(trials_leased(worker))
    assert trials and all((t.state, t.reason) == (TrialState.FAILED, "interrupted") for t in trials)
