"""A client that brings its own training loop, over plain HTTP: create a job with no
workload, lease, report steps, obey prune verdicts, complete; the job ends with exactly
n_trials finished trials, and Optuna's own view of the study agrees with the API."""

from __future__ import annotations

import math
import time
from typing import Any

import optuna

from tests.service.conftest import Api

N_TRIALS = 8
STEPS = 4
#: After five complete trials the median pruner judges; this trial reports a hopeless curve.
HOPELESS_NUMBER = 6


def curve(params: dict[str, Any], step: int) -> float:
    """A deterministic loss: better the nearer lr is to 3e-3, falling with each step."""
    return abs(math.log10(params["lr"]) - math.log10(3e-3)) + 1.0 / (step + 1)


def run_trial(api: Api, lease: dict[str, Any]) -> tuple[str, float | None, list[bool]]:
    verdicts = []
    for step in range(STEPS):
        value = 1e6 if lease["number"] == HOPELESS_NUMBER else curve(lease["params"], step)
        response = api.report(lease["trial_id"], step, value)
        assert response.status_code == 200, response.text
        verdicts.append(response.json()["should_prune"])
        if verdicts[-1]:
            done = api.complete(lease["trial_id"], {"pruned": True})
            assert done.status_code == 200, done.text
            return "pruned", None, verdicts
    final = curve(lease["params"], STEPS)
    done = api.complete(lease["trial_id"], {"value": final})
    assert done.status_code == 200, done.text
    assert done.json()["state"] == "complete"
    return "complete", final, verdicts


def test_own_loop_runs_exactly_n_trials_and_optuna_agrees(api: Api, database_url: str) -> None:
    job = api.create_job(
        workload=None,
        budget={"n_trials": N_TRIALS, "max_epochs": STEPS},
        sampler="tpe",
        pruner="median",
        seed=7,
    )
    assert job["state"] == "queued" and job["workload"] is None
    outcomes: dict[int, tuple[str, float | None, list[bool]]] = {}
    while (lease := api.lease(job["id"])) is not None:
        assert lease["job_id"] == job["id"] and lease["max_epochs"] == STEPS
        assert lease["params"]["optimizer"] in job["families"]
        outcomes[lease["number"]] = run_trial(api, lease)

    assert len(outcomes) == N_TRIALS
    assert outcomes[HOPELESS_NUMBER][0] == "pruned", "the median pruner must stop a hopeless trial"
    assert not any(any(v) for n, (_, _, v) in outcomes.items() if n < 5), "no verdict before 5"

    final = api.job(job["id"])
    assert final["state"] == "completed"
    assert final["progress"]["finished"] == N_TRIALS
    assert final["progress"]["running"] == 0
    complete = {n: v for n, (state, v, _) in outcomes.items() if state == "complete"}
    best_number = min(complete, key=lambda n: complete[n] or math.inf)
    assert final["best"]["number"] == best_number
    assert final["best"]["value"] == complete[best_number]

    study = optuna.load_study(study_name=job["study_name"], storage=database_url)
    finished = [t for t in study.trials if t.state.is_finished()]
    assert len(finished) == N_TRIALS
    assert study.best_trial.number == best_number
    assert study.best_value == final["best"]["value"]
    pruned = [t.number for t in study.trials if t.state == optuna.trial.TrialState.PRUNED]
    assert pruned == [n for n, (s, _, _) in outcomes.items() if s == "pruned"]
    assert study.trials[0].user_attrs["warm_start"].startswith("advisor default for ")


def test_trials_page_shows_params_curve_and_state(api: Api) -> None:
    job = api.create_job(budget={"n_trials": 2})
    lease = api.lease(job["id"])
    assert lease is not None
    api.report(lease["trial_id"], 0, 0.9)
    api.report(lease["trial_id"], 1, 0.7)
    api.complete(lease["trial_id"], {"value": 0.6})

    page = api.client.get(f"/v1/jobs/{job['id']}/trials", headers=api.admin).json()
    assert page["total"] == 1
    (trial,) = page["items"]
    assert trial["state"] == "complete" and trial["value"] == 0.6
    assert trial["params"] == lease["params"]
    assert trial["intermediate"] == [{"step": 0, "value": 0.9}, {"step": 1, "value": 0.7}]
    assert trial["study_params"]["optimizer"] == lease["params"]["optimizer"]
    best = api.client.get(f"/v1/jobs/{job['id']}/best", headers=api.admin).json()
    assert best["trial_id"] == lease["trial_id"] and best["params"] == lease["params"]


def test_cancel_stops_leasing_but_lets_running_trials_finish(api: Api, database_url: str) -> None:
    job = api.create_job(budget={"n_trials": 5})
    lease = api.lease(job["id"])
    assert lease is not None
    cancelled = api.client.post(f"/v1/jobs/{job['id']}/cancel", headers=api.admin).json()
    assert cancelled["state"] == "cancelled"
    assert api.lease(job["id"]) is None
    assert api.complete(lease["trial_id"], {"value": 1.0}).status_code == 200
    assert api.job(job["id"])["state"] == "cancelled"

    # The trial asked ahead for the next lease is released: nothing stays running in Optuna.
    study = optuna.load_study(study_name=job["study_name"], storage=database_url)
    deadline = time.monotonic() + 10
    while any(t.state == optuna.trial.TrialState.RUNNING for t in study.get_trials()):
        assert time.monotonic() < deadline, "a trial asked ahead was never released"
        time.sleep(0.1)
    # Released by the ask ahead itself, or failed by the cancel if it was still being asked.
    reasons = [t.user_attrs.get("tunewise_reason", "") for t in study.get_trials()]
    assert any(r.startswith(("asked ahead but not needed", "never leased")) for r in reasons)
