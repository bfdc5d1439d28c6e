"""Reading our rows (and Optuna's curves) into the wire models."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence

from optuna.storages import BaseStorage
from optuna.trial import FrozenTrial
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from advisor import Advice, OptimizerName
from service.db import JobRow, TrialLeaseRow
from service.dimensions import dimensions_of
from service.pareto import Preference, choose, front_rows, row_values
from tunewise.wire.dimensions import TrialParams
from tunewise.wire.models import (
    Best,
    Budget,
    Constraint,
    Direction,
    IntermediateValue,
    Job,
    JobState,
    Objective,
    Progress,
    Trial,
    TrialState,
)

StateCounts = dict[TrialState, int]


def state_counts(session: Session, job_ids: Sequence[str]) -> dict[str, StateCounts]:
    counts: dict[str, StateCounts] = defaultdict(dict)
    if not job_ids:
        return counts
    rows = session.execute(
        select(TrialLeaseRow.job_id, TrialLeaseRow.state, func.count())
        .where(TrialLeaseRow.job_id.in_(job_ids))
        .group_by(TrialLeaseRow.job_id, TrialLeaseRow.state)
    )
    for job_id, state, count in rows:
        counts[job_id][TrialState(state)] = count
    return counts


def progress_of(job: JobRow, counts: StateCounts) -> Progress:
    complete = counts.get(TrialState.COMPLETE, 0)
    pruned = counts.get(TrialState.PRUNED, 0)
    return Progress(
        running=counts.get(TrialState.RUNNING, 0),
        complete=complete,
        pruned=pruned,
        failed=counts.get(TrialState.FAILED, 0),
        finished=complete + pruned,
        n_trials=job.n_trials,
    )


def objectives_of(job: JobRow) -> tuple[Objective, ...]:
    """All of the job's objectives (one for a job created with ``objective``)."""
    if job.objectives:
        return tuple(Objective.model_validate(o) for o in job.objectives)
    return (Objective(metric=job.metric, direction=direction_of(job.direction)),)


def needed_metrics(job: JobRow) -> tuple[str, ...]:
    """What a completion of the job's trials must give in ``values``; () when ``value`` will
    do (one objective, no constraints)."""
    if not job.objectives and not job.constraints:
        return ()
    named = [o.metric for o in objectives_of(job)] + [c["metric"] for c in job.constraints or ()]
    return tuple(dict.fromkeys(named))


def constraints_of(job: JobRow) -> tuple[Constraint, ...]:
    return tuple(Constraint.model_validate(c) for c in job.constraints or ())


def best_of(session: Session, job: JobRow, preference: Preference | None = None) -> Best | None:
    """The best complete trial; never an infeasible one. With several objectives, the front's
    trial the preference picks (the first objective's best by default)."""
    if job.objectives and len(job.objectives) > 1:
        objectives = objectives_of(job)
        metrics = [o.metric for o in objectives]
        chosen = choose(
            front_rows(session, job, objectives),
            objectives,
            lambda row: row_values(row, metrics),
            preference or Preference(),
        )
        return _best(chosen) if chosen is not None else None
    order = TrialLeaseRow.value.asc() if job.direction == "minimize" else TrialLeaseRow.value.desc()
    query = select(TrialLeaseRow).where(
        TrialLeaseRow.job_id == job.id,
        TrialLeaseRow.state == TrialState.COMPLETE.value,
        TrialLeaseRow.value.is_not(None),
    )
    if job.constraints:
        query = query.where(TrialLeaseRow.feasible.is_not(False))
    row = session.scalars(query.order_by(order, TrialLeaseRow.number.asc()).limit(1)).first()
    if row is None or row.value is None:
        return None
    return _best(row)


def _best(row: TrialLeaseRow) -> Best:
    assert row.value is not None
    return Best(
        trial_id=row.trial_id,
        number=row.number,
        value=row.value,
        values=row.metrics or None,
        params=TrialParams.model_validate(row.params),
    )


def job_view(
    session: Session, job: JobRow, counts: StateCounts, preference: Preference | None = None
) -> Job:
    return Job(
        id=job.id,
        name=job.name,
        state=JobState(job.state),
        workload=job.workload,
        study_name=job.study_name,
        objective=Objective(metric=job.metric, direction=direction_of(job.direction)),
        objectives=objectives_of(job),
        constraints=constraints_of(job),
        budget=Budget(n_trials=job.n_trials, timeout_s=job.timeout_s, max_epochs=job.max_epochs),
        families=tuple(OptimizerName(f) for f in job.families),
        sampler=job.sampler,
        pruner=job.pruner,
        seed=job.seed,
        priority=job.priority,
        dimensions=dimensions_of(job),
        progress=progress_of(job, counts),
        best=best_of(session, job, preference),
        advice=Advice.model_validate(job.advice),
        created_at=job.created_at,
        started_at=job.started_at,
        ended_at=job.ended_at,
        ended_reason=job.ended_reason,
    )


def job_views(session: Session, jobs: Iterable[JobRow]) -> list[Job]:
    jobs = list(jobs)
    counts = state_counts(session, [j.id for j in jobs])
    return [job_view(session, job, counts[job.id]) for job in jobs]


def trial_view(
    row: TrialLeaseRow, storage: BaseStorage | None, *, frozen: FrozenTrial | None = None
) -> Trial:
    """``storage`` supplies the curve (Optuna keeps intermediate values); None leaves it out,
    unless ``frozen`` (the trial as Optuna holds it, already read) supplies it."""
    curve: tuple[IntermediateValue, ...] = ()
    if frozen is None and storage is not None:
        frozen = storage.get_trial(row.trial_id)
    if frozen is not None:
        curve = tuple(
            IntermediateValue(step=step, value=value)
            for step, value in sorted(frozen.intermediate_values.items())
        )
    return Trial(
        id=row.trial_id,
        number=row.number,
        job_id=row.job_id,
        state=TrialState(row.state),
        params=TrialParams.model_validate(row.params),
        study_params=row.study_params,
        value=row.value,
        values=row.metrics or None,
        feasible=row.feasible,
        reason=row.reason,
        intermediate=curve,
        attempt=row.attempt,
        warm_start=row.warm_start,
        worker=row.worker,
        leased_at=row.leased_at,
        lease_expires_at=row.expires_at,
        finished_at=row.finished_at,
    )


def direction_of(value: str) -> Direction:
    if value == "minimize":
        return "minimize"
    if value == "maximize":
        return "maximize"
    raise ValueError(f"stored direction {value!r} is neither minimize nor maximize")
