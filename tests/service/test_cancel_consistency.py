"""After a job ends (cancelled here, with a trial whose lease then expires, and the service
restarted), Optuna's study and the API agree:

- no Optuna trial is left WAITING (retries and warm starts queued for the job) or RUNNING
  (asked ahead, or asked by a process that died) once nothing is leased;
- every trial the API lists is in Optuna with the same state and value;
- every Optuna trial the API does not list was never leased, and says so: it is FAIL with a
  ``tunewise_reason`` user attr (what optuna-dashboard shows for it).
"""

from __future__ import annotations

import time
from typing import Any

import optuna
from optuna.trial import FrozenTrial
from optuna.trial import TrialState as OptunaState

from service.tuning.studies import REASON_ATTR
from tests.service.conftest import Api, ApiFactory

SAME_STATE = {
    "complete": OptunaState.COMPLETE,
    "pruned": OptunaState.PRUNED,
    "failed": OptunaState.FAIL,
    "running": OptunaState.RUNNING,
}
UNSETTLED = (OptunaState.WAITING, OptunaState.RUNNING)
#: Far longer than the test takes: the abandoned lease runs out only when the test moves the
#: restarted app's clock past it.
LEASE_S = 60.0


def optuna_trials(api: Api, job: dict[str, Any]) -> list[FrozenTrial]:
    url = api.context.settings.resolved_database_url()
    study = optuna.load_study(study_name=job["study_name"], storage=url)
    return study.get_trials(deepcopy=False)


def listed_trials(api: Api, job: dict[str, Any]) -> dict[int, dict[str, Any]]:
    response = api.client.get(f"/v1/jobs/{job['id']}/trials?limit=500", headers=api.admin)
    assert response.status_code == 200, response.text
    return {trial["number"]: trial for trial in response.json()["items"]}


def wait_until_settled(api: Api, job: dict[str, Any], timeout_s: float = 60.0) -> None:
    """Poll (the sweeper works in the background) until Optuna has nothing waiting or running."""
    deadline = time.monotonic() + timeout_s
    while True:
        unsettled = [
            (t.number, t.state.name) for t in optuna_trials(api, job) if t.state in UNSETTLED
        ]
        if not unsettled:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"Optuna trials still unsettled: {unsettled}")
        time.sleep(0.1)


def assert_optuna_agrees_with_the_api(api: Api, job: dict[str, Any]) -> None:
    in_optuna = {t.number: t for t in optuna_trials(api, job)}
    listed = listed_trials(api, job)
    assert set(listed) <= set(in_optuna)
    for number, trial in in_optuna.items():
        if number in listed:
            assert SAME_STATE[listed[number]["state"]] is trial.state, (number, trial.state)
            assert listed[number]["value"] == trial.value
        else:
            assert trial.state is OptunaState.FAIL, (number, trial.state)
            assert trial.user_attrs.get(REASON_ATTR), f"trial {number} is not accounted for"


def test_cancel_expiry_and_restart_leave_optuna_and_the_api_in_agreement(
    api_factory: ApiFactory,
) -> None:
    api = api_factory(lease_seconds=LEASE_S, max_retries=2)
    job = api.create_job(pruner="none", budget={"n_trials": 30})
    done, crashed, abandoned = (api.lease(job["id"]) for _ in range(3))
    assert done is not None and crashed is not None and abandoned is not None
    assert api.complete(done["trial_id"], {"value": 0.5}).status_code == 200
    # A failure queues a retry (WAITING in Optuna); the warm starts not leased yet wait too.
    assert api.complete(crashed["trial_id"], {"failed": "boom"}).status_code == 200
    api.context.background.submit(lambda: None).result()  # a trial asked ahead, unleased
    cancelled = api.client.post(f"/v1/jobs/{job['id']}/cancel", headers=api.admin)
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"

    # A fresh app on the same database takes over; the abandoned trial's lease expires there.
    restarted = api_factory(lease_seconds=LEASE_S, max_retries=2)
    restarted.clock.advance(LEASE_S + 1)
    wait_until_settled(restarted, job)
    assert_optuna_agrees_with_the_api(restarted, job)
    states = {trial["state"] for trial in listed_trials(restarted, job).values()}
    assert states == {"complete", "failed"}
    assert restarted.job(job["id"])["progress"]["running"] == 0


def test_a_job_that_ends_on_its_budget_leaves_no_retry_waiting(api_factory: ApiFactory) -> None:
    api = api_factory(max_retries=2)
    job = api.create_job(pruner="none", budget={"n_trials": 2})
    first, second = api.lease(job["id"]), api.lease(job["id"])
    assert first is not None and second is not None
    assert api.complete(first["trial_id"], {"failed": "boom"}).status_code == 200  # retry queued
    third = api.lease(job["id"])
    assert third is not None
    for lease in (second, third):
        assert api.complete(lease["trial_id"], {"value": 1.0}).status_code == 200
    assert api.job(job["id"])["state"] == "completed"
    wait_until_settled(api, job)
    assert_optuna_agrees_with_the_api(api, job)
