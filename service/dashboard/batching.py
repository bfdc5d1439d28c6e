"""Whether a job's trials were trained in batches, for its page.

A batched worker (``tunewise worker --batch K``, ``workers.agent.batched``) leases under the
name ``"<name> [batch K]"``, and every trial one lease call hands out is recorded with the
same worker and the same ``leased_at``. So, from the lease rows alone: which trials went to
batched workers, their largest K, and the most trials one call leased together.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import TrialLeaseRow

#: The suffix ``workers.agent.batched.batch_label`` gives a batched worker's name.
_BATCH_LABEL = re.compile(r" \[batch (\d+)\]$")


def batch_of(worker: str | None) -> int | None:
    """K of a worker name that says "[batch K]"; None for a worker that trains one at a time."""
    found = _BATCH_LABEL.search(worker or "")
    return int(found.group(1)) if found else None


@dataclass(frozen=True)
class Batching:
    #: Trials leased by batched workers, of all the job's leased trials.
    trials: int
    total: int
    #: The largest K of those workers.
    largest: int
    #: The most trials that one lease call handed to a batched worker.
    leased_together: int


def batching_of(session: Session, job_id: str) -> Batching | None:
    """None when no trial of the job went to a batched worker."""
    rows = session.execute(
        select(TrialLeaseRow.worker, TrialLeaseRow.leased_at).where(TrialLeaseRow.job_id == job_id)
    ).all()
    batched = [(worker, leased_at) for worker, leased_at in rows if batch_of(worker) is not None]
    if not batched:
        return None
    calls = Counter(batched)
    return Batching(
        trials=len(batched),
        total=len(rows),
        largest=max(batch_of(worker) or 1 for worker, _ in batched),
        leased_together=max(calls.values()),
    )
