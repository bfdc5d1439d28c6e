"""Asks and Optuna's cache: a batch of asks syncs the cache once, reading in full only the
trials that are new or changed state, for the samplers whose trials are written whole (TPE and
random, through one write). The others write a trial's params and attributes after creating
it (grid sampling records each trial's grid point so), so their asks keep Optuna's sync, which
reads every running trial again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, inspect

from service.asking import Asker
from service.db import JobRow
from tests.service.conftest import Api


@pytest.mark.parametrize(
    ("sampler", "syncs_once"),
    [("tpe", True), ("random", True), ("grid", False), ("cmaes", False), ("qmc", False)],
)
def test_asks_sync_once_only_for_samplers_whose_trials_are_written_whole(
    api: Api, monkeypatch: pytest.MonkeyPatch, sampler: str, syncs_once: bool
) -> None:
    storage = api.context.studies.storage
    entered: list[bool] = []
    one_sync = storage.one_sync

    @contextmanager
    def recorded() -> Iterator[None]:
        entered.append(True)
        with one_sync():
            yield

    monkeypatch.setattr(storage, "one_sync", recorded)
    job = api.create_job(sampler=sampler, seed=1, pruner="none", budget={"n_trials": 6})
    leases = [api.lease(job["id"]) for _ in range(4)]  # held: all four running at once
    api.context.background.submit(lambda: None).result()  # the asks made ahead are done

    assert bool(entered) is syncs_once
    points = {json.dumps(lease["params"], sort_keys=True) for lease in leases if lease}
    assert len(points) == 4  # no running trial's point proposed again


class Statements:
    """The statements our engine runs while this is entered, flattened to one line each."""

    def __init__(self, api: Api) -> None:
        self._engine = api.context.database.engine
        self.seen: list[str] = []

    def __enter__(self) -> Statements:
        event.listen(self._engine, "before_cursor_execute", self._record)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self._engine, "before_cursor_execute", self._record)

    def _record(self, _conn: object, _cursor: object, statement: str, *_: object) -> None:
        self.seen.append(" ".join(statement.split()))


def test_leases_and_completions_do_not_read_the_job_s_advice(api: Api) -> None:
    # Tens of kilobytes of JSON per job, read by a job's view and its study's first load only.
    job = api.create_job(sampler="random", budget={"n_trials": 20}, workload="tw-ask")
    api.context.background.submit(lambda: None).result()
    body = {"workloads": ["tw-ask"], "worker": "w", "count": 2}
    with Statements(api) as statements:
        leases = api.client.post("/v1/leases", json=body, headers=api.admin).json()
        done = [{"trial_id": lease["trial_id"], "completion": {"value": 0.5}} for lease in leases]
        answer = api.client.post(
            "/v1/completions", json={"completions": done, "lease": body}, headers=api.admin
        )
        api.context.background.submit(lambda: None).result()
    assert answer.status_code == 200 and len(answer.json()["leases"]) == 2
    assert any("FROM tw_jobs" in s for s in statements.seen)
    assert not [s for s in statements.seen if "advice" in s]
    assert api.job(job["id"])["advice"]["candidates"]  # the job's view still shows it


def test_a_job_row_out_of_its_session_still_loads_its_study(api: Api) -> None:
    job = api.create_job(sampler="random", budget={"n_trials": 4})
    with api.context.database.reading() as session:
        row = session.get(JobRow, job["id"])
        assert row is not None
        session.expunge(row)  # as asking ahead keeps it, to ask outside any session
    assert "advice" in inspect(row).unloaded
    api.context.studies._loaded.clear()  # the study left the cache (evicted, or a restart)

    loaded = Asker(api.context).loaded(row)

    assert loaded.study.study_name == job["study_name"]


def test_asking_ahead_counts_running_and_ready_trials_in_one_statement_per_look(
    api: Api, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(api.context.background, "submit", lambda *_args: None)
    job = api.create_job(sampler="random", budget={"n_trials": 20})
    with Statements(api) as statements:
        asked = Asker(api.context).refill(job["id"], at_least=4)
    counts = [s for s in statements.seen if "count(*)" in s]
    # One look before asking (how many to ask), one under the job's lock (the budget).
    assert asked == 4 and len(counts) == 2
    assert all("tw_trial_leases" in s and "tw_asked_ahead" in s for s in counts)
