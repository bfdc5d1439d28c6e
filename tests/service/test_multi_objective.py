"""Multi-objective and constrained jobs over HTTP, with a client's own loop: the job's study is
an Optuna multi-objective study that Optuna's own tools read the same way (directions, metric
names, front, constraints), ``pareto`` lists the feasible non-dominated trials, ``best``
follows a preference and is never infeasible, and bad input gets a 422 naming the field."""

from __future__ import annotations

import math
from typing import Any

import optuna
import pytest

from service.db import JobRow
from service.tuning.optuna_seam import trial_id_of
from tests.service.conftest import Api

N_TRIALS = 10


def quality(params: dict[str, Any], number: int) -> float:
    """Better near lr = 1e-4 (and a little noise by number, so some trials are dominated)."""
    return abs(math.log10(params["lr"]) + 4) + 0.1 * (number % 3)


def seconds(params: dict[str, Any], number: int) -> float:
    """Better near lr = 1: the opposite pull of ``quality``."""
    return abs(math.log10(params["lr"])) + 0.1 * (number % 2)


def run_job(api: Api, job_id: str, constraint_max: float | None = None) -> dict[int, dict]:
    reported: dict[int, dict[str, float]] = {}
    while (lease := api.lease(job_id)) is not None:
        values = {
            "val_loss": quality(lease["params"], lease["number"]),
            "train_seconds": seconds(lease["params"], lease["number"]),
        }
        done = api.complete(lease["trial_id"], {"values": values})
        assert done.status_code == 200, done.text
        trial = done.json()
        assert trial["state"] == "complete" and trial["values"] == values
        if constraint_max is None:
            assert trial["feasible"] is None
        else:
            assert trial["feasible"] is (values["train_seconds"] <= constraint_max)
        reported[trial["id"]] = values
    return reported


def study_of(api: Api, job: dict[str, Any]) -> optuna.Study:
    url = api.context.settings.database_url.get_secret_value()
    return optuna.load_study(study_name=job["study_name"], storage=url)


def test_two_objectives_front_agrees_with_optunas_own_view(api: Api) -> None:
    objectives = [
        {"metric": "val_loss", "direction": "minimize"},
        {"metric": "train_seconds", "direction": "minimize"},
    ]
    job = api.create_job(
        workload=None, objectives=objectives, budget={"n_trials": N_TRIALS}, seed=3
    )
    assert job["objectives"] == objectives and job["objective"] == objectives[0]
    assert job["pruner"] == "none"
    rules = {n["rule"] for n in job["advice"]["notes"]}
    assert {"several_objectives_no_pruning", "cost_objective_batch_size"} <= rules
    reported = run_job(api, job["id"])
    assert len(reported) == N_TRIALS
    trials = api.client.get(f"/v1/jobs/{job['id']}/trials", headers=api.admin).json()["items"]
    assert {t["params"]["batch_size"] for t in trials} <= {8, 16, 32, 64}, (
        "a cost objective searches the batch size"
    )

    front = api.client.get(f"/v1/jobs/{job['id']}/pareto", headers=api.admin).json()
    front_ids = [t["id"] for t in front["trials"]]
    assert front["objectives"] == objectives and front_ids
    losses = [t["values"]["val_loss"] for t in front["trials"]]
    assert losses == sorted(losses), "the front is ordered by the first objective"

    study = study_of(api, job)
    assert study.directions == [optuna.study.StudyDirection.MINIMIZE] * 2
    assert study.metric_names == ["val_loss", "train_seconds"]
    assert sorted(front_ids) == sorted(trial_id_of(t) for t in study.best_trials)
    for trial in study.best_trials:
        values = reported[trial_id_of(trial)]
        assert trial.values == [values["val_loss"], values["train_seconds"]]
        assert trial.user_attrs["values"] == values

    best = api.job(job["id"])["best"]
    assert best["trial_id"] == front_ids[0], "by default the first objective's best"
    fastest = min(front["trials"], key=lambda t: t["values"]["train_seconds"])
    by_seconds = api.client.get(
        f"/v1/jobs/{job['id']}/best", params={"prefer": "train_seconds"}, headers=api.admin
    ).json()
    assert by_seconds["values"]["train_seconds"] == fastest["values"]["train_seconds"]
    weighted = api.client.get(
        f"/v1/jobs/{job['id']}",
        params={"weights": "val_loss:0,train_seconds:1"},
        headers=api.admin,
    ).json()["best"]
    assert weighted["values"]["train_seconds"] == fastest["values"]["train_seconds"]

    # Recommendations for this kind of task take the same preference.
    kind = {"domain": "vision", "architecture": "cnn", "limit": 1}

    def recommended(**preference: str) -> dict[str, Any]:
        answer = api.client.get(
            "/v1/recommendations", params={**kind, **preference}, headers=api.admin
        )
        assert answer.status_code == 200, answer.text
        item: dict[str, Any] = answer.json()["items"][0]
        assert item["source"] == "job" and item["job_id"] == job["id"]
        return item

    assert recommended()["trial_id"] == front_ids[0]
    assert recommended(prefer="train_seconds")["trial_id"] == by_seconds["trial_id"]
    assert "by best train_seconds" in recommended(prefer="train_seconds")["detail"]


