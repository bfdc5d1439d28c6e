"""Warm starts through the API: a job learns from its owner's similar ended jobs only; with no
usable job its advice is exactly the static advice; a job whose trials all failed contributes
nothing; the evidence survives a restart; the configs it enqueues are valid in the new space."""

from __future__ import annotations

from typing import Any

from tests.service.conftest import Api, ApiFactory, Headers
from tunewise.wire.models import TokenScope

TASK = {"domain": "tabular", "architecture": "mlp", "dataset_size": 1000, "batch_size": 32}
WORKLOAD = "tabular-mlp"


def run_job(api: Api, headers: Headers, values: list[float | str], **spec: Any) -> dict[str, Any]:
    """A job whose trials end with these values in turn (a string fails the trial)."""
    job = api.create_job(
        headers, task=TASK, workload=WORKLOAD, budget={"n_trials": len(values)}, **spec
    )
    leases = []
    for value in values:
        lease = api.lease(job["id"], headers)
        assert lease is not None
        body = {"failed": value} if isinstance(value, str) else {"value": value}
        assert api.complete(lease["trial_id"], body, headers).status_code == 200
        leases.append(lease)
    if api.job(job["id"])["state"] in ("queued", "running"):
        response = api.client.post(f"/v1/jobs/{job['id']}/cancel", headers=headers)
        assert response.status_code == 200, response.text
    return {"job": job, "leases": leases}


def static_advice(api: Api, headers: Headers) -> dict[str, Any]:
    response = api.client.post("/v1/advice", json=TASK, headers=headers)
    assert response.status_code == 200
    advice: dict[str, Any] = response.json()
    return advice


