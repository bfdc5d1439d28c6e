"""Recommendations: the best trials of finished jobs on the same kind of task first, then
the advisor's defaults; each says where it came from."""

from __future__ import annotations

from tests.service.conftest import Api


def run_job(api: Api, task: dict[str, str], values: list[float]) -> dict[str, object]:
    job = api.create_job(task=task, budget={"n_trials": len(values)})
    for value in values:
        lease = api.lease(job["id"])
        assert lease is not None
        assert api.complete(lease["trial_id"], {"value": value}).status_code == 200
    return api.job(job["id"])


def test_advisor_defaults_when_no_job_has_finished(api: Api) -> None:
    response = api.client.get(
        "/v1/recommendations",
        params={"domain": "nlp", "architecture": "transformer"},
        headers=api.admin,
    )
    assert response.status_code == 200
    body = response.json()
    assert body["kind"]["domain"] == "nlp"
    assert body["items"] and all(i["source"] == "advisor" for i in body["items"])
    assert body["items"][0]["detail"].startswith("advisor default for ")


def test_a_finished_jobs_best_comes_first_for_the_same_kind_only(api: Api) -> None:
    vision = {"domain": "vision", "architecture": "cnn"}
    job = run_job(api, vision, [0.9, 0.4, 0.7])
    run_job(api, {"domain": "tabular", "architecture": "mlp"}, [0.1])

    items = api.client.get("/v1/recommendations", params=vision, headers=api.admin).json()["items"]
    first = items[0]
    assert first["source"] == "job" and first["job_id"] == job["id"]
    assert first["value"] == 0.4 and first["metric"] == "val_loss"
    assert first["config"] == job["best"]["params"]  # type: ignore[index]
    assert [i["source"] for i in items[1:]] == ["advisor"] * (len(items) - 1)


def test_without_a_kind_the_answer_says_so_until_a_job_has_ended(api: Api) -> None:
    response = api.client.get("/v1/recommendations", headers=api.admin)
    assert response.status_code == 200
    body = response.json()
    assert body["kind"] == {"domain": None, "architecture": None, "regime": None}
    assert body["items"] == []
    assert body["notes"][0].startswith("no domain or description given")
    assert body["notes"][1] == "none of your ended jobs has a complete trial yet"


def test_without_a_kind_the_most_recent_best_of_each_kind(api: Api) -> None:
    vision = {"domain": "vision", "architecture": "cnn"}
    run_job(api, vision, [0.9, 0.4])
    newer_vision = run_job(api, vision, [0.6])
    tabular = run_job(api, {"domain": "tabular", "architecture": "mlp"}, [0.1])

    body = api.client.get("/v1/recommendations", headers=api.admin).json()
    assert [i["job_id"] for i in body["items"]] == [tabular["id"], newer_vision["id"]]
    assert all(i["source"] == "job" for i in body["items"])

    narrowed = api.client.get(
        "/v1/recommendations", params={"architecture": "cnn"}, headers=api.admin
    ).json()
    assert narrowed["kind"]["architecture"] == "cnn"
    assert [i["job_id"] for i in narrowed["items"]] == [newer_vision["id"]]
