"""A typed client for every v1 endpoint: the calls a worker makes, the ones ``tunewise submit``
and ``tunewise jobs`` make, and the rest the SDK (``tunewise.sdk``) offers. One HTTP attempt
per call; retrying is the caller's policy (the worker's backoff, the SDK's own), because only
the caller knows what waiting costs.

Errors are sorted by what to do next: :class:`ServiceUnavailableError` (wait and retry),
:class:`NotAuthorizedError`, :class:`TrialGoneError` (the trial is not ours any more) and
:class:`ServiceRejectedError` (any other refusal, with the service's own message).
"""

from __future__ import annotations

from collections.abc import Sequence
from enum import StrEnum
from typing import Any, TypeVar

import httpx
from pydantic import BaseModel, RootModel, SecretStr, ValidationError

from advisor.advice import Advice
from advisor.task import Architecture, Domain, Regime, TaskDescription
from tunewise.wire.errors import (
    NotAuthorizedError,
    ServiceRejectedError,
    ServiceUnavailableError,
    TrialGoneError,
)
from tunewise.wire.models import (
    AdviceComparison,
    Best,
    CompleteAndLease,
    CompletedAndLeased,
    Completion,
    CompletionBatch,
    CompletionItem,
    CompletionResults,
    Direction,
    Job,
    JobCreate,
    JobLeaseRequest,
    JobState,
    Lease,
    LeaseRenewal,
    NextLease,
    Page,
    ParetoFront,
    Readiness,
    Recommendations,
    Report,
    ReportBatch,
    ReportItem,
    ReportResults,
    ReportVerdict,
    Trial,
    TrialState,
    WorkerLeaseRequest,
)

ModelT = TypeVar("ModelT", bound=BaseModel)


class _LeaseList(RootModel[tuple[Lease, ...]]):
    """The answer of a lease call that named a ``count``."""


#: Statuses that say "not now" rather than "no": overloaded, restarting, behind a proxy.
RETRYABLE_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})
#: Statuses that say the request was not acted on (RFC 9110 §15.6.4, RFC 6585 §4), so even an
#: exactly-once call may be sent again; a 500, 502 or 504 may come after the work was done.
NOT_PROCESSED_STATUSES = frozenset({425, 429, 503})
#: Transport failures before a byte of the request could reach the API.
NEVER_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