def first_lease(api: Api, headers: Headers, **spec: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    job = api.create_job(headers, task=TASK, workload=WORKLOAD, budget={"n_trials": 8}, **spec)
    lease = api.lease(job["id"], headers)
    assert lease is not None
    trials = api.client.get(f"/v1/jobs/{job['id']}/trials", headers=headers).json()["items"]
    return job, next(t for t in trials if t["id"] == lease["trial_id"])


def test_a_job_warm_starts_from_its_owners_similar_job_and_says_so(api: Api) -> None:
    owner = api.token(TokenScope.USER)
    past = run_job(api, owner, [0.9, 0.3, 0.6, 0.8])
    best = past["leases"][1]

    job, trial = first_lease(api, owner)
    assert trial["warm_start"].startswith(f"warm start: trial {best['number']} of job ")
    assert past["job"]["id"] in trial["warm_start"]
    assert trial["params"] == best["params"]
    changes = [r["text"] for r in job["advice"]["search"]["rationale"]]
    assert any(
        t.startswith(f"warm start: 4 configs from job {past['job']['id']}") for t in changes
    ), changes
    sources = [r["source"] for r in job["advice"]["search"]["rationale"]]
    assert f"/v1/jobs/{past['job']['id']}" in sources


def test_another_tokens_jobs_are_never_used(api: Api) -> None:
    someone = api.token(TokenScope.USER)
    run_job(api, someone, [0.9, 0.3, 0.6])
    other = api.token(TokenScope.USER)

    job, trial = first_lease(api, other)
    assert job["advice"] == static_advice(api, other)
    assert trial["warm_start"].startswith("advisor default for ")
    compared = api.client.post(
        "/v1/advice", params={"learned": True, "workload": WORKLOAD}, json=TASK, headers=other
    ).json()
    assert compared["changes"] == [] and compared["similar_jobs"] == []
    assert compared["learned"] == compared["static"]


def test_only_admin_tokens_may_learn_from_everyone(api: Api) -> None:
    someone = api.token(TokenScope.USER)
    past = run_job(api, someone, [0.9, 0.3, 0.6])
    response = api.client.post(
        "/v1/jobs",
        json={"task": TASK, "workload": WORKLOAD, "warm_start_from": "all"},
        headers=api.token(TokenScope.USER),
    )
    assert response.status_code == 403
    assert response.json()["error"]["field"] == "warm_start_from"

    _, trial = first_lease(api, api.admin, warm_start_from="all")
    assert past["job"]["id"] in trial["warm_start"]


def test_warm_start_false_keeps_the_static_advice(api: Api) -> None:
    owner = api.token(TokenScope.USER)
    run_job(api, owner, [0.9, 0.3, 0.6])
    job, trial = first_lease(api, owner, warm_start=False)
    assert job["advice"] == static_advice(api, owner)
    assert trial["warm_start"].startswith("advisor default for ")


def test_a_job_whose_trials_all_failed_contributes_nothing(api: Api) -> None:
    owner = api.token(TokenScope.USER)
    run_job(api, owner, ["diverged: loss is nan", "diverged: loss is nan"])
    job, trial = first_lease(api, owner)
    assert job["advice"] == static_advice(api, owner)
    assert trial["warm_start"].startswith("advisor default for ")


def test_evidence_survives_a_restart(api_factory: ApiFactory) -> None:
    before = api_factory()
    owner = before.token(TokenScope.USER)
    past = run_job(before, owner, [0.7, 0.2, 0.5])

    after = api_factory()  # a new process on the same database
    _, trial = first_lease(after, owner)
    assert past["job"]["id"] in trial["warm_start"]


def test_enqueued_configs_are_valid_in_the_new_space(api: Api) -> None:
    owner = api.token(TokenScope.USER)
    run_job(api, owner, [0.5, 0.4, 0.3, 0.2, 0.1, 0.6])
    # Restricted to one family: configs of other families are skipped, not forced in.
    job = api.create_job(
        owner, task=TASK, workload=WORKLOAD, budget={"n_trials": 10}, families=["adamw"]
    )
    ranges = job["advice"]["candidates"]
    adamw = next(c for c in ranges if c["optimizer"] == "adamw")["search_space"]
    seen = 0
    while (lease := api.lease(job["id"], owner)) is not None and seen < 10:
        seen += 1
        params = lease["params"]
        assert params["optimizer"] == "adamw"
        for name in ("lr", "beta1"):
            dim = adamw.get(name)
            if dim is not None and "low" in dim and name in params:
                assert dim["low"] <= params[name] <= dim["high"]
        assert api.complete(lease["trial_id"], {"value": 1.0}, owner).status_code == 200
    assert seen > 0


def test_the_advice_endpoint_shows_static_and_learned_side_by_side(api: Api) -> None:
    owner = api.token(TokenScope.USER)
    past = run_job(api, owner, [0.9, 0.3, 0.6])
    response = api.client.post(
        "/v1/advice", params={"learned": True, "workload": WORKLOAD}, json=TASK, headers=owner
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["static"] == static_advice(api, owner)
    assert body["similar_jobs"][0]["path"] == f"/v1/jobs/{past['job']['id']}"
    assert body["warm_starts"] and body["changes"]
    assert body["learned"]["search"]["rationale"][-len(body["changes"]) :] == body["changes"]


def test_recommendations_draw_on_the_same_evidence_and_respect_tokens(api: Api) -> None:
    owner = api.token(TokenScope.USER)
    past = run_job(api, owner, [0.9, 0.3, 0.6])
    kind = {"domain": "tabular", "architecture": "mlp"}

    mine = api.client.get("/v1/recommendations", params=kind, headers=owner).json()["items"]
    assert mine[0]["source"] == "job" and mine[0]["job_id"] == past["job"]["id"]
    assert mine[0]["value"] == 0.3 and mine[0]["config"] == past["leases"][1]["params"]
    assert f"/v1/jobs/{past['job']['id']}" in mine[0]["detail"]

    other = api.token(TokenScope.USER)
    theirs = api.client.get("/v1/recommendations", params=kind, headers=other).json()["items"]
    assert [i["source"] for i in theirs] == ["advisor"] * len(theirs)


def test_a_warm_start_keeps_the_past_dimension_values_the_new_job_can_take(api: Api) -> None:
    owner = api.token(TokenScope.USER)
    dropout = {"type": "float", "low": 0.0, "high": 0.5}
    hidden = {"type": "int", "low": 16, "high": 128}
    past = run_job(
        api, owner, [0.9, 0.3, 0.6, 0.8], dimensions={"dropout": dropout, "hidden": hidden}
    )
    best = past["leases"][1]["params"]

    _, trial = first_lease(api, owner, dimensions={"dropout": dropout})
    assert trial["warm_start"].startswith("warm start: trial")
    assert trial["params"]["lr"] == best["lr"] and trial["params"]["dropout"] == best["dropout"]
    assert "hidden" not in trial["params"], "a dimension the new job does not search is skipped"

    elsewhere = {"type": "float", "low": 0.6, "high": 0.9}
    _, trial = first_lease(api, owner, dimensions={"dropout": elsewhere})
    assert trial["warm_start"].startswith("warm start: trial")
    assert trial["params"]["lr"] == best["lr"]
    assert 0.6 <= trial["params"]["dropout"] <= 0.9, "outside its new range: the sampler's"