def test_a_trial_violating_a_constraint_is_infeasible_and_never_best(api: Api) -> None:
    limit = 3.0
    job = api.create_job(
        workload=None,
        objective={"metric": "val_loss", "direction": "minimize"},
        constraints=[{"metric": "train_seconds", "max": limit}],
        families=["adam"],
        budget={"n_trials": N_TRIALS},
        seed=5,
    )
    assert job["constraints"] == [{"metric": "train_seconds", "max": limit, "min": None}]
    reported = run_job(api, job["id"], constraint_max=limit)
    infeasible = {i for i, v in reported.items() if v["train_seconds"] > limit}
    assert infeasible and len(infeasible) < len(reported), "the test needs both kinds"

    trials = api.client.get(f"/v1/jobs/{job['id']}/trials", headers=api.admin).json()["items"]
    assert {t["id"] for t in trials if t["feasible"] is False} == infeasible
    best = api.job(job["id"])["best"]
    assert best is not None and best["trial_id"] not in infeasible
    feasible_best = min((v["val_loss"], i) for i, v in reported.items() if i not in infeasible)
    assert best["trial_id"] == feasible_best[1]
    front = api.client.get(f"/v1/jobs/{job['id']}/pareto", headers=api.admin).json()
    assert {t["id"] for t in front["trials"]}.isdisjoint(infeasible)

    study = study_of(api, job)
    assert study.user_attrs["tunewise:constraints"] == [{"metric": "train_seconds", "max": limit}]
    for trial in study.trials:
        if trial_id_of(trial) in reported:
            expected = reported[trial_id_of(trial)]["train_seconds"] - limit
            assert trial.system_attrs["constraints"] == [pytest.approx(expected)]
    assert trial_id_of(study.best_trial) == best["trial_id"], "Optuna skips infeasible trials too"


def test_completion_lacking_an_objective_or_constrained_metric_names_it(api: Api) -> None:
    job = api.create_job(
        workload=None,
        objectives=[{"metric": "val_loss"}, {"metric": "train_seconds"}],
        constraints=[{"metric": "peak_memory_mb", "max": 100}],
        budget={"n_trials": 2},
    )
    lease = api.lease(job["id"])
    assert lease is not None
    for body, field in [
        ({"values": {"val_loss": 1.0, "peak_memory_mb": 5}}, "values.train_seconds"),
        ({"values": {"val_loss": 1.0, "train_seconds": 5}}, "values.peak_memory_mb"),
        ({"value": 1.0}, "values.val_loss"),
    ]:
        refused = api.complete(lease["trial_id"], body)
        assert refused.status_code == 422, refused.text
        assert refused.json()["error"]["field"] == field
    done = api.complete(
        lease["trial_id"], {"values": {"val_loss": 1, "train_seconds": 2, "peak_memory_mb": 3}}
    )
    assert done.status_code == 200 and done.json()["feasible"] is True


TABULAR = {"domain": "tabular", "architecture": "mlp"}


