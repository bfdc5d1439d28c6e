"""Several API processes on one SQLite file: two ``tunewise serve`` on one data dir, and one
``tunewise serve --api-processes 2``. Clients leasing and completing in batches as fast as
they can on both never get one trial twice, the budget is exact, no trial number is used
twice, and Optuna's study agrees with the API; an API process killed mid-job is replaced and
the job completes with its budget exact and nothing trained twice (a lease whose answer was
lost expires and is retried)."""

from __future__ import annotations

import os
import signal
import threading
from collections import Counter
from pathlib import Path

import optuna
from optuna.trial import TrialState as OptunaState
from pydantic import SecretStr

from tests.integration.conftest import ClusterFactory
from tunewise.testing.processes import TOKEN, Cluster, submit, trials_leased, wait_for
from tunewise.wire.models import Completion, JobState, NextLease, TrialState
from workers.agent import ServiceClient

WORKLOAD = "tw-instant"
BATCH = 4


def drain(url: str, name: str, leased: list[int], errors: list[str]) -> None:
    """Leases ``BATCH`` trials at a time and completes them with the next lease in one call
    until none is left, noting every trial it was handed."""
    with ServiceClient(url, SecretStr(TOKEN), timeout_s=60) as client:
        try:
            held = client.lease_many((WORKLOAD,), name, BATCH)
            following = NextLease(workloads=(WORKLOAD,), worker=name, count=BATCH)
            while held:
                leased.extend(lease.trial_id for lease in held)
                done = [(lease.trial_id, Completion(value=lease.number / 7)) for lease in held]
                answer = client.complete_many(done, following)
                errors.extend(str(r.error) for r in answer.results if r.error is not None)
                held = list(answer.leases)
        except Exception as exc:  # reported by the test, not lost in a thread
            errors.append(f"{name}: {type(exc).__name__}: {exc}")


def settled_study(database: Path, study_name: str) -> list[optuna.trial.FrozenTrial]:
    """Optuna's trials once none is left waiting or running (trials asked ahead and not needed
    are failed by the sweeper after the job ends)."""
    study = optuna.load_study(study_name=study_name, storage=f"sqlite:///{database}")

    def settled() -> bool:
        states = {t.state for t in study.get_trials(deepcopy=False)}
        return not states & {OptunaState.WAITING, OptunaState.RUNNING}

    wait_for(settled, 30, "Optuna's leftover trials to be failed")
    return study.get_trials(deepcopy=False)


def test_two_serve_processes_on_one_sqlite_file_never_hand_out_a_trial_twice(
    cluster_factory: ClusterFactory,
) -> None:
    cluster = cluster_factory()
    cluster.start_api()
    url_a = cluster.api_url
    cluster.start_api()  # the same data dir: the same SQLite file
    url_b = cluster.api_url
    assert url_a and url_b and url_a != url_b
    n_trials = 160
    with ServiceClient(url_a, SecretStr(TOKEN), timeout_s=60) as client:
        job = submit(client, WORKLOAD, n_trials=n_trials, max_epochs=1)
        leased: list[list[int]] = [[] for _ in range(8)]
        errors: list[str] = []
        threads = [
            threading.Thread(
                target=drain, args=(url_a if i % 2 else url_b, f"c{i}", leased[i], errors)
            )
            for i in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(300)
        assert errors == []
        assert all(leased[0::2]) and all(leased[1::2]), "a process served none of its clients"
        handed_out = Counter(trial_id for ids in leased for trial_id in ids)
        assert [t for t, n in handed_out.items() if n > 1] == [], "a trial was leased twice"

        done = client.job(job.id)
        assert done.state is JobState.COMPLETED
        assert (done.progress.finished, done.progress.failed, done.progress.running) == (
            n_trials,
            0,
            0,
        )
        trials = client.trials(job.id, limit=500).items
    assert sorted(t.id for t in trials) == sorted(handed_out)
    assert all(t.state is TrialState.COMPLETE for t in trials)
    assert len({t.number for t in trials}) == n_trials, "a trial number was used twice"

    listed = {t.number: t for t in trials}
    for trial in settled_study(cluster.data_dir / "tunewise.db", done.study_name):
        if trial.number in listed:
            assert trial.state is OptunaState.COMPLETE
            assert trial.value == listed[trial.number].value
        else:  # asked ahead, never leased
            assert trial.state is OptunaState.FAIL


def api_children(api_pid: int) -> list[int]:
    """The API processes ``tunewise serve`` started (Linux /proc; multiprocessing's resource
    tracker, its other child, left out)."""
    found = Path(f"/proc/{api_pid}/task/{api_pid}/children").read_text().split()
    return [int(pid) for pid in found if b"spawn_main" in _cmdline(int(pid))]


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except FileNotFoundError:  # exited meanwhile
        return b""


def test_an_api_process_killed_mid_job_is_replaced_and_nothing_is_lost_or_trained_twice(
    cluster: Cluster,
) -> None:
    api = cluster.start_api(api_processes=2)
    children = api_children(api.popen.pid)
    assert len(children) == 2
    client = ServiceClient(cluster.api_url or "", SecretStr(TOKEN), timeout_s=60)
    n_trials = 48
    job = submit(client, WORKLOAD, n_trials=n_trials, max_epochs=2)
    workers = [cluster.start_light_worker(f"w{i}") for i in range(8)]

    wait_for(lambda: client.job(job.id).progress.finished >= n_trials // 4, 90, "a quarter done")
    killed = children[0]
    os.kill(killed, signal.SIGKILL)
    wait_for(
        lambda: len(api_children(api.popen.pid)) == 2 and killed not in api_children(api.popen.pid),
        60,
        "a new API process",
    )
    wait_for(lambda: not client.job(job.id).state.is_open, 120, "the job to end")
    for worker in workers:
        worker.signal(signal.SIGTERM)
    assert [w.wait() for w in workers] == [0] * len(workers)

    done = client.job(job.id)
    assert done.state is JobState.COMPLETED
    assert (done.progress.finished, done.progress.running) == (n_trials, 0)
    trials = client.trials(job.id, limit=500).items
    assert len({t.number for t in trials}) == len(trials), "a trial number was used twice"
    finished = [t for t in trials if t.state is TrialState.COMPLETE]
    assert len(finished) == n_trials
    leased = Counter(trial_id for w in workers for trial_id in trials_leased(w))
    assert [t for t, n in leased.items() if n > 1] == [], "a trial was trained twice"
    assert all(leased[t.id] == 1 for t in finished), "a finished trial no worker trained"
    # A lease whose answer died with the process (or timed out on a loaded machine, the
    # worker retrying) is held by no worker: it expires and its config is retried, not lost.
    for trial in trials:
        if trial.state is not TrialState.COMPLETE:
            assert trial.state is TrialState.FAILED and trial.id not in leased
            assert (trial.reason or "").startswith("lease expired")

    survivors = api_children(api.popen.pid)
    api.signal(signal.SIGTERM)
    assert api.wait(60) == 0
    assert not any(Path(f"/proc/{pid}").exists() for pid in survivors)
