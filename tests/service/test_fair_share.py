"""Workers share out across running jobs instead of serving the oldest job first: each lease
from ``POST /v1/leases`` goes to the owner holding the fewest running trials, then to that
owner's job holding the fewest, so a long job cannot starve a later one of another user."""

from __future__ import annotations

from collections import Counter
from typing import Any

from tests.service.conftest import Api, Headers
from tunewise.wire.models import TokenScope

WORKLOAD = "tabular-mlp"


def long_job(api: Api, owner: Headers, **extra: Any) -> str:
    job = api.create_job(
        owner,
        workload=WORKLOAD,
        sampler="random",
        pruner="none",
        budget={"n_trials": 500},
        **extra,
    )
    return str(job["id"])


def lease_any(api: Api, worker: Headers, name: str) -> dict[str, Any]:
    body = {"workloads": [WORKLOAD], "worker": name}
    response = api.client.post("/v1/leases", json=body, headers=worker)
    assert response.status_code == 200, response.text
    lease: dict[str, Any] = response.json()
    return lease


def complete_and_lease_in_one_call(
    api: Api, worker: Headers, name: str, trial_id: int
) -> dict[str, Any]:
    body = {
        "completions": [{"trial_id": trial_id, "completion": {"value": 1.0}}],
        "lease": {"workloads": [WORKLOAD], "worker": name, "count": 1},
    }
    response = api.client.post("/v1/completions", json=body, headers=worker)
    assert response.status_code == 200, response.text
    (lease,) = response.json()["leases"]
    return dict(lease)


def run_workers(api: Api, n_workers: int, n_leases: int, one_call: bool = False) -> Counter[str]:
    """``n_workers`` workers in turn: each completes its trial and leases the next (with
    ``one_call``, both in one ``POST /v1/completions``). Returns how many leases each job
    got."""
    worker = api.token(TokenScope.WORKER)
    names = [f"w{i}" for i in range(n_workers)]
    held = {name: lease_any(api, worker, name) for name in names}
    leased = Counter(lease["job_id"] for lease in held.values())
    for turn in range(n_leases - n_workers):
        name = names[turn % n_workers]
        if one_call:
            held[name] = complete_and_lease_in_one_call(api, worker, name, held[name]["trial_id"])
        else:
            done = api.complete(held[name]["trial_id"], {"value": 1.0}, headers=worker)
            assert done.status_code == 200, done.text
            held[name] = lease_any(api, worker, name)
        leased[held[name]["job_id"]] += 1
    return leased


def test_two_users_jobs_each_get_between_40_and_60_percent_of_four_workers(api: Api) -> None:
    first = long_job(api, api.token(TokenScope.USER))
    second = long_job(api, api.token(TokenScope.USER))  # created later, by another user
    leased = run_workers(api, n_workers=4, n_leases=40)
    assert sum(leased.values()) == 40
    for job_id in (first, second):
        assert 0.4 <= leased[job_id] / 40 <= 0.6, leased
    assert api.job(first)["progress"]["running"] == api.job(second)["progress"]["running"] == 2


def test_shares_stay_fair_when_workers_complete_and_lease_in_one_call(api: Api) -> None:
    # The completion's own job is leased from in the same unit of work only when fair order
    # serves it next; otherwise the lease goes to the job that order names.
    first = long_job(api, api.token(TokenScope.USER))
    second = long_job(api, api.token(TokenScope.USER))
    leased = run_workers(api, n_workers=4, n_leases=40, one_call=True)
    for job_id in (first, second):
        assert 0.4 <= leased[job_id] / 40 <= 0.6, leased


def test_shares_are_fair_by_owner_first_then_by_job(api: Api) -> None:
    busy, other = api.token(TokenScope.USER), api.token(TokenScope.USER)
    busy_jobs = [long_job(api, busy), long_job(api, busy)]
    lone = long_job(api, other)
    leased = run_workers(api, n_workers=4, n_leases=40)
    # The user with one job gets half the workers; the other user's two jobs share the rest.
    assert 0.4 <= leased[lone] / 40 <= 0.6, leased
    assert all(0.15 <= leased[job] / 40 <= 0.35 for job in busy_jobs), leased


def test_a_priority_puts_one_of_an_owners_jobs_first_within_that_owners_share(api: Api) -> None:
    busy, other = api.token(TokenScope.USER), api.token(TokenScope.USER)
    routine = long_job(api, busy)
    urgent = long_job(api, busy, priority=10)
    lone = long_job(api, other)
    leased = run_workers(api, n_workers=4, n_leases=40)
    assert 0.4 <= leased[lone] / 40 <= 0.6, leased
    assert leased[routine] == 0 and leased[urgent] == 40 - leased[lone], leased
    assert api.job(urgent)["priority"] == 10 and api.job(routine)["priority"] == 0


def test_a_priority_out_of_range_is_refused_naming_the_field(api: Api) -> None:
    body = {"task": {"domain": "vision"}, "priority": 101}
    response = api.client.post("/v1/jobs", json=body, headers=api.admin)
    assert response.status_code == 422
    assert response.json()["error"]["field"] == "priority"
