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
