"""A trial's life after its lease: reports with prune verdicts, one completion; and leasing
for workers that name the workloads they can run."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response, status

from service.api.deps import Caller, Leases, Trials
from service.api.responses import NO_TRIAL_DUE, PROBLEMS
from service.schemas import (
    Completion,
    Lease,
    LeaseRenewal,
    Report,
    ReportVerdict,
    Trial,
    WorkerLeaseRequest,
)

router = APIRouter(prefix="/v1", tags=["trials"], responses=PROBLEMS)

TrialId = Annotated[int, Path(ge=0, le=2**62, description="Optuna's trial id")]


@router.post(
    "/leases",
    summary="Lease a trial of any open job running one of these workloads (204: none due)",
    responses=NO_TRIAL_DUE,
    response_model=Lease,
)
def lease_for_worker(
    request: WorkerLeaseRequest, caller: Caller, leases: Leases
) -> Lease | Response:
    lease = leases.lease_any(caller, request.workloads, request.worker)
    return lease if lease is not None else Response(status_code=status.HTTP_204_NO_CONTENT)


@router.get("/trials/{trial_id}", summary="One trial")
def get_trial(trial_id: TrialId, caller: Caller, trials: Trials) -> Trial:
    return trials.one(caller, trial_id)


@router.post("/trials/{trial_id}/report", summary="Report a step; renews the lease")
def report(trial_id: TrialId, body: Report, caller: Caller, leases: Leases) -> ReportVerdict:
    """Records the value at ``step`` and answers the job's pruner: stop early when
    ``should_prune`` is true, then complete with ``{"pruned": true}``."""
    return leases.report(caller, trial_id, body.step, body.value)


@router.post("/trials/{trial_id}/heartbeat", summary="Renew the lease without a new value")
def heartbeat(trial_id: TrialId, caller: Caller, leases: Leases) -> LeaseRenewal:
    """For epochs longer than a third of the lease: keeps the trial yours without adding a
    point to its curve. An expired lease gets 409, as a late report does."""
    return leases.heartbeat(caller, trial_id)


@router.post("/trials/{trial_id}/complete", summary="Finish the trial, exactly once")
def complete(trial_id: TrialId, body: Completion, caller: Caller, leases: Leases) -> Trial:
    """``{"value": v}``, ``{"pruned": true}`` or ``{"failed": "reason"}``; a second or late
    completion gets 409 and changes nothing."""
    return leases.complete(caller, trial_id, body)