class ServiceClient:
    """Speaks to one API with one token. ``http`` may be any ``httpx.Client`` (tests pass
    Starlette's TestClient, which is one); by default a client with ``timeout_s``."""

    def __init__(
        self,
        api_url: str,
        token: SecretStr | None,
        *,
        timeout_s: float = 30.0,
        http: httpx.Client | None = None,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self._token = token
        self._http = http or httpx.Client(timeout=timeout_s)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> ServiceClient:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    # -- worker calls ------------------------------------------------------------------------

    def lease(self, workloads: Sequence[str], worker: str) -> Lease | None:
        """The next trial of any running job with one of ``workloads``; None when none is due."""
        body = WorkerLeaseRequest(workloads=tuple(workloads), worker=worker)
        response = self._send("POST", "/v1/leases", body)
        if response.status_code == 204:
            return None
        return _parse(Lease, response)

    def lease_many(self, workloads: Sequence[str], worker: str, count: int) -> list[Lease]:
        """Up to ``count`` trials of one running job with one of ``workloads``; empty when none
        is due."""
        body = WorkerLeaseRequest(workloads=tuple(workloads), worker=worker, count=count)
        response = self._send("POST", "/v1/leases", body)
        if response.status_code == 204:
            return []
        return list(_parse(_LeaseList, response).root)

    def complete_and_lease(
        self,
        trial_id: int,
        completion: Completion,
        workloads: Sequence[str] | None,
        worker: str | None,
        count: int = 1,
    ) -> CompletedAndLeased:
        """``complete`` and the next lease in one round-trip; the completion is exactly once,
        as with :meth:`complete` (a refused one raises :class:`TrialGoneError`, leasing
        nothing). ``workloads`` None leases more of the completed trial's own job (a client
        with its own loop)."""
        body = CompleteAndLease(
            completion=completion,
            lease=NextLease(
                workloads=None if workloads is None else tuple(workloads),
                worker=worker,
                count=count,
            ),
        )
        path = f"/v1/trials/{trial_id}/complete-and-lease"
        return _parse(CompletedAndLeased, self._send("POST", path, body, trial=True))

    def complete_many(
        self,
        completions: Sequence[tuple[int, Completion]],
        following: NextLease | None = None,
    ) -> CompletionResults:
        """Several trials completed (each exactly once: a refused one answers its error in
        its place) and, with ``following``, the next ones leased, in one round-trip."""
        items = tuple(CompletionItem(trial_id=t, completion=c) for t, c in completions)
        body = CompletionBatch(completions=items, lease=following)
        return _parse(CompletionResults, self._send("POST", "/v1/completions", body))

    def report_many(self, reports: Sequence[ReportItem]) -> ReportResults:
        """Several trials' reports in one round-trip; each answers a verdict or its error."""
        body = ReportBatch(reports=tuple(reports))
        return _parse(ReportResults, self._send("POST", "/v1/reports", body))

    def report(self, trial_id: int, step: int, value: float) -> ReportVerdict:
        """One intermediate value: the service renews the lease and answers the prune verdict."""
        body = Report(step=step, value=value)
        response = self._send("POST", f"/v1/trials/{trial_id}/report", body, trial=True)
        return _parse(ReportVerdict, response)

    def heartbeat(self, trial_id: int) -> LeaseRenewal:
        """Renews the lease without a new value (long epochs, a long first epoch included)."""
        response = self._send("POST", f"/v1/trials/{trial_id}/heartbeat", None, trial=True)
        return _parse(LeaseRenewal, response)

    def complete(self, trial_id: int, completion: Completion) -> Trial:
        """Exactly once: a second or late call is refused with :class:`TrialGoneError`."""
        response = self._send("POST", f"/v1/trials/{trial_id}/complete", completion, trial=True)
        return _parse(Trial, response)

    # -- job calls (submit, jobs) ------------------------------------------------------------

    def create_job(self, job: JobCreate) -> Job:
        return _parse(Job, self._send("POST", "/v1/jobs", job))

    def job(self, job_id: str) -> Job:
        return _parse(Job, self._send("GET", f"/v1/jobs/{job_id}"))

    def jobs(self, *, limit: int = 50, offset: int = 0, state: JobState | None = None) -> Page[Job]:
        """Newest first."""
        params = _page_params(limit, offset, state)
        return _parse(Page[Job], self._send("GET", "/v1/jobs", params=params))

    def cancel_job(self, job_id: str) -> Job:
        """Stops leasing; running trials may still finish. Cancelling an ended job is refused."""
        return _parse(Job, self._send("POST", f"/v1/jobs/{job_id}/cancel"))

    def recommendations(
        self,
        *,
        description: str | None = None,
        domain: Domain | None = None,
        architecture: Architecture | None = None,
        regime: Regime | None = None,
        limit: int = 5,
    ) -> Recommendations:
        """Best-known configs for a kind of task (give ``description`` or ``domain``)."""
        given: dict[str, Any] = {
            "description": description,
            "domain": domain,
            "architecture": architecture,
            "regime": regime,
            "limit": limit,
        }
        params = {name: value for name, value in given.items() if value is not None}
        response = self._send("GET", "/v1/recommendations", params=params)
        return _parse(Recommendations, response)

    def trials(
        self, job_id: str, *, limit: int = 100, offset: int = 0, state: TrialState | None = None
    ) -> Page[Trial]:
        """By trial number."""
        params = _page_params(limit, offset, state)
        response = self._send("GET", f"/v1/jobs/{job_id}/trials", params=params)
        return _parse(Page[Trial], response)

    def pareto(self, job_id: str) -> ParetoFront:
        """The feasible non-dominated trials, by first objective."""
        return _parse(ParetoFront, self._send("GET", f"/v1/jobs/{job_id}/pareto"))

    def best(self, job_id: str) -> Best:
        """The best complete trial so far; 404 while there is none."""
        return _parse(Best, self._send("GET", f"/v1/jobs/{job_id}/best"))

    def trial(self, trial_id: int) -> Trial:
        return _parse(Trial, self._send("GET", f"/v1/trials/{trial_id}"))

    # -- a client with its own training loop -------------------------------------------------

    def lease_job(self, job_id: str, worker: str | None = None) -> Lease | None:
        """The job's next trial; None when none is due (budget in flight or used up, job
        ended)."""
        body = JobLeaseRequest(worker=worker)
        response = self._send("POST", f"/v1/jobs/{job_id}/lease", body)
        if response.status_code == 204:
            return None
        return _parse(Lease, response)

    def lease_job_many(self, job_id: str, count: int, worker: str | None = None) -> list[Lease]:
        """Up to ``count`` of the job's trials at once; empty when none is due."""
        body = JobLeaseRequest(worker=worker, count=count)
        response = self._send("POST", f"/v1/jobs/{job_id}/lease", body)
        if response.status_code == 204:
            return []
        return list(_parse(_LeaseList, response).root)

    # -- advice and the system routes --------------------------------------------------------

    def advice(self, task: TaskDescription) -> Advice:
        return _parse(Advice, self._send("POST", "/v1/advice", task))

    def learned_advice(
        self,
        task: TaskDescription,
        *,
        workload: str | None = None,
        metric: str = "val_loss",
        direction: Direction = "minimize",
        everyone: bool = False,
    ) -> AdviceComparison:
        """The static advice beside the one learned from the caller's similar ended jobs."""
        params: dict[str, Any] = {"learned": "true", "metric": metric, "direction": direction}
        if workload is not None:
            params["workload"] = workload
        if everyone:
            params["everyone"] = "true"
        response = self._send("POST", "/v1/advice", task, params=params)
        return _parse(AdviceComparison, response)

    def healthz(self) -> bool:
        """Whether the process answers (no token needed)."""
        return self._send("GET", "/healthz").status_code == 200

    def readiness(self) -> Readiness:
        """Whether the database answers at the migrations' head; a not-ready API answers 503
        with this same body, which is returned rather than raised."""
        return _parse(Readiness, self._send("GET", "/readyz", answers={503}))

    def metrics(self) -> str:
        """The Prometheus text exposition."""
        return self._send("GET", "/metrics").text

    # -- plumbing ------------------------------------------------------------------------------

    def _send(
        self,
        method: str,
        path: str,
        body: BaseModel | None = None,
        *,
        params: dict[str, Any] | None = None,
        trial: bool = False,
        answers: frozenset[int] | set[int] = frozenset(),
    ) -> httpx.Response:
        """One attempt; ``answers`` are error statuses whose body is the answer."""
        headers = {}
        if self._token is not None:
            headers["Authorization"] = f"Bearer {self._token.get_secret_value()}"
        content = body.model_dump_json(exclude_defaults=True) if body is not None else None
        if content is not None:
            headers["Content-Type"] = "application/json"
        try:
            response = self._http.request(
                method, self.api_url + path, content=content, headers=headers, params=params
            )
        except httpx.TransportError as exc:
            raise ServiceUnavailableError(
                f"{self.api_url}: {type(exc).__name__}: {exc}",
                not_processed=isinstance(exc, NEVER_SENT),
            ) from exc
        status = response.status_code
        if status < 400 or status in answers:
            return response
        code, message, field = _error_of(response)
        if status in RETRYABLE_STATUSES:
            raise ServiceUnavailableError(
                f"{self.api_url} answered {status} {code}: {message}",
                status=status,
                not_processed=status in NOT_PROCESSED_STATUSES,
                retry_after_s=_retry_after(response),
            )
        if status in (401, 403):
            hint = (
                "check the API token" if self._token else "no token given: set TUNEWISE_API_TOKEN"
            )
            raise NotAuthorizedError(status, code, f"{message} ({hint})")
        if trial and status in (404, 409):
            raise TrialGoneError(status, code, message, field)
        raise ServiceRejectedError(status, code, message, field)


def _retry_after(response: httpx.Response) -> float | None:
    """``Retry-After`` in seconds; its HTTP-date form is rare enough to ignore."""
    try:
        return max(0.0, float(response.headers["Retry-After"]))
    except (KeyError, ValueError):
        return None


def _page_params(limit: int, offset: int, state: StrEnum | None) -> dict[str, Any]:
    params: dict[str, Any] = {"limit": limit, "offset": offset}
    if state is not None:
        params["state"] = state.value
    return params


def _error_of(response: httpx.Response) -> tuple[str, str, str | None]:
    """The service's ``{"error": {"code", "message", "field"}}``, or what a proxy in between
    said."""
    try:
        detail = response.json()["error"]
        field = detail.get("field")
        return str(detail["code"]), str(detail["message"]), None if field is None else str(field)
    except (ValueError, KeyError, TypeError, AttributeError):
        return "http_error", response.text[:200] or response.reason_phrase, None


def _parse(model: type[ModelT], response: httpx.Response) -> ModelT:
    try:
        return model.model_validate_json(response.content)
    except ValidationError as exc:
        # A different API version, or something else answering at that address.
        raise ServiceRejectedError(
            response.status_code,
            "unexpected_response",
            f"{response.request.url} answered something that is not a {model.__name__}: {exc}",
        ) from exc
