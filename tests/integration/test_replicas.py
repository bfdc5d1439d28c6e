"""Two API replicas on one PostgreSQL, sixteen worker processes spread over both, and one
replica SIGKILLed and restarted mid-job: the job completes with its budget exact, no trial
lost, no trial number used twice, no trial trained twice, and Optuna's study agreeing with the
API. The workers run the real agent in real processes (see light_worker)."""

from __future__ import annotations

import signal

import optuna
from optuna.trial import TrialState as OptunaState
from pydantic import SecretStr

from service.tuning.studies import REASON_ATTR
from tests.integration.conftest import ClusterFactory
from tunewise.testing.processes import TOKEN, Cluster, submit, trials_leased, wait_for
from tunewise.wire.models import JobState, TrialState
from workers.agent import ServiceClient

N_WORKERS = 16
N_TRIALS = 4 * N_WORKERS
SAME_STATE = {
    TrialState.COMPLETE: OptunaState.COMPLETE,
    TrialState.PRUNED: OptunaState.PRUNED,
    TrialState.FAILED: OptunaState.FAIL,
}


def start_replica(cluster: Cluster, port: int = 0) -> tuple[str, int]:
    cluster.start_api(lease_seconds=30.0, port=port)
    assert cluster.api_url is not None
    return cluster.api_url, cluster.port


def test_a_replica_killed_and_restarted_mid_job_loses_repeats_and_retrains_nothing(
    cluster_factory: ClusterFactory, postgres_url: str
) -> None:
    cluster = cluster_factory(database_url=postgres_url)
    url_a, _ = start_replica(cluster)
    url_b, port_b = start_replica(cluster)
    replica_b = cluster.processes[-1]
    client = ServiceClient(url_a, SecretStr(TOKEN), timeout_s=60)
    job = submit(client, "tw-instant", n_trials=N_TRIALS, max_epochs=3)
    workers = []
    for i in range(N_WORKERS):
        cluster.api_url = url_a if i % 2 == 0 else url_b  # half the workers on each replica
        workers.append(cluster.start_light_worker(f"w{i:02d}"))
    on_b = workers[1::2]

    wait_for(lambda: client.job(job.id).progress.finished >= N_TRIALS // 4, 90, "a quarter done")
    replica_b.kill()
    wait_for(lambda: any("API unavailable" in w.log() for w in on_b), 30, "B's workers to notice")
    assert client.job(job.id).state.is_open, "the job ended before the kill: not mid-job"
    start_replica(cluster, port=port_b)
    wait_for(lambda: not client.job(job.id).state.is_open, 120, "the job to end")
    for worker in workers:
        worker.signal(signal.SIGTERM)
    assert [w.wait() for w in workers] == [0] * N_WORKERS

    done = client.job(job.id)
    assert done.state is JobState.COMPLETED
    # Budget exact, nothing lost: every leased trial finished, none failed or left running.
    assert (done.progress.finished, done.progress.failed, done.progress.running) == (N_TRIALS, 0, 0)
    trials = client.trials(job.id, limit=500).items
    assert len(trials) == N_TRIALS
    assert all(t.state is TrialState.COMPLETE and len(t.intermediate) == 3 for t in trials)
    numbers = [t.number for t in trials]
    assert len(set(numbers)) == len(numbers), "a trial number was used twice"
    # The job is seeded; neither the second replica nor the restarted one replays proposals.
    proposals = {t.params.model_dump_json() for t in trials}
    assert len(proposals) == N_TRIALS, f"{N_TRIALS - len(proposals)} proposals repeated"
    # Trained once: each trial in exactly one worker's log, once, recorded as that worker's.
    leased_by = {w.name: trials_leased(w) for w in workers}
    all_leases = [trial_id for ids in leased_by.values() for trial_id in ids]
    assert sorted(all_leases) == sorted(t.id for t in trials)
    owner = {trial_id: name for name, ids in leased_by.items() for trial_id in ids}
    assert all(t.worker == owner[t.id] for t in trials)
    assert any(leased_by[w.name] for w in on_b) and "API reachable again" in "".join(
        w.log() for w in on_b
    )

    # Optuna agrees: every listed trial in the same state and value; any other trial (asked
    # by the killed replica, never leased) failed with its reason once the job ended.
    study = optuna.load_study(study_name=done.study_name, storage=postgres_url)
    listed = {t.number: t for t in trials}

    def unsettled() -> list[int]:
        return [
            t.number
            for t in study.get_trials(deepcopy=False)
            if t.state in (OptunaState.WAITING, OptunaState.RUNNING)
        ]

    wait_for(lambda: not unsettled(), 30, "Optuna's leftover trials to be failed")
    for trial in study.get_trials(deepcopy=False):
        if trial.number in listed:
            assert SAME_STATE[listed[trial.number].state] is trial.state
            assert listed[trial.number].value == trial.value
        else:
            assert trial.state is OptunaState.FAIL and trial.user_attrs.get(REASON_ATTR)