@pytest.mark.parametrize(
    ("spec", "field", "words"),
    [
        (
            {"objectives": [{"metric": "val_loss"}, {"metric": "accuracy"}]},
            "objectives.1.metric",
            "val_loss, train_seconds, peak_memory_mb, n_parameters",
        ),
        (
            {"objectives": [{"metric": m} for m in ("val_loss", "a", "b", "c")]},
            "objectives",
            "at most 3",
        ),
        (
            {"constraints": [{"metric": "gpu_hours", "max": 1}]},
            "constraints.0.metric",
            "its metrics",
        ),
        (
            {"constraints": [{"metric": "train_seconds"}]},
            "constraints.0",
            "exactly one of max or min",
        ),
        (
            {"constraints": [{"metric": "train_seconds", "max": 1, "min": 0}]},
            "constraints.0",
            "exactly one of max or min",
        ),
        (
            {"objectives": [{"metric": "val_loss"}, {"metric": "val_loss"}]},
            "objectives",
            "repeated: val_loss",
        ),
        (
            {
                "constraints": [
                    {"metric": "train_seconds", "max": 1},
                    {"metric": "train_seconds", "max": 2},
                ]
            },
            "constraints",
            "repeated: train_seconds",
        ),
        (
            {
                "objective": {"metric": "val_loss", "direction": "maximize"},
                "objectives": [{"metric": "val_loss"}],
            },
            "objectives",
            "not both",
        ),
        (
            {
                "objectives": [{"metric": "val_loss"}, {"metric": "train_seconds"}],
                "sampler": "cmaes",
            },
            "sampler",
            "one objective only",
        ),
    ],
)
def test_bad_objectives_and_constraints_get_a_422_naming_the_field(
    refusing_api: Api, spec: dict[str, Any], field: str, words: str
) -> None:
    body = {"task": TABULAR, "workload": "tabular-mlp", **spec}
    response = refusing_api.client.post("/v1/jobs", json=body, headers=refusing_api.admin)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert error["field"] == field
    assert words in error["message"]
    with refusing_api.context.database.reading() as session:
        assert session.query(JobRow).count() == 0, "nothing half-written"


def test_a_bad_preference_gets_a_422_naming_the_parameter(api: Api) -> None:
    job = api.create_job(
        workload=None,
        objectives=[{"metric": "loss"}, {"metric": "latency"}],
        budget={"n_trials": 1},
    )
    for params, field in [
        ({"prefer": "accuracy"}, "prefer"),
        ({"weights": "loss:x"}, "weights"),
        ({"weights": "loss:1,memory:1"}, "weights"),
        ({"weights": "loss:0"}, "weights"),
        ({"prefer": "loss", "weights": "loss:1"}, "weights"),
    ]:
        response = api.client.get(f"/v1/jobs/{job['id']}", params=params, headers=api.admin)
        assert response.status_code == 422, response.text
        assert response.json()["error"]["field"] == field


LIMITED = {
    "description": "MLP on a tabular table, each run must train in under 30 s, as fast as possible",
    "domain": "tabular",
}


def test_a_limit_in_the_description_becomes_the_jobs_objective_and_constraint(api: Api) -> None:
    job = api.create_job(
        task=LIMITED, workload="tabular-mlp", objective={"metric": "val_loss"}, seed=1
    )
    assert [(o["metric"], o["direction"]) for o in job["objectives"]] == [
        ("val_loss", "minimize"),
        ("train_seconds", "minimize"),
    ]
    assert job["constraints"] == [{"metric": "train_seconds", "max": 30.0, "min": None}]
    assert any(n["rule"] == "job_adopts_suggested_limits" for n in job["advice"]["notes"])
    lease = api.lease(job["id"])
    assert lease is not None and lease["metrics"] == ["val_loss", "train_seconds"]


@pytest.mark.parametrize(
    "spec",
    [
        # A client's own loop may not report train_seconds: nothing is imposed on it.
        {"workload": None},
        # The job's own choice stands.
        {"workload": "tabular-mlp", "objectives": [{"metric": "val_loss"}]},
        {"workload": "tabular-mlp", "constraints": [{"metric": "peak_memory_mb", "max": 64}]},
    ],
)
def test_suggested_limits_are_not_imposed_on_an_own_loop_or_over_the_jobs_choice(
    api: Api, spec: dict[str, Any]
) -> None:
    job = api.create_job(task=LIMITED, **spec)
    assert [o["metric"] for o in job["objectives"]] == ["val_loss"]
    assert all(c["metric"] != "train_seconds" for c in job["constraints"])
