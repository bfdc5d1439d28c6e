"""Which open job a worker's lease goes to: a fair share of the workers for every running job.

Served first come, first served, one long job held every worker while a later job (often
another user's) waited for it to end. Instead a lease goes first to the owner (token) that
holds the fewest running trials across their jobs, then to that owner's job that holds the
fewest, then to the oldest. With W workers, two users' jobs each hold about W/2 of them; a
user with two jobs splits their half between them. Because the share counts running trials
(the workers a job holds now), not trials leased so far, a job of short trials and one of long
trials each hold the same number of workers.

The counts are read without locks: two replicas leasing at the same instant may both pick the
same job, which the next lease evens out. Correctness (no trial leased twice, the budget
exact) is the job lock's business in service.leases, not this ordering's.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from service.db import JobRow, TrialLeaseRow
from tunewise.wire.models import TrialState


@dataclass(frozen=True)
class Candidate:
    """An open job a worker could lease from, and how many trials it has running now."""

    job_id: str
    owner: int | None
    created_at: datetime
    running: int
    #: JobCreate.priority: orders this owner's jobs only.
    priority: int = 0


def fair_order(candidates: Sequence[Candidate]) -> list[str]:
    """Job ids in the order a lease should try them: least-served owner, then that owner's
    job of highest priority, then the least-served, then the oldest (ties keep first come,
    first served)."""
    by_owner: Counter[int | None] = Counter()
    for candidate in candidates:
        by_owner[candidate.owner] += candidate.running
    ranked = sorted(
        candidates,
        key=lambda c: (by_owner[c.owner], -c.priority, c.running, c.created_at, c.job_id),
    )
    return [candidate.job_id for candidate in ranked]


def jobs_in_fair_order(session: Session, query: Select[str]) -> list[str]:
    """The ids that ``query`` (a filtered ``select(JobRow.id)``) selects, in fair order.

    Two small reads: the candidate jobs, and the running trials grouped by job (served by the
    (state, expires_at) index, so it costs the number of running trials, not the study size).
    """
    rows = session.execute(
        query.add_columns(JobRow.owner_token_id, JobRow.created_at, JobRow.priority)
    ).all()
    if not rows:
        return []
    ids = [row[0] for row in rows]
    counted = session.execute(
        select(TrialLeaseRow.job_id, func.count())
        .where(TrialLeaseRow.state == TrialState.RUNNING.value, TrialLeaseRow.job_id.in_(ids))
        .group_by(TrialLeaseRow.job_id)
    )
    running: dict[str, int] = {job_id: count for job_id, count in counted}
    return fair_order(
        [
            Candidate(job_id, owner, created_at, running.get(job_id, 0), priority)
            for job_id, owner, created_at, priority in rows
        ]
    )
