"""The evidence store: one row per ended job (``tw_job_evidence``), read back per owner.

A job's evidence is recorded once, after it has ended (completed, failed or cancelled) and no
trial of it is still running: the task as the advisor understood it, the workload, the
objective, each family's best value and rank, and the best configs (up to
:data:`TOP_CONFIGS`). Recording is a catch-up pass (:meth:`EvidenceStore.catch_up`) run before
evidence is read, so it needs no hook where jobs end and survives restarts: a job that ended
while no process was reading is recorded by the next reader. A job with no complete trial is
recorded with no families and no configs, so it contributes nothing.

A token's evidence is its own jobs only. Admin tokens read their own too unless they ask for
all (``everyone=True``); jobs made with the environment token or with auth off belong to
nobody in particular (owner null) and are read by such callers.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, undefer

from advisor.task import NormalisedTask
from service.auth import Principal
from service.context import utc_now
from service.db import JobEvidenceRow, JobRow, TrialLeaseRow
from tunewise.wire.models import JobState, TrialState

#: How many of a job's best configs are kept (warm starts use at most 5).
TOP_CONFIGS = 5
#: How many of an owner's most recent evidence rows a new task is compared with.
RECENT = 200


@dataclass(frozen=True)
class FamilyResult:
    family: str
    best: float
    #: 1 for the family with the job's best value.
    rank: int
    complete: int


@dataclass(frozen=True)
class PastConfig:
    trial_id: int
    number: int
    value: float
    study_params: dict[str, Any]
    #: The flat, ready config the worker trained (a TrainConfig as JSON).
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class PastJob:
    job_id: str
    workload: str | None
    metric: str
    direction: str
    task: NormalisedTask
    families: tuple[FamilyResult, ...]
    top_configs: tuple[PastConfig, ...]

    @property
    def path(self) -> str:
        """Where a user can open this job."""
        return f"/v1/jobs/{self.job_id}"


class EvidenceStore:
    def catch_up(self, session: Session) -> int:
        """Record every ended job that has no evidence yet and no running trial; how many."""
        ended = [JobState.COMPLETED.value, JobState.FAILED.value, JobState.CANCELLED.value]
        running = select(TrialLeaseRow.job_id).where(
            TrialLeaseRow.state == TrialState.RUNNING.value
        )
        recorded = select(JobEvidenceRow.job_id)
        jobs = session.scalars(
            select(JobRow)
            .options(undefer(JobRow.advice))  # the evidence keeps its task
            .where(
                JobRow.state.in_(ended),
                JobRow.id.not_in(recorded),
                JobRow.id.not_in(running),
            )
        ).all()
        for job in jobs:
            session.add(self.evidence_of(session, job))
        session.flush()
        return len(jobs)

    def evidence_of(self, session: Session, job: JobRow) -> JobEvidenceRow:
        trials = session.scalars(
            select(TrialLeaseRow).where(
                TrialLeaseRow.job_id == job.id,
                TrialLeaseRow.state == TrialState.COMPLETE.value,
                TrialLeaseRow.value.is_not(None),
                # A trial that broke the job's constraints is never learned from.
                TrialLeaseRow.feasible.is_not(False),
            )
        ).all()
        sign = 1.0 if job.direction == "minimize" else -1.0
        scored = [(t, t.value) for t in trials if t.value is not None]
        scored.sort(key=lambda tv: (sign * tv[1], tv[0].number))
        ranked = [t for t, _ in scored]
        best: dict[str, tuple[float, int]] = {}
        for trial, value in scored:
            family = str(trial.study_params.get("optimizer", trial.params.get("optimizer")))
            first, count = best.get(family, (value, 0))
            best[family] = (first, count + 1)
        families = [
            {"family": family, "best": value, "rank": rank, "complete": count}
            for rank, (family, (value, count)) in enumerate(
                sorted(best.items(), key=lambda item: sign * item[1][0]), start=1
            )
        ]
        top = [
            {
                "trial_id": t.trial_id,
                "number": t.number,
                "value": t.value,
                "study_params": dict(t.study_params),
                "params": dict(t.params),
            }
            for t in ranked[:TOP_CONFIGS]
        ]
        return JobEvidenceRow(
            job_id=job.id,
            owner_token_id=job.owner_token_id,
            workload=job.workload,
            metric=job.metric,
            direction=job.direction,
            task=dict(job.advice.get("task", {})),
            families=families,
            top_configs=top,
            n_complete=len(ranked),
            recorded_at=utc_now(),
        )

    def past_jobs(
        self, session: Session, principal: Principal, *, everyone: bool = False
    ) -> list[PastJob]:
        """The evidence this principal may use, most recent first (jobs with no complete
        trial left out). ``everyone`` is honoured for admin principals only."""
        query = select(JobEvidenceRow).where(JobEvidenceRow.n_complete > 0)
        if not (everyone and principal.is_admin):
            if principal.token_id is None:
                query = query.where(JobEvidenceRow.owner_token_id.is_(None))
            else:
                query = query.where(JobEvidenceRow.owner_token_id == principal.token_id)
        rows = session.scalars(
            query.order_by(JobEvidenceRow.recorded_at.desc(), JobEvidenceRow.job_id).limit(RECENT)
        ).all()
        return [_past(row) for row in rows]


def _past(row: JobEvidenceRow) -> PastJob:
    return PastJob(
        job_id=row.job_id,
        workload=row.workload,
        metric=row.metric,
        direction=row.direction,
        task=NormalisedTask.model_validate(row.task),
        families=tuple(FamilyResult(**f) for f in row.families),
        top_configs=tuple(PastConfig(**c) for c in row.top_configs),
    )


def comparable(past: Sequence[PastJob], metric: str, direction: str) -> list[PastJob]:
    """Only jobs that optimised the same metric the same way say which config is better."""
    return [p for p in past if p.metric == metric and p.direction == direction]
