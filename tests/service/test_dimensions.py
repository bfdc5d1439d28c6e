"""A job's own dimensions over HTTP: each bad one is a 422 naming its field; a built-in
workload refuses the ones it does not understand, listing those it does; a client with its own
loop finds them in each lease's params beside lr, and the job, its trials, its best and
Optuna's own study agree; a seeded job proposes them reproducibly."""

from __future__ import annotations

import json
import math
from typing import Any

import optuna
import pytest
from optuna.distributions import CategoricalDistribution, FloatDistribution, IntDistribution

from service.tuning.optuna_seam import trial_id_of
from tests.service.conftest import Api

DIMENSIONS: dict[str, Any] = {
    "dropout": {"type": "float", "low": 0.0, "high": 0.5},
    "hidden": {"type": "int", "low": 32, "high": 256, "log": True},
    "batch_size": {"type": "categorical", "choices": [32, 64, 128]},
    "activation": {"type": "categorical", "choices": ["relu", "gelu"]},
}


def refused(api: Api, **spec: Any) -> dict[str, Any]:
    body = {"task": {"domain": "vision", "architecture": "cnn"}, **spec}
    response = api.client.post("/v1/jobs", json=body, headers=api.admin)
    assert response.status_code == 422, response.text
    error: dict[str, Any] = response.json()["error"]
    return error


def real(low: float, high: float, **more: Any) -> dict[str, Any]:
    return {"type": "float", "low": low, "high": high, **more}


def integer(low: float, high: float, **more: Any) -> dict[str, Any]:
    return {"type": "int", "low": low, "high": high, **more}


def among(*choices: Any) -> dict[str, Any]:
    return {"type": "categorical", "choices": list(choices)}


@pytest.mark.parametrize(
    ("dimensions", "field", "says"),
    [
        ({"dropout": real(0.5, 0.1)}, "dropout.low", "low must be below high"),
        ({"lr2": real(0, 1, log=True)}, "lr2.low", "a log scale needs low > 0"),
        ({"d": real(0, 1, step=0.3)}, "d.step", "must be a multiple of step"),
        ({"d": real(1, 2, log=True, step=0.5)}, "d.step", "either log or step"),
        ({"d": real(0, 1e16)}, "d.high", "less than or equal to"),
        ({"n": integer(0, 8, log=True)}, "n.low", "a log scale needs low >= 1"),
        ({"n": integer(1, 8, step=3)}, "n.step", "must be a multiple of step"),
        ({"n": integer(1.5, 8)}, "n.low", "integer"),
        ({"c": among()}, "c.choices", "at least 1"),
        ({"c": among(1, 2, 1)}, "c.choices", "more than once"),
        ({"c": among(*range(65))}, "c.choices", "at most 64"),
        ({"c": among({"a": 1})}, "c.choices.0", "a string, a number or a boolean"),
        ({"c": {"type": "normal", "mean": 0}}, "c", "'float', 'int', 'categorical'"),
        ({"c": real(0, 1, scale="log")}, "c.scale", "not permitted"),
        ({"Dropout": real(0, 1)}, "Dropout", "pattern"),
        ({"lr": real(1e-5, 1, log=True)}, "lr", "a parameter of the advised optimizer space"),
        ({"momentum": real(0, 0.9)}, "momentum", "advised optimizer space"),
        ({"optimizer": among("sgd")}, "optimizer", "advised optimizer space"),
        ({"schedule": among("cosine")}, "schedule", "advised optimizer space"),
        ({"warmup_fraction": real(0, 0.1)}, "warmup_fraction", "advised optimizer space"),
        ({f"d{i}": integer(1, 2) for i in range(17)}, "", "at most 16"),
    ],
)
def test_each_bad_dimension_is_a_422_naming_its_field(
    refusing_api: Api, dimensions: dict[str, Any], field: str, says: str
) -> None:
    error = refused(refusing_api, dimensions=dimensions)
    assert error["code"] == "validation_error"
    assert error["field"] == f"dimensions.{field}".rstrip(".")
    assert says in error["message"]


def test_a_built_in_workload_refuses_a_dimension_it_does_not_understand(api: Api) -> None:
    error = refused(
        api,
        workload="tabular-mlp",
        dimensions={"channels": {"type": "int", "low": 8, "high": 32}},
    )
    assert error["code"] == "invalid_input" and error["field"] == "dimensions.channels"
    assert "does not understand dimension 'channels'" in error["message"]
    assert "it understands batch_size, dropout, hidden" in error["message"]


def test_a_built_in_workload_refuses_values_it_cannot_build(api: Api) -> None:
    error = refused(
        api,
        workload="tabular-mlp",
        dimensions={"hidden": {"type": "float", "low": 16, "high": 64}},
    )
    assert error["field"] == "dimensions.hidden"
    assert "takes hidden as an integer from 1 to 4096" in error["message"]
    error = refused(
        api,
        workload="digits-cnn",
        dimensions={"dropout": {"type": "categorical", "choices": [0.1, 0.95]}},
    )
    assert error["field"] == "dimensions.dropout" and "0.95" in error["message"]


