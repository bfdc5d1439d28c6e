"""A trial's life after its lease: reports with prune verdicts, one completion; and leasing
for workers that name the workloads they can run."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Response

from service.api.deps import Caller, Leases, Trials
from service.api.responses import NO_TRIAL_DUE, PROBLEMS, lease_answer
from service.errors import ServiceError
from tunewise.wire.models import (
    CompleteAndLease,
    CompletedAndLeased,
    Completion,
    CompletionBatch,
    CompletionOutcome,
    CompletionResults,
    ErrorDetail,
    Lease,
    LeaseRenewal,
    Report,
    ReportBatch,
    ReportOutcome,
    ReportResults,
    ReportVerdict,
    Trial,
    WorkerLeaseRequest,
)

router = APIRouter(prefix="/v1", tags=["trials"], responses=PROBLEMS)

TrialId = Annotated[int, Path(ge=0, le=2**62, description="Optuna's trial id")]


@router.post(
    "/leases",
    summary="Lease a trial (or up to `count`) of any open job running one of these workloads "
    "(204: none due)",
    responses=NO_TRIAL_DUE,
    response_model=Lease | list[Lease],
)
def lease_for_worker(
    request: WorkerLeaseRequest, caller: Caller, leases: Leases
) -> Lease | list[Lease] | Response:
    """Without ``count`` the answer is one Lease; with it, a list of up to ``count`` Leases
    of one job (those asked ahead, or one asked now)."""
    leased = leases.lease_any(caller, request.workloads, request.worker, request.count or 1)
    return lease_answer(leased, request.count)


@router.post(
    "/completions",
    summary="Several trials completed, each exactly once, and the next ones leased, in one "
    "round-trip",
)
def complete_many(body: CompletionBatch, caller: Caller, leases: Leases) -> CompletionResults:
    """Each completion as ``POST /v1/trials/{trial_id}/complete`` does it, all in one
    transaction; a refused one (expired, finished, not yours) answers its error in place and
    does not stop the others. With ``lease``, trials are then leased as
    ``complete-and-lease`` leases them (without ``workloads``: more of the first completed
    trial's job)."""
    answers, leased = leases.exchange(caller, body.completions, body.lease)
    results = []
    for item, answer in zip(body.completions, answers, strict=True):
        if isinstance(answer, ServiceError):
            error = ErrorDetail(code=answer.code, message=str(answer), field=answer.field)
            results.append(CompletionOutcome(trial_id=item.trial_id, error=error))
        else:
            results.append(CompletionOutcome(trial_id=item.trial_id, trial=answer))
    return CompletionResults(results=tuple(results), leases=tuple(leased))


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


@router.post(
    "/trials/{trial_id}/complete-and-lease",
    summary="Finish the trial, exactly once, and lease the next ones in the same round-trip",
)
def complete_and_lease(
    trial_id: TrialId, body: CompleteAndLease, caller: Caller, leases: Leases
) -> CompletedAndLeased:
    """``complete`` with ``completion``, then a lease as ``lease`` says (``workloads``: any
    open job, as ``POST /v1/leases``; without: the same job, as its ``lease``). ``leases`` is
    empty when no trial is due; a refused completion (409) leases nothing."""
    return leases.complete_and_lease(caller, trial_id, body.completion, body.lease)


@router.post("/reports", summary="Several trials' reports in one round-trip")
def report_many(body: ReportBatch, caller: Caller, leases: Leases) -> ReportResults:
    """Each report as ``POST /v1/trials/{trial_id}/report`` does it, in order; a refused one
    (expired, finished, not yours) answers its error in place and does not stop the others."""
    results = []
    for item in body.reports:
        try:
            verdict = leases.report(caller, item.trial_id, item.step, item.value)
        except ServiceError as exc:
            error = ErrorDetail(code=exc.code, message=str(exc), field=exc.field)
            results.append(ReportOutcome(trial_id=item.trial_id, error=error))
        else:
            results.append(ReportOutcome(trial_id=item.trial_id, verdict=verdict))
    return ReportResults(results=tuple(results))
