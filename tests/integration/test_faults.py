"""Fault tolerance with real processes: a worker SIGKILLed mid-trial, the API killed and
restarted mid-job, SIGTERM to a worker, and workloads that raise, go NaN or run out of memory.
Each ends with the job whole: n_trials finished, nothing lost, nothing run twice."""

from __future__ import annotations

import signal

from tests.integration.conftest import ClusterFactory
from tunewise.testing.processes import Cluster, client_of, submit, trials_leased, wait_for
from tunewise.wire.models import Job, JobState, Trial, TrialState
from workers.agent import ServiceClient


def all_trials(client: ServiceClient, job: Job) -> list[Trial]:
    return list(client.trials(job.id, limit=500).items)


def job_ended(client: ServiceClient, job: Job) -> bool:
    return not client.job(job.id).state.is_open


def test_a_worker_killed_mid_trial_loses_the_lease_and_the_trial_is_retried(
    cluster_factory: ClusterFactory,
) -> None:
    cluster = cluster_factory(slow_step_s=0.4)
    cluster.start_api(lease_seconds=2.0)
    client = client_of(cluster)
    job = submit(client, "tw-slow", n_trials=2, max_epochs=3)
    doomed = cluster.start_worker("doomed", "tw-slow")
    wait_for(lambda: client.trials(job.id, state=TrialState.RUNNING).total == 1, 60, "a lease")
    (victim,) = client.trials(job.id, state=TrialState.RUNNING).items
    # The survivor starts while the doomed worker trains, and takes the other trial.
    cluster.start_worker("survivor", "tw-slow")
    doomed.kill()  # SIGKILL: no goodbye, the lease just stops being renewed
    wait_for(lambda: job_ended(client, job), 90, "the job to end")

    done = client.job(job.id)
    assert done.state is JobState.COMPLETED and done.progress.finished == 2
    trials = {t.id: t for t in all_trials(client, job)}
    killed = trials[victim.id]
    assert killed.state is TrialState.FAILED and killed.worker == "doomed"
    assert killed.reason is not None and killed.reason.startswith("lease expired")
    retries = [t for t in trials.values() if t.attempt == 1 and t.params == killed.params]
    assert len(retries) == 1 and retries[0].state is TrialState.COMPLETE


def test_an_api_killed_and_restarted_mid_job_loses_and_repeats_nothing_and_sigterm_interrupts(
    cluster: Cluster,
) -> None:
    api = cluster.start_api(lease_seconds=60.0)
    client = client_of(cluster)
    job = submit(client, "tw-slow", n_trials=4, max_epochs=3)
    worker = cluster.start_worker("steady", "tw-slow")
    wait_for(
        lambda: (
            client.job(job.id).progress.finished >= 1
            and client.trials(job.id, state=TrialState.RUNNING).total == 1
        ),
        60,
        "one finished trial and one running",
    )
    api.kill()
    wait_for(lambda: "API unavailable" in worker.log(), 30, "the worker to notice")
    cluster.start_api(lease_seconds=60.0, port=cluster.port)
    wait_for(lambda: job_ended(client, job), 90, "the job to end")

    done = client.job(job.id)
    assert done.state is JobState.COMPLETED
    assert (done.progress.finished, done.progress.failed, done.progress.running) == (4, 0, 0)
    trials = all_trials(client, job)
    assert sorted(t.number for t in trials) == list(range(len(trials)))
    assert all(len(t.intermediate) == 3 for t in trials)
    assert sorted(trials_leased(worker)) == sorted(t.id for t in trials)
    assert "API reachable again" in worker.log()
    assert worker.alive()

    # SIGTERM mid-trial: the trial fails as interrupted and the worker leaves with status 0.
    longer = submit(client, "tw-slow", n_trials=1, max_epochs=100)
    wait_for(lambda: client.trials(longer.id, state=TrialState.RUNNING).total == 1, 30, "a lease")
    worker.signal(signal.SIGTERM)
    assert worker.wait() == 0
    (interrupted,) = all_trials(client, longer)
    assert (interrupted.state, interrupted.reason) == (TrialState.FAILED, "interrupted")
    assert "5 trials leased, 5 results delivered, 0 dropped" in worker.log()


def test_workloads_that_raise_go_nan_or_run_out_of_memory_fail_with_why_and_the_worker_goes_on(
    cluster_factory: ClusterFactory,
) -> None:
    cluster = cluster_factory(api_env={"MAX_RETRIES": "1", "MAX_CONSECUTIVE_FAILURES": "3"})
    cluster.start_api()
    client = client_of(cluster)
    failing = {name: submit(client, name, n_trials=1) for name in ("tw-raises", "tw-nan", "tw-oom")}
    healthy = submit(client, "tw-instant", n_trials=2)
    worker = cluster.start_worker("one")
    wait_for(lambda: job_ended(client, healthy), 90, "the healthy job to end")

    reasons = {name: {t.reason for t in all_trials(client, job)} for name, job in failing.items()}
    assert reasons["tw-raises"] == {"RuntimeError: workload bug: index 7 out of range"}
    assert reasons["tw-oom"] == {"oom"}
    (nan,) = reasons["tw-nan"]
    assert nan is not None and nan.startswith("diverged: ")
    for job in failing.values():
        ended = client.job(job.id)
        assert ended.state is JobState.FAILED and ended.progress.finished == 0
    # A crash is retried with the same params; a divergence is not.
    attempts = {name: {t.attempt for t in all_trials(client, job)} for name, job in failing.items()}
    assert attempts == {"tw-raises": {0, 1}, "tw-oom": {0, 1}, "tw-nan": {0}}
    assert client.job(healthy.id).state is JobState.COMPLETED
    assert {t.worker for t in all_trials(client, healthy)} == {"one"}
    assert worker.alive()


def test_sigterm_hands_back_a_trial_leased_ahead_as_interrupted_so_it_is_retried_at_once(
    cluster_factory: ClusterFactory,
) -> None:
    cluster = cluster_factory(slow_step_s=0.4)
    cluster.start_api(lease_seconds=60.0)
    client = client_of(cluster)
    job = submit(client, "tw-slow", n_trials=2, max_epochs=4)
    worker = cluster.start_worker("ahead", "tw-slow")
    # One trial trains and, near its end, the worker leases the next one ahead.
    wait_for(
        lambda: client.trials(job.id, state=TrialState.RUNNING).total == 2, 60, "a lease ahead"
    )
    worker.signal(signal.SIGTERM)
    assert worker.wait() == 0

    (trained,) = trials_leased(worker)
    trials = all_trials(client, job)
    assert {(t.state, t.reason) for t in trials} == {(TrialState.FAILED, "interrupted")}
    (reserved,) = [t for t in trials if t.id != trained]
    assert reserved.intermediate == ()  # never trained
    assert f"leased-ahead trial {reserved.id} of job {job.id} released unstarted" in worker.log()
    assert "2 trials leased, 2 results delivered, 0 dropped, 1 leased ahead" in worker.log()
    # Handed back rather than left to expire in 60 s: both are due again at once.
    again = client.lease(["tw-slow"], "next")
    assert again is not None and again.attempt == 1
