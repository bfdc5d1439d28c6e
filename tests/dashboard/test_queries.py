"""The dashboard's reads, on SQLite and PostgreSQL: filtered job listings, families tried,
the trial table sorted in the database, and curves from Optuna's table."""

from __future__ import annotations

from sqlalchemy import func, select

from advisor import OptimizerName
from service.auth import ANONYMOUS_ADMIN, Principal
from service.dashboard.queries import (
    JobFilter,
    TrialSort,
    curves,
    families_tried,
    list_jobs,
    trial_points,
    trial_table,
)
from service.db import TokenRow
from tests.dashboard.conftest import run_trials
from tests.service.conftest import Api
from tunewise.wire.models import JobState, TokenScope, TrialState

VISION = {"domain": "vision", "architecture": "cnn"}


def listed(api: Api, where: JobFilter, principal: Principal = ANONYMOUS_ADMIN) -> list[str]:
    with api.context.database.reading() as session:
        rows, total = list_jobs(session, principal, where, limit=50, offset=0)
        assert total == len(rows)
        return [row.name for row in rows]


def test_jobs_filter_by_state_family_workload_and_text(each_database: Api) -> None:
    api = each_database
    api.create_job(name="adam only", task=VISION, families=["adam"], workload="digits-cnn")
    api.create_job(name="adamw 100%_done", task=VISION, families=["adamw"])
    running = api.create_job(name="both", task=VISION, families=["adam", "adamw"])
    run_trials(api, running["id"], 1)

    assert listed(api, JobFilter()) == ["both", "adamw 100%_done", "adam only"]  # newest first
    assert listed(api, JobFilter(state=JobState.RUNNING)) == ["both"]
    assert listed(api, JobFilter(family=OptimizerName.ADAM)) == ["both", "adam only"]
    assert listed(api, JobFilter(family=OptimizerName.ADAMW)) == ["both", "adamw 100%_done"]
    assert listed(api, JobFilter(workload="digits-cnn")) == ["adam only"]
    # % and _ are literal characters in the text filter, not wildcards.
    assert listed(api, JobFilter(text="100%_")) == ["adamw 100%_done"]
    assert listed(api, JobFilter(text="0%d")) == []
    assert listed(api, JobFilter(text="BOTH")) == ["both"]


def test_a_user_lists_only_its_own_jobs(each_database: Api) -> None:
    api = each_database
    user = api.token(TokenScope.USER)
    api.create_job(name="admin's", task=VISION)
    api.create_job(headers=user, name="mine", task=VISION)
    with api.context.database.reading() as session:
        token_id = session.scalars(select(func.max(TokenRow.id))).one()
    assert listed(api, JobFilter(), Principal(token_id, TokenScope.USER)) == ["mine"]


def test_families_tried_are_the_families_of_leased_trials(each_database: Api) -> None:
    api = each_database
    job = api.create_job(task=VISION, families=["adam", "sgd"], budget={"n_trials": 4})
    idle = api.create_job(task=VISION, families=["adamw"])
    run_trials(api, job["id"], 4)
    with api.context.database.reading() as session:
        tried = families_tried(session, [job["id"], idle["id"]])
        points = trial_points(session, job["id"])
    assert tried[job["id"]] == sorted({p.family for p in points})
    assert idle["id"] not in tried


def test_the_trial_table_sorts_in_the_database_with_missing_values_last(
    each_database: Api,
) -> None:
    api = each_database
    job = api.create_job(task=VISION, budget={"n_trials": 6}, sampler="random", seed=3)
    run_trials(api, job["id"], 5)
    failed = api.lease(job["id"])
    assert failed is not None
    api.complete(failed["trial_id"], {"failed": "boom", "retry": False})

    def page(
        sort: TrialSort,
        descending: bool = False,
        state: TrialState | None = None,
        limit: int = 50,
        offset: int = 0,
    ) -> list[tuple[int, str, float | None, float]]:
        with api.context.database.reading() as session:
            rows, total = trial_table(
                session,
                job["id"],
                sort=sort,
                descending=descending,
                state=state,
                limit=limit,
                offset=offset,
            )
            assert total == (1 if state is TrialState.FAILED else 6)
            return [(r.number, r.state, r.value, r.params["lr"]) for r in rows]

    values = [value for _, _, value, _ in page(TrialSort.VALUE)]
    assert values[-1] is None
    assert values[:-1] == sorted(v for v in values if v is not None)
    desc = [value for _, _, value, _ in page(TrialSort.VALUE, descending=True)]
    assert desc[-1] is None
    assert desc[:-1] == sorted((v for v in desc if v is not None), reverse=True)
    lrs = [lr for _, _, _, lr in page(TrialSort.LR)]
    assert lrs == sorted(lrs)
    assert [n for n, _, _, _ in page(TrialSort.NUMBER, limit=2, offset=2)] == [2, 3]
    assert [s for _, s, _, _ in page(TrialSort.NUMBER, state=TrialState.FAILED)] == ["failed"]


def test_curves_come_back_in_step_order_for_the_trials_asked(each_database: Api) -> None:
    api = each_database
    job = api.create_job(task=VISION, budget={"n_trials": 3}, pruner="none")
    trials = run_trials(api, job["id"], 3, steps=4)
    wanted = [t["id"] for t in trials[:2]]
    with api.context.database.reading() as session:
        found = curves(session, wanted)
    assert set(found) == set(wanted)
    for trial in trials[:2]:
        assert [step for step, _ in found[trial["id"]]] == [1, 2, 3, 4]
        assert found[trial["id"]][-1][1] == trial["value"]
