"""The calls that cut round-trips: a lease call for several trials, one call that completes a
trial and leases the next, and several reports in one call. Each keeps the guarantees of the
single calls: no trial leased twice, the budget exact, complete exactly once."""

from __future__ import annotations

from typing import Any

from tests.service.conftest import Api
from tunewise.wire.models import TokenScope

WORKLOAD = "tw-batch"


def worker_job(api: Api, n_trials: int) -> dict[str, Any]:
    return api.create_job(workload=WORKLOAD, budget={"n_trials": n_trials}, sampler="random")


def lease_many(api: Api, count: int | None, headers: dict[str, str] | None = None) -> Any:
    body: dict[str, Any] = {"workloads": [WORKLOAD], "worker": "w1"}
    if count is not None:
        body["count"] = count
    return api.client.post("/v1/leases", json=body, headers=headers or api.admin)


def test_a_lease_call_with_a_count_answers_a_list_of_different_trials(api: Api) -> None:
    job = worker_job(api, n_trials=30)
    first = lease_many(api, count=None)
    assert first.status_code == 200 and isinstance(first.json(), dict)  # v1's single shape

    seen = {first.json()["trial_id"]}
    for _ in range(6):
        answer = lease_many(api, count=4)
        assert answer.status_code == 200
        leases = answer.json()
        assert isinstance(leases, list) and 1 <= len(leases) <= 4
        for lease in leases:
            assert lease["job_id"] == job["id"] and lease["lease_expires_at"]
            assert lease["trial_id"] not in seen
            seen.add(lease["trial_id"])
    running = api.job(job["id"])["progress"]["running"]
    assert running == len(seen)


def test_a_lease_call_never_leases_past_the_budget(api: Api) -> None:
    job = worker_job(api, n_trials=5)
    leased: list[dict[str, Any]] = []
    while (answer := lease_many(api, count=3)).status_code == 200:
        leased += answer.json()
    assert answer.status_code == 204
    assert len(leased) == 5 == len({lease["trial_id"] for lease in leased})
    for lease in leased:
        assert api.complete(lease["trial_id"], {"value": 1.0}).status_code == 200
    assert api.job(job["id"])["state"] == "completed"


def test_the_job_lease_route_takes_a_count_too(api: Api) -> None:
    job = api.create_job(budget={"n_trials": 10}, sampler="random")
    answer = api.client.post(f"/v1/jobs/{job['id']}/lease", json={"count": 3}, headers=api.admin)
    assert answer.status_code == 200
    leases = answer.json()
    assert isinstance(leases, list) and 1 <= len(leases) <= 3
    assert len({lease["trial_id"] for lease in leases}) == len(leases)


def test_complete_and_lease_completes_once_and_hands_out_the_next_trial(api: Api) -> None:
    job = worker_job(api, n_trials=4)
    lease = lease_many(api, count=None).json()
    body = {"completion": {"value": 0.25}, "lease": {"workloads": [WORKLOAD], "worker": "w1"}}
    path = f"/v1/trials/{lease['trial_id']}/complete-and-lease"

    answer = api.client.post(path, json=body, headers=api.admin)
    assert answer.status_code == 200
    done = answer.json()
    assert done["trial"]["state"] == "complete" and done["trial"]["value"] == 0.25
    (following,) = done["leases"]
    assert following["trial_id"] != lease["trial_id"] and following["job_id"] == job["id"]

    again = api.client.post(path, json=body, headers=api.admin)
    assert again.status_code == 409  # exactly once, and nothing leased by the refusal
    assert api.job(job["id"])["progress"]["running"] == 1


def test_complete_and_lease_without_workloads_leases_from_the_same_job(api: Api) -> None:
    job = api.create_job(budget={"n_trials": 3}, sampler="random")
    lease = api.lease(job["id"])
    assert lease is not None
    numbers = [lease["number"]]
    for _ in range(2):
        answer = api.client.post(
            f"/v1/trials/{lease['trial_id']}/complete-and-lease",
            json={"completion": {"value": 1.0}, "lease": {}},
            headers=api.admin,
        ).json()
        (lease,) = answer["leases"]
        numbers.append(lease["number"])
    last = api.client.post(
        f"/v1/trials/{lease['trial_id']}/complete-and-lease",
        json={"completion": {"value": 1.0}, "lease": {}},
        headers=api.admin,
    ).json()
    assert last["leases"] == []  # the budget is used up
    assert len(set(numbers)) == 3 and api.job(job["id"])["state"] == "completed"


def test_batched_reports_answer_each_in_order_and_a_refusal_in_place(api: Api) -> None:
    worker_job(api, n_trials=10)
    worker = api.token(TokenScope.WORKER)
    first, second = (lease_many(api, count=None, headers=worker).json() for _ in range(2))
    assert api.complete(second["trial_id"], {"value": 1.0}, headers=worker).status_code == 200

    answer = api.client.post(
        "/v1/reports",
        json={
            "reports": [
                {"trial_id": first["trial_id"], "step": 0, "value": 0.5},
                {"trial_id": second["trial_id"], "step": 0, "value": 0.5},
                {"trial_id": first["trial_id"], "step": 1, "value": 0.4},
            ]
        },
        headers=worker,
    )
    assert answer.status_code == 200
    ok, refused, ok_again = answer.json()["results"]
    assert ok["verdict"]["should_prune"] is False and ok["error"] is None
    assert refused["trial_id"] == second["trial_id"]
    assert refused["verdict"] is None and refused["error"]["code"] == "already_finished"
    assert ok_again["verdict"] is not None
    trial = api.client.get(f"/v1/trials/{first['trial_id']}", headers=api.admin).json()
    assert [point["step"] for point in trial["intermediate"]] == [0, 1]
