"""``tunewise.Client``: every v1 endpoint as a typed method, with timeouts and retries.

HTTP itself is the wire's :class:`~tunewise.wire.client.ServiceClient` (one attempt per call);
this layer adds where to find the API and its token, which calls are sent again after an
outage (see :mod:`tunewise.sdk.retrying`), and the job handles of :mod:`tunewise.sdk.jobs`.
Errors are the wire's: :class:`~tunewise.wire.errors.ServiceUnavailableError` after the last
retry, :class:`~tunewise.wire.errors.ServiceRejectedError` (``status``, ``code``, ``message``,
``field``) and its kinds for a refusal.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any, TypeVar

import httpx
from pydantic import SecretStr

from tunewise.sdk.jobs import TuningJob
from tunewise.sdk.once import exactly_once
from tunewise.sdk.retrying import Retrying
from tunewise.wire.advice import (
    Advice,
    Architecture,
    Domain,
    OptimizerName,
    Pruner,
    Regime,
    Sampler,
    TaskDescription,
)
from tunewise.wire.backoff import Backoff
from tunewise.wire.client import ServiceClient
from tunewise.wire.errors import ApiError
from tunewise.wire.models import (
    AdviceComparison,
    Best,
    Budget,
    CompletedAndLeased,
    Completion,
    Direction,
    Job,
    JobCreate,
    JobState,
    Lease,
    LeaseRenewal,
    Objective,
    Page,
    ParetoFront,
    Readiness,
    Recommendations,
    ReportItem,
    ReportResults,
    ReportVerdict,
    Trial,
    TrialState,
)

T = TypeVar("T")

#: Where ``tunewise serve`` (and ``make run``) answers by default.
DEFAULT_URL = "http://127.0.0.1:8000"


def default_token(data_dir: Path | None = None) -> SecretStr | None:
    """``TUNEWISE_API_TOKEN``, else the token ``tunewise serve`` wrote in its data folder
    (``TUNEWISE_DATA_DIR``, default ``.tunewise``): the same places the CLI looks."""
    given = os.environ.get("TUNEWISE_API_TOKEN")
    if given:
        return SecretStr(given)
    folder = data_dir or Path(os.environ.get("TUNEWISE_DATA_DIR", ".tunewise"))
    try:
        written = (folder / "token").read_text(encoding="utf-8").strip()
    except OSError:
        return None
    return SecretStr(written) if written else None


class Client:
    """A connection to one tunewise API.

    ``url`` defaults to ``TUNEWISE_API_URL`` (else http://127.0.0.1:8000) and ``token`` to
    :func:`default_token`. ``timeout_s`` bounds each HTTP attempt; ``retries`` is how many more
    attempts a call gets when the API is unreachable or answers 429/5xx. ``http``: an
    ``httpx.Client`` of your own (proxies, certificates, a test transport).
    """

    def __init__(
        self,
        url: str | None = None,
        token: str | SecretStr | None = None,
        *,
        timeout_s: float = 30.0,
        retries: int = 3,
        backoff: Backoff | None = None,
        http: httpx.Client | None = None,
    ) -> None:
        self.url = (url or os.environ.get("TUNEWISE_API_URL") or DEFAULT_URL).rstrip("/")
        secret = SecretStr(token) if isinstance(token, str) else token
        self._wire = ServiceClient(
            self.url, secret or default_token(), timeout_s=timeout_s, http=http
        )
        self._retrying = Retrying(retries, backoff or Backoff(initial=0.5, maximum=8.0))

    def close(self) -> None:
        self._wire.close()

    def __enter__(self) -> Client:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"tunewise.Client({self.url!r})"

    # -- jobs --------------------------------------------------------------------------------

    def submit(
        self,
        task: str | TaskDescription | dict[str, Any],
        *,
        workload: str | None = None,
        n_trials: int | None = None,
        max_epochs: int | None = None,
        timeout_s: float | None = None,
        metric: str = "val_loss",
        direction: Direction = "minimize",
        optimizers: Sequence[OptimizerName | str] | None = None,
        name: str | None = None,
        sampler: Sampler | None = None,
        pruner: Pruner | None = None,
        seed: int | None = None,
        **more: Any,
    ) -> TuningJob:
        """Creates a job from a task in words (or a TaskDescription). Without ``workload`` the
        job's trials are for your own loop: :meth:`TuningJob.optimize`. ``more``: any other
        JobCreate field (``priority``, ``warm_start``, ...)."""
        if isinstance(task, str):
            task = TaskDescription(description=task)
        spec = JobCreate.model_validate(
            {
                "task": task,
                "workload": workload,
                "objective": Objective(metric=metric, direction=direction),
                "budget": Budget(n_trials=n_trials, max_epochs=max_epochs, timeout_s=timeout_s),
                "optimizers": None if optimizers is None else tuple(optimizers),
                "name": name,
                "sampler": sampler,
                "pruner": pruner,
                "seed": seed,
                **more,
            }
        )
        return self.create_job(spec)

    def create_job(self, spec: JobCreate) -> TuningJob:
        # Sent again only when certainly not received: a lost answer could mean two jobs.
        job = self._call("create a job", lambda: self._wire.create_job(spec), idempotent=False)
        return TuningJob(self, job)

    def job(self, job_id: str) -> TuningJob:
        """A handle on an existing job (read now)."""
        return TuningJob(self, self.get_job(job_id))

    def get_job(self, job_id: str) -> Job:
        return self._call(f"read job {job_id}", lambda: self._wire.job(job_id))

    def jobs(
        self, *, state: JobState | str | None = None, limit: int = 50, offset: int = 0
    ) -> Page[Job]:
        """Newest first."""
        wanted = None if state is None else JobState(state)
        return self._call(
            "list jobs", lambda: self._wire.jobs(limit=limit, offset=offset, state=wanted)
        )

    def cancel_job(self, job_id: str) -> Job:
        return self._call(f"cancel job {job_id}", lambda: self._wire.cancel_job(job_id))

    def best(self, job_id: str) -> Best:
        """The job's best complete trial; a 404 ServiceRejectedError while there is none."""
        return self._call(f"read job {job_id}'s best", lambda: self._wire.best(job_id))

    def trials(
        self,
        job_id: str,
        *,
        state: TrialState | str | None = None,
        limit: int = 100,
        offset: int = 0,
    ) -> Page[Trial]:
        """One page of the job's trials, by number."""
        wanted = None if state is None else TrialState(state)
        return self._call(
            f"read job {job_id}'s trials",
            lambda: self._wire.trials(job_id, limit=limit, offset=offset, state=wanted),
        )

    def pareto(self, job_id: str) -> ParetoFront:
        """The job's feasible non-dominated trials, by its first objective."""
        return self._call(f"read job {job_id}'s front", lambda: self._wire.pareto(job_id))

    def trial(self, trial_id: int) -> Trial:
        return self._call(f"read trial {trial_id}", lambda: self._wire.trial(trial_id))

    # -- trials: leasing, reporting, completing -----------------------------------------------

    def lease(self, job_id: str, *, worker: str | None = None) -> Lease | None:
        """The job's next trial for your own loop; None when none is due now."""
        return self._call(
            f"lease from job {job_id}",
            lambda: self._wire.lease_job(job_id, worker),
            idempotent=False,
        )

    def lease_many(self, job_id: str, count: int, *, worker: str | None = None) -> list[Lease]:
        return self._call(
            f"lease from job {job_id}",
            lambda: self._wire.lease_job_many(job_id, count, worker),
            idempotent=False,
        )

    def worker_lease(
        self, workloads: Sequence[str], *, worker: str, count: int | None = None
    ) -> list[Lease]:
        """Trials of any open job running one of ``workloads`` (what ``tunewise worker``
        asks); empty when none is due."""

        def attempt() -> list[Lease]:
            if count is None:
                one = self._wire.lease(workloads, worker)
                return [] if one is None else [one]
            return self._wire.lease_many(workloads, worker, count)

        return self._call("lease for a worker", attempt, idempotent=False)

    def report(self, trial_id: int, step: int, value: float) -> ReportVerdict:
        # A step reported again keeps its first value, so resending is harmless.
        return self._call(
            f"report trial {trial_id}", lambda: self._wire.report(trial_id, step, value)
        )

    def report_many(self, reports: Sequence[ReportItem]) -> ReportResults:
        return self._call("report trials", lambda: self._wire.report_many(reports))

    def heartbeat(self, trial_id: int) -> LeaseRenewal:
        return self._call(f"renew trial {trial_id}", lambda: self._wire.heartbeat(trial_id))

    def complete(
        self,
        trial_id: int,
        value: float | None = None,
        *,
        values: Mapping[str, float] | None = None,
        pruned: bool = False,
        failed: str | None = None,
        retry: bool = True,
    ) -> Trial:
        """Finishes the trial exactly once: ``value`` (or ``values``, every metric a
        multi-objective or constrained job needs: the lease's ``metrics``), ``pruned=True`` or
        ``failed="why"`` (``retry=False``: these params are not worth another try). A late or
        second call raises :class:`~tunewise.wire.errors.TrialGoneError` (409)."""
        completion = Completion(
            value=value,
            values=None if values is None else dict(values),
            pruned=pruned,
            failed=failed,
            retry=retry,
        )
        return self._delivered_once(
            trial_id, completion, lambda: self._wire.complete(trial_id, completion), _same
        )

    def complete_and_lease(
        self,
        trial_id: int,
        completion: Completion,
        *,
        workloads: Sequence[str] | None = None,
        worker: str | None = None,
        count: int = 1,
    ) -> CompletedAndLeased:
        """``complete`` and the next lease in one round-trip (the same job's when no
        ``workloads``). If the answer was lost and the retry finds the completion already
        delivered, the leases of that lost answer are not known: none are returned, and they
        expire and are retried by the service."""

        def attempt() -> CompletedAndLeased:
            return self._wire.complete_and_lease(trial_id, completion, workloads, worker, count)

        def recognised(trial: Trial) -> CompletedAndLeased:
            return CompletedAndLeased(trial=trial, leases=())

        return self._delivered_once(trial_id, completion, attempt, recognised)

    # -- advice and the system routes --------------------------------------------------------

    def advice(self, task: str | TaskDescription | dict[str, Any]) -> Advice:
        """The advisor's answer for a task (no side effects)."""
        described = _task(task)
        return self._call("ask for advice", lambda: self._wire.advice(described))

    def learned_advice(
        self,
        task: str | TaskDescription | dict[str, Any],
        *,
        workload: str | None = None,
        metric: str = "val_loss",
        direction: Direction = "minimize",
        everyone: bool = False,
    ) -> AdviceComparison:
        """The static advice beside the one learned from your similar ended jobs."""
        described = _task(task)
        return self._call(
            "ask for learned advice",
            lambda: self._wire.learned_advice(
                described, workload=workload, metric=metric, direction=direction, everyone=everyone
            ),
        )

    def recommendations(
        self,
        *,
        description: str | None = None,
        domain: Domain | str | None = None,
        architecture: Architecture | str | None = None,
        regime: Regime | str | None = None,
        limit: int = 5,
    ) -> Recommendations:
        """Best-known configs for a kind of task; with neither ``description`` nor ``domain``,
        the best config of your most recent ended job of each kind."""
        return self._call(
            "read recommendations",
            lambda: self._wire.recommendations(
                description=description,
                domain=None if domain is None else Domain(domain),
                architecture=None if architecture is None else Architecture(architecture),
                regime=None if regime is None else Regime(regime),
                limit=limit,
            ),
        )

    def healthy(self) -> bool:
        """Whether the API process answers ``/healthz`` now (one attempt, no token)."""
        try:
            return self._wire.healthz()
        except ApiError:
            return False

    def readiness(self) -> Readiness:
        """``/readyz``: the database answers at the migrations' head (``status`` says)."""
        return self._call("check readiness", self._wire.readiness)

    def metrics(self) -> str:
        """``/metrics`` in Prometheus' text format."""
        return self._call("read metrics", self._wire.metrics)

    # -- plumbing ------------------------------------------------------------------------------

    def _call(self, what: str, attempt: Callable[[], T], *, idempotent: bool = True) -> T:
        return self._retrying.call(what, attempt, idempotent=idempotent)

    def _delivered_once(
        self,
        trial_id: int,
        completion: Completion,
        attempt: Callable[[], T],
        recognised: Callable[[Trial], T],
    ) -> T:
        once = exactly_once(self._wire, trial_id, completion, attempt, recognised)
        return self._call(f"complete trial {trial_id}", once)


def _same(trial: Trial) -> Trial:
    return trial


def _task(task: str | TaskDescription | dict[str, Any]) -> TaskDescription:
    if isinstance(task, str):
        return TaskDescription(description=task)
    return TaskDescription.model_validate(task)
