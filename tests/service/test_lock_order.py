"""The job's row lock on PostgreSQL: every call on a job waits for it, so a batch of
completions takes it last, after its trials are told and written to Optuna, and holds it for
our rows only. Every unit of work that takes a lease row and the job's takes the lease first,
so the sweep, reports and completions never wait on each other in opposite orders."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from typing import Any

import optuna
import pytest
from sqlalchemy import select

from service.db.models import JobRow
from service.leases import LeaseService
from tests.service.conftest import Api, ApiFactory
from tunewise.testing.processes import wait_for

COMPLETE = optuna.trial.TrialState.COMPLETE


def postgres_api(api_factory: ApiFactory, **overrides: Any) -> Api:
    api = api_factory(**overrides)
    if api.context.database.is_sqlite:
        pytest.skip("on SQLite one writer at a time holds the whole database, not row locks")
    return api


def lease(api: Api, job_id: str, count: int) -> list[dict[str, Any]]:
    answer = api.client.post(f"/v1/jobs/{job_id}/lease", json={"count": count}, headers=api.admin)
    assert answer.status_code == 200, answer.text
    leases: list[dict[str, Any]] = answer.json()
    return leases


def completions(leases: list[dict[str, Any]]) -> dict[str, Any]:
    done = [{"trial_id": lease["trial_id"], "completion": {"value": 0.5}} for lease in leases]
    return {"completions": done}


def test_a_batch_writes_optuna_s_side_before_it_waits_for_the_job_s_lock(
    api_factory: ApiFactory,
) -> None:
    api = postgres_api(api_factory)
    job = api.create_job(budget={"n_trials": 6}, sampler="random")
    leases = lease(api, job["id"], 2)
    optuna_side = api.context.studies.storage.backend

    # The connection closes first (its lock released) should the wait fail: no hang.
    with ThreadPoolExecutor(1) as pool, api.context.database.engine.connect() as other:
        # Another unit of work (a lease on another replica, say) holds the job's lock.
        other.execute(select(JobRow.id).where(JobRow.id == job["id"]).with_for_update())
        answer = pool.submit(
            api.client.post, "/v1/completions", json=completions(leases), headers=api.admin
        )
        wait_for(
            lambda: all(optuna_side.get_trial(x["trial_id"]).state is COMPLETE for x in leases),
            timeout_s=20,
            what="the batch's trials told to Optuna while the job's lock is held elsewhere",
        )
        assert not answer.done()  # our rows wait for the lock
        other.rollback()
        response = answer.result(timeout=60)

    assert response.status_code == 200, response.text
    assert [r["error"] for r in response.json()["results"]] == [None, None]
    assert api.job(job["id"])["progress"]["complete"] == 2


def test_completions_reports_and_the_sweep_at_once_never_deadlock(
    api_factory: ApiFactory,
) -> None:
    api = postgres_api(api_factory, lease_seconds=60.0, sweep_interval_s=3600)
    job = api.create_job(budget={"n_trials": 400}, sampler="random")
    sweeper = LeaseService(api.context)
    statuses: list[int] = []

    def worker(_: int) -> None:
        for _round in range(6):
            held = lease(api, job["id"], 4)
            for x in held[:2]:
                path = f"/v1/trials/{x['trial_id']}/report"
                statuses.append(
                    api.client.post(
                        path, json={"step": 1, "value": 0.1}, headers=api.admin
                    ).status_code
                )
            answer = api.client.post("/v1/completions", json=completions(held), headers=api.admin)
            statuses.append(answer.status_code)

    def sweeping(_: int) -> None:
        for _round in range(30):
            api.clock.advance(5)  # some leases run out while others complete
            sweeper.sweep()

    with ThreadPoolExecutor(5) as pool:
        running = [pool.submit(worker, n) for n in range(4)] + [pool.submit(sweeping, 0)]
        for future in running:
            future.result()  # a deadlock PostgreSQL broke would raise here (or answer 500)

    assert statuses and set(statuses) <= {200, 409}, statuses  # no deadlock answered 500
    url = api.context.settings.resolved_database_url()
    study = optuna.load_study(study_name=job["study_name"], storage=url)
    progress = api.job(job["id"])["progress"]
    assert progress["complete"] == len(study.get_trials(states=(COMPLETE,)))
    assert progress["failed"] == len(study.get_trials(states=(optuna.trial.TrialState.FAIL,)))


def test_reports_and_heartbeats_do_not_wait_for_the_job_s_lock(api_factory: ApiFactory) -> None:
    # They change the lease only; a trainer reporting every epoch must not queue behind leases.
    api = postgres_api(api_factory)
    job = api.create_job(budget={"n_trials": 6}, sampler="random")
    (held,) = lease(api, job["id"], 1)
    trial = f"/v1/trials/{held['trial_id']}"

    with ThreadPoolExecutor(1) as pool, api.context.database.engine.connect() as other:
        other.execute(select(JobRow.id).where(JobRow.id == job["id"]).with_for_update())
        report = pool.submit(
            api.client.post, f"{trial}/report", json={"step": 1, "value": 0.3}, headers=api.admin
        )
        heartbeat = pool.submit(api.client.post, f"{trial}/heartbeat", headers=api.admin)
        answers = [report.result(timeout=20), heartbeat.result(timeout=20)]
        other.rollback()

    assert [answer.status_code for answer in answers] == [200, 200]
    assert api.complete(held["trial_id"], {"value": 0.3}).status_code == 200
