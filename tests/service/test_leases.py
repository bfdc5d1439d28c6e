"""Leases: they expire (the trial fails with a lease reason and is retried with the same
params, up to the limit), ``complete`` is exactly once, and concurrent lease calls never hand
one trial to two clients."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from typing import Any

import httpx
import uvicorn

from service.server import bind_socket
from tests.service.conftest import Api, ApiFactory


def wait_for_sweep(api: Api, trial_id: int, timeout_s: float = 10.0) -> dict[str, Any]:
    """The trial once the background sweeper failed it (nobody calls lease or report)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        trial: dict[str, Any] = api.client.get(f"/v1/trials/{trial_id}", headers=api.admin).json()
        if trial["state"] != "running":
            return trial
        time.sleep(0.1)
    raise AssertionError(f"trial {trial_id} was never swept")


def one_family_job(api: Api, n_trials: int) -> dict[str, Any]:
    """A job searching one family: one warm start, so a retry queues behind at most the one
    trial already asked ahead."""
    task = {"domain": "vision", "architecture": "cnn"}
    advice = api.client.post("/v1/advice", json=task, headers=api.admin).json()
    family = advice["search"]["families"][0]
    return api.create_job(task=task, families=[family], budget={"n_trials": n_trials})


def next_leases(api: Api, job_id: str, count: int) -> list[dict[str, Any]]:
    leases = [api.lease(job_id) for _ in range(count)]
    assert all(lease is not None for lease in leases)
    return [lease for lease in leases if lease is not None]


def test_an_abandoned_lease_expires_and_its_params_are_retried(api_factory: ApiFactory) -> None:
    api = api_factory(lease_seconds=60.0, max_retries=1)
    job = one_family_job(api, n_trials=20)
    first = api.lease(job["id"])
    assert first is not None

    api.clock.advance(61)
    swept = wait_for_sweep(api, first["trial_id"])
    assert swept["state"] == "failed"
    assert swept["reason"].startswith("lease expired at ")
    assert "no report or complete within 60 s" in swept["reason"]

    # The retry is queued behind at most the one trial already asked ahead.
    leases = next_leases(api, job["id"], 2)
    (retry,) = [lease for lease in leases if lease["attempt"] == 1]
    assert retry["params"] == first["params"] and retry["trial_id"] != first["trial_id"]
    for other in leases:
        if other is not retry:
            assert api.complete(other["trial_id"], {"value": 1.0}).status_code == 200

    # The retry is abandoned too: the limit (1 retry) is reached, so the budget moves on.
    api.clock.advance(61)
    wait_for_sweep(api, retry["trial_id"])
    later = next_leases(api, job["id"], 3)
    assert [lease["attempt"] for lease in later] == [0, 0, 0]
    assert api.job(job["id"])["progress"]["failed"] == 2

    metrics = api.client.get("/metrics", headers=api.admin).text
    assert "tunewise_lease_expiries_total 2.0" in metrics
    assert 'tunewise_trials{state="failed"} 2.0' in metrics


def test_a_late_report_or_complete_gets_409_and_changes_nothing(api_factory: ApiFactory) -> None:
    api = api_factory(lease_seconds=60.0, sweep_interval_s=3600)
    job = api.create_job(budget={"n_trials": 2})
    lease = api.lease(job["id"])
    assert lease is not None
    assert api.report(lease["trial_id"], 0, 0.5).status_code == 200
    api.clock.advance(61)

    late = api.complete(lease["trial_id"], {"value": 0.1})
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "lease_expired"
    again = api.report(lease["trial_id"], 1, 0.4)
    assert again.status_code == 409 and again.json()["error"]["code"] == "lease_expired"

    trial = api.client.get(f"/v1/trials/{lease['trial_id']}", headers=api.admin).json()
    assert trial["state"] == "failed" and trial["value"] is None
    assert api.job(job["id"])["best"] is None


def test_complete_is_exactly_once(api: Api) -> None:
    job = api.create_job(budget={"n_trials": 2})
    lease = api.lease(job["id"])
    assert lease is not None
    assert api.complete(lease["trial_id"], {"value": 0.3}).status_code == 200

    second = api.complete(lease["trial_id"], {"value": 0.1})
    assert second.status_code == 409
    assert second.json()["error"]["code"] == "already_finished"
    assert api.complete(lease["trial_id"], {"failed": "oops"}).status_code == 409
    assert api.job(job["id"])["best"]["value"] == 0.3


def test_a_failed_trial_is_retried_unless_the_client_says_not_to(api: Api) -> None:
    job = one_family_job(api, n_trials=10)
    crashed = api.lease(job["id"])
    assert crashed is not None
    api.complete(crashed["trial_id"], {"failed": "CUDA out of memory"})
    leases = next_leases(api, job["id"], 2)
    (retry,) = [lease for lease in leases if lease["attempt"] == 1]
    assert retry["params"] == crashed["params"]

    api.complete(retry["trial_id"], {"failed": "diverged: loss is NaN", "retry": False})
    after = next_leases(api, job["id"], 2)
    assert [lease["attempt"] for lease in after] == [0, 0]


