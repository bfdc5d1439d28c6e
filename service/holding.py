"""Who may touch a leased trial, and whether it is still live: the checks every call on a
lease makes before changing it (service.leases)."""

from __future__ import annotations

from service.auth import Principal
from service.db import JobRow, TrialLeaseRow
from service.errors import AlreadyFinishedError, LeaseExpiredError, NotFoundError
from service.outcomes import LEASE_EXPIRED
from tunewise.wire.models import TokenScope, TrialState


def missing_trial(trial_id: int) -> NotFoundError:
    return NotFoundError(f"no leased trial {trial_id}", field="trial_id")


def check_live(principal: Principal, job: JobRow, lease: TrialLeaseRow) -> None:
    """Refuses a trial this principal may not touch, or one that already ended."""
    if not _may_hold(principal, job, lease):
        raise missing_trial(lease.trial_id)
    if lease.state != TrialState.RUNNING.value:
        if lease.reason and lease.reason.startswith(LEASE_EXPIRED):
            raise LeaseExpiredError(
                f"trial {lease.number} of job {job.id}: {lease.reason}", field="trial_id"
            )
        detail = f": {lease.reason}" if lease.reason else ""
        raise AlreadyFinishedError(
            f"trial {lease.number} of job {job.id} already ended as {lease.state}{detail}; "
            "a trial completes exactly once",
            field="trial_id",
        )


def _may_hold(principal: Principal, job: JobRow, lease: TrialLeaseRow) -> bool:
    if principal.is_admin:
        return True
    if principal.scope is TokenScope.WORKER:
        return lease.token_id == principal.token_id
    return job.owner_token_id == principal.token_id
