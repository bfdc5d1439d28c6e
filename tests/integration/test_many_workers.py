"""Many worker processes against one job, on SQLite (8) and on PostgreSQL (16): every trial
is leased by exactly one worker exactly once, none is lost, and Optuna's numbering has no gaps
or repeats. The workers run the real agent in real processes (see light_worker)."""

from __future__ import annotations

import signal

import pytest

from tests.integration.conftest import ClusterFactory
from tunewise.testing.processes import client_of, submit, trials_leased, wait_for
from tunewise.wire.models import JobState, TrialState


@pytest.mark.parametrize(("database", "n_workers"), [("sqlite", 8), ("postgresql", 16)])
def test_no_trial_is_run_twice_or_lost_and_numbering_stays_intact(
    database: str, n_workers: int, cluster_factory: ClusterFactory, request: pytest.FixtureRequest
) -> None:
    url = request.getfixturevalue("postgres_url") if database == "postgresql" else None
    cluster = cluster_factory(database_url=url)
    cluster.start_api()
    client = client_of(cluster)
    n_trials = 4 * n_workers
    job = submit(client, "tw-instant", n_trials=n_trials, max_epochs=3)
    workers = [cluster.start_light_worker(f"w{i:02d}") for i in range(n_workers)]
    wait_for(lambda: not client.job(job.id).state.is_open, 120, "the job to end")
    for worker in workers:
        worker.signal(signal.SIGTERM)
    assert [w.wait() for w in workers] == [0] * n_workers

    done = client.job(job.id)
    assert done.state is JobState.COMPLETED
    assert (done.progress.finished, done.progress.failed, done.progress.running) == (n_trials, 0, 0)
    trials = client.trials(job.id, limit=500).items
    assert len(trials) == n_trials
    assert sorted(t.number for t in trials) == list(range(n_trials))
    assert all(t.state is TrialState.COMPLETE and len(t.intermediate) == 3 for t in trials)
    # Each trial in exactly one worker's log, once, and recorded as that worker's.
    leased_by = {w.name: trials_leased(w) for w in workers}
    all_leases = [trial_id for ids in leased_by.values() for trial_id in ids]
    assert sorted(all_leases) == sorted(t.id for t in trials)
    owner = {trial_id: name for name, ids in leased_by.items() for trial_id in ids}
    assert all(t.worker == owner[t.id] for t in trials)
    # The work was shared, not taken by one worker while the others idled.
    assert sum(1 for ids in leased_by.values() if ids) >= n_workers // 2
