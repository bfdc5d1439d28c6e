"""The calls that cut round-trips: a lease call for several trials, one call that completes a
trial and leases the next, and several reports in one call. Each keeps the guarantees of the
single calls: no trial leased twice, the budget exact, complete exactly once."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import Any

import optuna
import pytest

from service.asking import Asker, ready_count
from service.db.models import JobRow
from service.leases import LeaseService
from tests.service.conftest import Api, ApiFactory
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


def complete_many(api: Api, body: dict[str, Any], headers: dict[str, str] | None = None) -> Any:
    return api.client.post("/v1/completions", json=body, headers=headers or api.admin)


def test_a_completion_batch_completes_each_trial_once_and_leases_the_next(api: Api) -> None:
    job = worker_job(api, n_trials=12)
    held = lease_many(api, count=4).json()
    while len(held) < 4:
        held += lease_many(api, count=4 - len(held)).json()
    body = {
        "completions": [
            {"trial_id": lease["trial_id"], "completion": {"value": 0.1 * i}}
            for i, lease in enumerate(held)
        ],
        "lease": {"workloads": [WORKLOAD], "worker": "w1", "count": 4},
    }

    answer = complete_many(api, body)
    assert answer.status_code == 200, answer.text
    done = answer.json()
    assert [r["trial_id"] for r in done["results"]] == [lease["trial_id"] for lease in held]
    assert all(r["error"] is None and r["trial"]["state"] == "complete" for r in done["results"])
    assert [r["trial"]["value"] for r in done["results"]] == [0.1 * i for i in range(4)]
    following = done["leases"]
    assert 1 <= len(following) <= 4
    assert not {lease["trial_id"] for lease in following} & {lease["trial_id"] for lease in held}

    again = complete_many(api, {"completions": body["completions"]})
    assert again.status_code == 200  # exactly once: each refusal in its place
    assert [r["error"]["code"] for r in again.json()["results"]] == ["already_finished"] * 4
    assert again.json()["leases"] == []
    progress = api.job(job["id"])["progress"]
    assert progress["complete"] == 4 and progress["running"] == len(following)


def test_a_refused_completion_in_a_batch_does_not_stop_the_others(api: Api) -> None:
    worker_job(api, n_trials=10)
    worker, other = api.token(TokenScope.WORKER), api.token(TokenScope.WORKER)
    mine = lease_many(api, count=None, headers=worker).json()
    theirs = lease_many(api, count=None, headers=other).json()
    finished = lease_many(api, count=None, headers=worker).json()
    assert api.complete(finished["trial_id"], {"value": 1.0}, headers=worker).status_code == 200

    answer = complete_many(
        api,
        {
            "completions": [
                {"trial_id": theirs["trial_id"], "completion": {"value": 0.5}},
                {"trial_id": finished["trial_id"], "completion": {"value": 0.5}},
                {"trial_id": 2**31 - 1, "completion": {"value": 0.5}},
                {"trial_id": mine["trial_id"], "completion": {"failed": "out of memory"}},
            ]
        },
        headers=worker,
    )
    assert answer.status_code == 200, answer.text
    not_yours, twice, unknown, failed = answer.json()["results"]
    assert not_yours["error"]["code"] == "not_found" and not_yours["trial"] is None
    assert twice["error"]["code"] == "already_finished"
    assert unknown["error"]["code"] == "not_found"
    assert failed["error"] is None and failed["trial"]["state"] == "failed"
    assert failed["trial"]["reason"] == "out of memory"
    theirs_now = api.client.get(f"/v1/trials/{theirs['trial_id']}", headers=api.admin).json()
    assert theirs_now["state"] == "running"  # the other worker's trial is untouched


def test_a_completion_batch_never_leases_past_the_budget_and_ends_the_job(api: Api) -> None:
    job = api.create_job(budget={"n_trials": 7}, sampler="random")
    first = api.client.post(f"/v1/jobs/{job['id']}/lease", json={"count": 3}, headers=api.admin)
    held = first.json()
    finished: set[int] = set()
    while held:
        body = {
            "completions": [
                {"trial_id": lease["trial_id"], "completion": {"value": 1.0}} for lease in held
            ],
            "lease": {"count": 3},
        }
        answer = complete_many(api, body).json()
        assert all(r["error"] is None for r in answer["results"])
        finished |= {lease["trial_id"] for lease in held}
        held = answer["leases"]
        assert not {lease["trial_id"] for lease in held} & finished
    assert len(finished) == 7
    ended = api.job(job["id"])
    assert ended["state"] == "completed" and ended["progress"]["complete"] == 7


def test_a_completion_batch_names_what_is_wrong_with_it(api: Api) -> None:
    nothing = complete_many(api, {"completions": []})
    assert nothing.status_code == 422
    assert "completions" in nothing.text
    lease = lease_many(api, count=None) if worker_job(api, n_trials=3) else None
    assert lease is not None
    item = {"trial_id": lease.json()["trial_id"], "completion": {"value": 1.0}}
    twice = complete_many(api, {"completions": [item, item]})
    assert twice.status_code == 422 and "once" in twice.text
    assert (
        api.client.get(f"/v1/trials/{item['trial_id']}", headers=api.admin).json()["state"]
        == "running"
    )
    own_loop = complete_many(api, {"completions": [], "lease": {}})
    assert own_loop.status_code == 422 and "workloads" in own_loop.text


def test_trials_are_asked_ahead_for_a_whole_batch(api: Api) -> None:
    job = api.create_job(budget={"n_trials": 40}, sampler="random")
    path = f"/v1/jobs/{job['id']}/lease"
    first = api.client.post(path, json={"count": 6}, headers=api.admin).json()
    api.context.background.submit(lambda: None).result()  # the refill queued by that lease
    with api.context.database.reading() as session:
        assert ready_count(session, job["id"]) == 6  # not one: the next call finds a batch

    second = api.client.post(path, json={"count": 6}, headers=api.admin).json()
    assert len(second) == 6
    held = {lease["trial_id"] for lease in first + second}
    assert len(held) == len(first) + 6
    api.context.background.submit(lambda: None).result()
    with api.context.database.reading() as session:
        ready = ready_count(session, job["id"])
    # Every trial Optuna holds running is either leased or kept ready: none is lost.
    study = api.context.studies.unfinished_trials(job["study_name"])
    assert len([t for t in study if t.state.name == "RUNNING"]) == len(held) + ready


def test_a_completion_batch_after_the_leases_expired_fails_them_and_says_so(
    api_factory: ApiFactory,
) -> None:
    api = api_factory(lease_seconds=60.0, sweep_interval_s=3600)
    job = api.create_job(budget={"n_trials": 6}, sampler="random")
    held = api.client.post(f"/v1/jobs/{job['id']}/lease", json={"count": 2}, headers=api.admin)
    leases = held.json()
    api.clock.advance(61)
    body = {
        "completions": [
            {"trial_id": lease["trial_id"], "completion": {"value": 0.5}} for lease in leases
        ]
    }
    answer = complete_many(api, body)
    assert answer.status_code == 200
    assert [r["error"]["code"] for r in answer.json()["results"]] == ["lease_expired"] * len(leases)
    for lease in leases:
        trial = api.client.get(f"/v1/trials/{lease['trial_id']}", headers=api.admin).json()
        assert trial["state"] == "failed" and trial["reason"].startswith("lease expired")


def test_a_completion_batch_leases_its_job_s_ready_trials_in_the_same_unit_of_work(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    worker_job(api, n_trials=40)
    held = lease_many(api, count=4).json()
    api.context.background.submit(lambda: None).result()  # the batch asked ahead is ready
    units = 0
    unit_of_work = api.context.database.unit_of_work

    @contextmanager
    def counted() -> Iterator[Any]:
        nonlocal units
        units += 1
        with unit_of_work() as session:
            yield session

    monkeypatch.setattr(api.context.database, "unit_of_work", counted)
    # The refill that the lease queues runs on a thread of its own: not counted here.
    monkeypatch.setattr(api.context.background, "submit", lambda *_args: None)
    body = {
        "completions": [
            {"trial_id": lease["trial_id"], "completion": {"value": 0.5}} for lease in held
        ],
        "lease": {"workloads": [WORKLOAD], "worker": "w1", "count": 4},
    }
    answer = complete_many(api, body)
    assert answer.status_code == 200, answer.text
    assert len(answer.json()["leases"]) == 4
    assert units == 1  # one lock of the job for the completions and the leases


def test_a_lease_whose_batch_others_claimed_asks_another_batch_not_one_trial(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = worker_job(api, n_trials=40)
    api.context.background.submit(lambda: None).result()  # the trials asked ahead at creation
    monkeypatch.setattr(api.context.background, "submit", lambda *_args: None)
    taken = lease_many(api, count=16).json()  # none is left ready
    refill = Asker.refill
    refills: list[int] = []

    def claimed_by_others(asker: Asker, job_id: str, at_least: int = 1) -> int:
        recorded = refill(asker, job_id, at_least)
        refills.append(recorded)
        if len(refills) == 1:  # another worker's lease takes the whole first batch
            with api.context.database.unit_of_work() as session:
                row = session.get(JobRow, job_id)
                assert row is not None
                for ahead in asker.claim_ready(session, row, recorded):
                    lease = Asker.lease_row(ahead)
                    lease.worker, lease.expires_at = "w2", datetime.now(UTC) + timedelta(hours=1)
                    session.delete(ahead)
                    session.add(lease)
        return recorded

    def no_inline_ask(*_args: Any) -> None:
        raise AssertionError("a trial was asked inline")

    monkeypatch.setattr(Asker, "refill", claimed_by_others)
    monkeypatch.setattr(Asker, "ask_row", no_inline_ask)

    leases = lease_many(api, count=4)
    assert leases.status_code == 200, leases.text
    assert len(leases.json()) == 4 and {lease["job_id"] for lease in leases.json()} == {job["id"]}
    assert len(refills) == 2 and refills[0] >= 4 and refills[1] >= 4
    assert api.job(job["id"])["progress"]["running"] == len(taken) + refills[0] + 4


def test_a_trial_whose_lease_expires_while_its_batch_reads_it_is_refused_and_stays_failed(
    api_factory: ApiFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    api = api_factory(lease_seconds=60.0, sweep_interval_s=3600)
    if api.context.database.is_sqlite:
        pytest.skip("on SQLite every unit of work holds the one writer from its start")
    job = api.create_job(budget={"n_trials": 6}, sampler="random")
    held = api.client.post(f"/v1/jobs/{job['id']}/lease", json={"count": 2}, headers=api.admin)
    leases = held.json()
    backend = api.context.studies.storage.trials_backend
    read_trials = backend.read_trials

    def expiring_meanwhile(*args: Any, **kwargs: Any) -> Any:
        read = read_trials(*args, **kwargs)  # the trials, still running, as the batch saw them
        api.clock.advance(61)
        assert LeaseService(api.context).sweep() == len(leases)
        return read

    monkeypatch.setattr(backend, "read_trials", expiring_meanwhile)
    body = {
        "completions": [
            {"trial_id": lease["trial_id"], "completion": {"value": 0.5}} for lease in leases
        ]
    }
    answer = complete_many(api, body)
    assert [r["error"]["code"] for r in answer.json()["results"]] == ["lease_expired"] * len(leases)
    optuna_side = api.context.studies.storage.backend
    for lease in leases:
        assert optuna_side.get_trial(lease["trial_id"]).state is optuna.trial.TrialState.FAIL