def test_a_job_with_a_dimension_its_workload_understands_is_created(api: Api) -> None:
    job = api.create_job(
        workload="tabular-mlp",
        dimensions={
            "hidden": {"type": "int", "low": 16, "high": 128, "log": True},
            "batch_size": {"type": "int", "low": 16, "high": 64, "step": 16},
        },
    )
    assert job["dimensions"]["hidden"] == {
        "type": "int",
        "low": 16,
        "high": 128,
        "log": True,
        "step": 1,
    }


def loss(params: dict[str, Any], step: int) -> float:
    """Better near lr 3e-3, dropout 0.2 and 128 hidden units; falling with each step."""
    return (
        abs(math.log10(params["lr"]) - math.log10(3e-3))
        + abs(params["dropout"] - 0.2)
        + abs(math.log2(params["hidden"] / 128)) / 4
        + 1.0 / (step + 1)
    )


def test_own_loop_clients_find_the_dimensions_in_each_lease_and_optuna_agrees(
    api: Api, database_url: str
) -> None:
    n_trials = 6
    job = api.create_job(
        workload=None,
        dimensions=DIMENSIONS,
        budget={"n_trials": n_trials, "max_epochs": 3},
        sampler="tpe",
        pruner="none",
        seed=3,
    )
    assert set(job["dimensions"]) == set(DIMENSIONS)
    leased: dict[int, dict[str, Any]] = {}
    while (lease := api.lease(job["id"])) is not None:
        params = lease["params"]
        assert 0.0 <= params["dropout"] <= 0.5
        assert isinstance(params["hidden"], int) and 32 <= params["hidden"] <= 256
        assert params["batch_size"] in (32, 64, 128)
        assert params["activation"] in ("relu", "gelu")
        assert params["optimizer"] in job["families"] and params["lr"] > 0
        for step in range(3):
            assert api.report(lease["trial_id"], step, loss(params, step)).status_code == 200
        done = api.complete(lease["trial_id"], {"value": loss(params, 3)})
        assert done.status_code == 200, done.text
        assert done.json()["params"] == params, "the trial keeps what its lease carried"
        leased[lease["trial_id"]] = params

    ended = api.job(job["id"])
    assert ended["state"] == "completed" and ended["progress"]["complete"] == n_trials
    assert ended["best"]["params"] == leased[ended["best"]["trial_id"]]
    trials = api.client.get(f"/v1/jobs/{job['id']}/trials", headers=api.admin).json()["items"]
    for trial in trials:
        assert trial["params"] == leased[trial["id"]]
        assert trial["study_params"]["dropout"] == trial["params"]["dropout"]

    study = optuna.load_study(study_name=job["study_name"], storage=database_url)
    for frozen in study.get_trials(states=(optuna.trial.TrialState.COMPLETE,)):
        assert frozen.distributions["dropout"] == FloatDistribution(0.0, 0.5)
        assert frozen.distributions["hidden"] == IntDistribution(32, 256, log=True)
        assert frozen.distributions["batch_size"] == CategoricalDistribution((32, 64, 128))
        assert frozen.params["hidden"] == leased[trial_id_of(frozen)]["hidden"]


def proposals(api: Api, seed: int, count: int = 5) -> list[str]:
    job = api.create_job(
        workload=None,
        dimensions=DIMENSIONS,
        sampler="random",
        pruner="none",
        seed=seed,
        warm_start=False,
        budget={"n_trials": 50},
    )
    seen = []
    for _ in range(count):
        lease = api.lease(job["id"])
        assert lease is not None
        assert (
            api.complete(lease["trial_id"], {"value": loss(lease["params"], 0)}).status_code == 200
        )
        seen.append(json.dumps(lease["params"], sort_keys=True))
    return seen


def test_a_seeded_job_proposes_the_same_dimensions_again(api: Api) -> None:
    first, again, other = proposals(api, 21), proposals(api, 21), proposals(api, 22)
    assert first == again
    assert first != other
    assert all("dropout" in json.loads(p) for p in first)


def test_the_schema_states_the_names_rules(api: Api) -> None:
    schema = api.client.get("/openapi.json").json()["components"]["schemas"]
    names = schema["JobCreate"]["properties"]["dimensions"]["propertyNames"]
    assert names["pattern"] == "^[a-z_][a-z0-9_]{0,39}$"
    assert {"lr", "momentum", "optimizer", "schedule"} <= set(names["not"]["enum"])
    assert "batch_size" not in names["not"]["enum"]
    assert schema["JobCreate"]["properties"]["dimensions"]["maxProperties"] == 16


def test_a_batch_size_the_job_searches_itself_is_not_added_again_for_a_cost(api: Api) -> None:
    job = api.create_job(
        workload=None,
        objectives=[
            {"metric": "val_loss", "direction": "minimize"},
            {"metric": "train_seconds", "direction": "minimize"},
        ],
        dimensions={"batch_size": {"type": "categorical", "choices": [100, 200]}},
        budget={"n_trials": 4},
        seed=5,
    )
    rules = {n["rule"] for n in job["advice"]["notes"]}
    assert "cost_objective_batch_size" not in rules
    lease = api.lease(job["id"])
    assert lease is not None
    assert lease["params"]["batch_size"] in (100, 200)
    trial = api.client.get(f"/v1/trials/{lease['trial_id']}", headers=api.admin).json()
    searched = [name for name in trial["study_params"] if name.endswith("batch_size")]
    assert searched == ["batch_size"], "searched once, as the job's own dimension"