def test_a_job_fails_after_too_many_failures_in_a_row(api_factory: ApiFactory) -> None:
    api = api_factory(max_consecutive_failures=3, max_retries=0)
    job = api.create_job(budget={"n_trials": 10})
    for _ in range(3):
        lease = api.lease(job["id"])
        assert lease is not None
        api.complete(lease["trial_id"], {"failed": "import error in the training script"})
    failed = api.job(job["id"])
    assert failed["state"] == "failed"
    assert "3 trials in a row failed" in failed["ended_reason"]
    assert api.lease(job["id"]) is None


@contextmanager
def served(api: Api) -> Iterator[str]:
    """The same app on a real socket, for real concurrency."""
    sock = bind_socket("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(api.client.app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join()
        sock.close()


def test_sixteen_concurrent_leases_get_sixteen_different_trials(api: Api) -> None:
    job = api.create_job(budget={"n_trials": 16})
    barrier = threading.Barrier(16)

    with served(api) as url:

        def lease(_: int) -> httpx.Response:
            with httpx.Client(base_url=url, headers=api.admin, timeout=60) as client:
                barrier.wait()
                return client.post(f"/v1/jobs/{job['id']}/lease")

        with ThreadPoolExecutor(max_workers=16) as pool:
            responses = list(pool.map(lease, range(16)))

    assert [r.status_code for r in responses] == [200] * 16
    trial_ids = {r.json()["trial_id"] for r in responses}
    numbers = {r.json()["number"] for r in responses}
    assert len(trial_ids) == 16 and numbers == set(range(16))
    assert api.lease(job["id"]) is None, "the budget is all in flight"
    assert api.job(job["id"])["progress"]["running"] == 16


def test_workers_lease_only_jobs_with_a_workload_they_can_run(api: Api) -> None:
    own_loop = api.create_job(budget={"n_trials": 1})
    digits = api.create_job(workload="digits-cnn", budget={"n_trials": 1})
    body = {"workloads": ["digits-cnn", "tabular-mlp"], "worker": "box-1:42"}

    response = api.client.post("/v1/leases", json=body, headers=api.admin)
    assert response.status_code == 200
    lease = response.json()
    assert lease["job_id"] == digits["id"] and lease["workload"] == "digits-cnn"
    assert api.client.post("/v1/leases", json=body, headers=api.admin).status_code == 204
    assert api.lease(own_loop["id"]) is not None
    trial = api.client.get(f"/v1/trials/{lease['trial_id']}", headers=api.admin).json()
    assert trial["worker"] == "box-1:42"


def test_concurrent_leases_never_exceed_the_budget(api: Api) -> None:
    job = api.create_job(budget={"n_trials": 10})
    barrier = threading.Barrier(16)

    with served(api) as url:

        def lease(_: int) -> int:
            with httpx.Client(base_url=url, headers=api.admin, timeout=60) as client:
                barrier.wait()
                return client.post(f"/v1/jobs/{job['id']}/lease").status_code

        with ThreadPoolExecutor(max_workers=16) as pool:
            statuses = sorted(pool.map(lease, range(16)))

    assert statuses == [200] * 10 + [204] * 6


def test_a_job_stops_leasing_at_its_timeout_and_completes_when_nothing_runs(api: Api) -> None:
    job = api.create_job(budget={"n_trials": 50, "timeout_s": 1})
    lease = api.lease(job["id"])
    assert lease is not None
    api.clock.advance(1.1)
    assert api.lease(job["id"]) is None
    assert api.job(job["id"])["state"] == "running", "a trial is still running"
    assert api.complete(lease["trial_id"], {"value": 0.2}).status_code == 200
    ended = api.job(job["id"])
    assert ended["state"] == "completed"
    assert ended["ended_reason"] == "timeout: 1 s elapsed"


def test_a_heartbeat_renews_the_lease_without_a_value(api_factory: ApiFactory) -> None:
    api = api_factory(lease_seconds=60.0, sweep_interval_s=3600)
    job = api.create_job(budget={"n_trials": 2})
    lease = api.lease(job["id"])
    assert lease is not None
    path = f"/v1/trials/{lease['trial_id']}/heartbeat"
    renewals = []
    for _ in range(3):  # 90 s in all: past the 60-s lease but for the renewals
        api.clock.advance(30)
        answer = api.client.post(path, headers=api.admin)
        assert answer.status_code == 200, answer.text
        renewals.append(answer.json()["lease_expires_at"])
    assert renewals == sorted(renewals) and len(set(renewals)) == 3
    trial = api.client.get(f"/v1/trials/{lease['trial_id']}", headers=api.admin).json()
    assert trial["state"] == "running" and trial["intermediate"] == []

    api.clock.advance(61)
    late = api.client.post(path, headers=api.admin)
    assert late.status_code == 409
    assert late.json()["error"]["code"] == "lease_expired"
