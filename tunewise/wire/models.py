"""The HTTP wire models of the v1 API.

Imports pydantic and ``advisor`` only: workers and clients import this module to speak to the
service without pulling in its storage, so it must stay light.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Annotated, Any, Generic, Literal, Self, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_serializer,
    field_validator,
    model_validator,
)

from advisor.advice import Advice, Pruner, RationaleItem, Sampler
from advisor.families import OptimizerName
from advisor.task import Architecture, Domain, Regime, TaskDescription
from tunewise.wire.dimensions import (
    CategoricalDimension,
    Dimensions,
    FloatDimension,
    IntDimension,
    TrialParams,
    UserDimension,
)

__all__ = [
    "Best",
    "Budget",
    "CategoricalDimension",
    "Completion",
    "Constraint",
    "Direction",
    "ErrorBody",
    "ErrorDetail",
    "FloatDimension",
    "IntDimension",
    "IntermediateValue",
    "Job",
    "JobCreate",
    "JobLeaseRequest",
    "JobState",
    "Lease",
    "LeaseRenewal",
    "Objective",
    "Page",
    "ParetoFront",
    "Progress",
    "Readiness",
    "Recommendation",
    "Recommendations",
    "Report",
    "ReportVerdict",
    "TaskKind",
    "TokenScope",
    "Trial",
    "TrialParams",
    "TrialState",
    "UserDimension",
    "WorkerLeaseRequest",
]

Direction = Literal["minimize", "maximize"]
StudyParamValue = float | int | str | bool

#: A workload's registered name (never code or a path): letters, digits and ``_ . : -``.
WorkloadName = Annotated[
    str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.:\-]*$")
]
#: Who is asking for work, for people reading the trial list: e.g. "gpu-box-3:4121".
WorkerLabel = Annotated[str, Field(min_length=1, max_length=200)]
#: Strict: JSON ``true`` is not the number 1 (pydantic's lax mode would take it).
FiniteFloat = Annotated[float, Field(allow_inf_nan=False, strict=True)]


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    COMPLETED = "completed"
    CANCELLED = "cancelled"
    FAILED = "failed"

    @property
    def is_open(self) -> bool:
        """Whether the job may still hand out trials."""
        return self in (JobState.QUEUED, JobState.RUNNING)


class TrialState(StrEnum):
    RUNNING = "running"
    COMPLETE = "complete"
    PRUNED = "pruned"
    FAILED = "failed"

    @property
    def is_finished(self) -> bool:
        """Finished trials use up a job's budget; failed ones are retried instead."""
        return self in (TrialState.COMPLETE, TrialState.PRUNED)


class TokenScope(StrEnum):
    #: Everything, every job.
    ADMIN = "admin"
    #: Its own jobs: create, read, cancel, and run their trials with its own loop.
    USER = "user"
    #: Lease from any job and report or complete the trials it leased; cannot read jobs.
    WORKER = "worker"


class _Wire(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


#: Optimizer families, each at most once (``uniqueItems`` tells the schema's readers so).
FamilyList = Annotated[
    tuple[OptimizerName, ...],
    Field(min_length=1, max_length=32, json_schema_extra={"uniqueItems": True}),
]


def _array_property(name: str) -> dict[str, Any]:
    return {"properties": {name: {"type": "array"}}}


def _both_given(first: str, second: str, shape: dict[str, Any]) -> dict[str, Any]:
    """JSON Schema for "both fields given, neither null", to forbid with ``not``."""
    return {"required": [first, second], "properties": {first: shape, second: shape}}


class Objective(_Wire):
    #: The name of the metric the values reported for a trial measure, e.g. "val_loss".
    metric: Annotated[str, Field(min_length=1, max_length=100)] = "val_loss"
    direction: Direction = "minimize"


#: How many objectives a job may have: a front over more is mostly non-dominated trials.
MAX_OBJECTIVES = 3
MAX_CONSTRAINTS = 8


class Constraint(_Wire):
    """A bound on a reported metric: exactly one of ``max`` (feasible when value <= max) or
    ``min`` (feasible when value >= min)."""

    # _one_bound, for the schema's readers.
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {"required": [bound], "properties": {bound: {"type": "number"}}}
                for bound in ("max", "min")
            ]
        }
    )

    metric: Annotated[str, Field(min_length=1, max_length=100)]
    max: FiniteFloat | None = None
    min: FiniteFloat | None = None

    @model_validator(mode="after")
    def _one_bound(self) -> Self:
        if (self.max is None) == (self.min is None):
            raise ValueError(
                f"constraint on {self.metric!r}: give exactly one of max or min, "
                'e.g. {"metric": "train_seconds", "max": 60}'
            )
        return self

    def violation(self, value: float) -> float:
        """Optuna's convention: <= 0 when satisfied, else by how much it is exceeded."""
        if self.max is not None:
            return value - self.max
        assert self.min is not None
        return self.min - value

    def describe(self) -> str:
        """``train_seconds<=60``: the form the CLI takes."""
        if self.max is not None:
            return f"{self.metric}<={self.max:g}"
        return f"{self.metric}>={self.min:g}"


class Budget(_Wire):
    #: Finished (complete or pruned) trials to run; the advice's plan when not given.
    n_trials: Annotated[int, Field(ge=1, le=100_000)] | None = None
    #: Stop handing out trials this many seconds after the first lease.
    timeout_s: Annotated[float, Field(gt=0, le=366 * 86_400, allow_inf_nan=False)] | None = None
    #: Passed to each lease: how many epochs a trial trains at most.
    max_epochs: Annotated[int, Field(ge=1, le=100_000)] | None = None


class JobCreate(_Wire):
    # Stricter than _distinct_objectives, which lets a default ``objective`` pass beside
    # ``objectives``: the schema asks for one of the two.
    model_config = ConfigDict(
        json_schema_extra={
            "allOf": [
                {"not": _both_given("families", "optimizers", {"type": "array"})},
                {"not": {"required": ["objective", "objectives"], **_array_property("objectives")}},
            ]
        }
    )

    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    task: TaskDescription
    #: A registered workload that workers can run, or null when the client brings its own loop.
    workload: WorkloadName | None = None
    objective: Objective = Objective()
    #: Several objectives (1-3, distinct metrics) searched for their trade-off; the old
    #: ``objective`` then stays unset. One here means the same as ``objective``.
    objectives: (
        Annotated[tuple[Objective, ...], Field(min_length=1, max_length=MAX_OBJECTIVES)] | None
    ) = None
    #: Bounds a trial must meet to count as feasible (never ``best``, never on the front).
    constraints: Annotated[tuple[Constraint, ...], Field(max_length=MAX_CONSTRAINTS)] = ()
    budget: Budget = Budget()
    #: Restrict the search to these families (each must be one the advice has a candidate for);
    #: the Job answers them under the same name.
    families: FamilyList | None = None
    #: The old name of ``families``, still accepted: the answer then carries a ``Deprecation``
    #: header. Never sent back (``exclude``), so a model read from old JSON sends ``families``.
    optimizers: Annotated[
        FamilyList | None,
        Field(deprecated="the old name of 'families'; send 'families'", exclude=True),
    ] = None
    sampler: Sampler | None = None
    pruner: Pruner | None = None
    #: Stored in a 32-bit signed integer column (PostgreSQL INTEGER).
    seed: Annotated[int, Field(ge=0, le=2**31 - 1)] | None = None
    #: Which of the same owner's running jobs workers serve first (higher first). It orders
    #: one owner's jobs only: it never takes workers from another owner's jobs.
    priority: Annotated[int, Field(ge=-100, le=100)] = 0
    #: Learn from the owner's similar ended jobs (service.evidence): their best configs first,
    #: family order and lr ranges updated, every change in the advice's rationale.
    warm_start: bool = True
    #: Whose ended jobs to learn from: the caller's own, or (admin tokens only) everyone's.
    warm_start_from: Literal["own", "all"] = "own"
    #: The user's own dimensions, searched beside the advised optimizer space and passed in
    #: each lease's params: {"dropout": {"type": "float", "low": 0, "high": 0.5}, ...}.
    dimensions: Dimensions = Field(default_factory=dict)

    @model_validator(mode="before")
    @classmethod
    def _old_family_name(cls, data: Any) -> Any:
        if isinstance(data, dict) and data.get("optimizers") is not None:
            if data.get("families") is not None:
                raise ValueError("give 'families' only: 'optimizers' is its deprecated old name")
            data = {**data, "families": data["optimizers"]}
        return data

    @field_validator("families", "optimizers")
    @classmethod
    def _distinct(
        cls, families: tuple[OptimizerName, ...] | None
    ) -> tuple[OptimizerName, ...] | None:
        if families is not None and len(set(families)) != len(families):
            raise ValueError("lists a family more than once")
        return families

    @field_validator("objectives")
    @classmethod
    def _distinct_objectives(
        cls, objectives: tuple[Objective, ...] | None, info: ValidationInfo
    ) -> tuple[Objective, ...] | None:
        if objectives is None:
            return None
        if info.data.get("objective", Objective()) != Objective():
            raise ValueError(
                "give either objective (one) or objectives (1-3), not both; "
                "objectives=[objective] means the same"
            )
        _refuse_repeats([o.metric for o in objectives], "objective")
        return objectives

    @field_validator("constraints")
    @classmethod
    def _distinct_constraints(cls, constraints: tuple[Constraint, ...]) -> tuple[Constraint, ...]:
        _refuse_repeats([c.metric for c in constraints], "constraint")
        return constraints

    @property
    def all_objectives(self) -> tuple[Objective, ...]:
        """The objectives, normalised: ``objective`` alone means one."""
        return self.objectives or (self.objective,)


def _refuse_repeats(metrics: list[str], what: str) -> None:
    repeated = sorted({m for m in metrics if metrics.count(m) > 1})
    if repeated:
        raise ValueError(f"each {what} needs its own metric; repeated: {', '.join(repeated)}")


class Progress(_Wire):
    """Trial counts per state; ``finished`` (complete + pruned) is what ``n_trials`` counts."""

    running: int
    complete: int
    pruned: int
    failed: int
    finished: int
    n_trials: int


class Best(_Wire):
    trial_id: int
    number: int
    #: The first objective's value.
    value: float
    #: Every metric the trial reported, when it reported several.
    values: dict[str, float] | None = None
    params: TrialParams

    @field_serializer("params")
    def _ready_config(self, params: TrialParams) -> dict[str, Any]:
        return params.model_dump(mode="json", exclude_none=True)


class Job(_Wire):
    id: str
    name: str
    state: JobState
    workload: str | None
    #: The Optuna study: ``optuna.load_study(study_name=..., storage=<database URL>)`` opens it.
    study_name: str
    #: The first of ``objectives`` (what single-objective clients read).
    objective: Objective
    #: All objectives, in the study's order (1-3).
    objectives: tuple[Objective, ...] = ()
    constraints: tuple[Constraint, ...] = ()
    budget: Budget
    families: tuple[OptimizerName, ...]
    sampler: Sampler
    pruner: Pruner
    seed: int | None
    priority: int = 0
    #: The user's own dimensions searched beside the advised space ({} when none).
    dimensions: Dimensions = Field(default_factory=dict)
    progress: Progress
    best: Best | None
    advice: Advice
    created_at: datetime
    started_at: datetime | None
    ended_at: datetime | None
    #: Why the job ended, in words (budget reached, timeout, cancelled, too many failures).
    ended_reason: str | None


class IntermediateValue(_Wire):
    step: int
    value: float


class Trial(_Wire):
    #: Optuna's trial id: the same number in Optuna's own tools.
    id: int
    number: int
    job_id: str
    state: TrialState
    #: The flat, ready config this trial trains with (what its lease carried).
    params: TrialParams
    #: The same point as Optuna's study records it, per family: {"optimizer": "adamw",
    #: "adamw.lr": 0.0003, ...}.
    study_params: dict[str, StudyParamValue]
    value: float | None
    #: Every metric the trial reported ({"val_loss": 0.1, "train_seconds": 12.5, ...}).
    values: dict[str, float] | None = None
    #: Whether it met the job's constraints; None without constraints or before it completes.
    feasible: bool | None = None
    reason: str | None
    intermediate: tuple[IntermediateValue, ...]
    #: 0 for a first try; n for the n-th retry of a trial whose lease expired or that failed.
    attempt: int
    #: Set when the trial was enqueued from the advisor's defaults rather than sampled.
    warm_start: str | None
    worker: str | None
    leased_at: datetime
    lease_expires_at: datetime | None
    finished_at: datetime | None

    @field_serializer("params")
    def _ready_config(self, params: TrialParams) -> dict[str, Any]:
        return params.model_dump(mode="json", exclude_none=True)


#: Trials one lease call may ask for. Absent: one trial, answered as a single Lease (the shape
#: of v1's first clients); given: a list of up to that many Leases.
MAX_LEASE_COUNT = 64
LeaseCount = Annotated[int, Field(ge=1, le=MAX_LEASE_COUNT)]


class JobLeaseRequest(_Wire):
    """Optional body of ``POST /v1/jobs/{job_id}/lease``."""

    worker: WorkerLabel | None = None
    #: Lease up to this many trials at once; the answer is then a list.
    count: LeaseCount | None = None


class WorkerLeaseRequest(_Wire):
    """Body of ``POST /v1/leases``: the workloads this worker can run."""

    workloads: Annotated[tuple[WorkloadName, ...], Field(min_length=1, max_length=200)]
    worker: WorkerLabel | None = None
    #: Lease up to this many trials at once; the answer is then a list.
    count: LeaseCount | None = None


class Lease(_Wire):
    trial_id: int
    number: int
    job_id: str
    workload: str | None
    #: The flat, ready config: {"optimizer": "adamw", "lr": 3e-4, "weight_decay": 0.05, ...}.
    params: TrialParams
    max_epochs: int | None
    objective: Objective
    lease_expires_at: datetime
    attempt: int
    #: The metrics this trial's completion must give in ``values`` (a multi-objective or
    #: constrained job: its objectives, then its constrained metrics); empty: ``value`` will do.
    metrics: tuple[str, ...] = ()

    @field_serializer("params")
    def _ready_config(self, params: TrialParams) -> dict[str, Any]:
        return params.model_dump(mode="json", exclude_none=True)


class Report(_Wire):
    #: Pruners assume steps start at 0 (usually the epoch).
    step: Annotated[int, Field(ge=0, le=10**9)]
    #: A finite number: a run that diverged completes with {"failed": "..."} instead.
    value: FiniteFloat


class ReportVerdict(_Wire):
    should_prune: bool
    lease_expires_at: datetime


class LeaseRenewal(_Wire):
    """The answer to a heartbeat: the lease now lasts until then."""

    lease_expires_at: datetime


class Completion(_Wire):
    """Exactly one of: ``{"value": v}`` (and/or ``{"values": {metric: v}}``),
    ``{"pruned": true}`` or ``{"failed": "reason"}``. A multi-objective or constrained job
    needs ``values`` with every objective and constrained metric."""

    # The same rule as _exactly_one_outcome, for the schema's readers: exactly one of these
    # holds (a null value, values or failed, and a false pruned, count as not given).
    model_config = ConfigDict(
        json_schema_extra={
            "oneOf": [
                {
                    "anyOf": [
                        {"required": ["value"], "properties": {"value": {"type": "number"}}},
                        {"required": ["values"], "properties": {"values": {"type": "object"}}},
                    ]
                },
                {"required": ["pruned"], "properties": {"pruned": {"const": True}}},
                {"required": ["failed"], "properties": {"failed": {"type": "string"}}},
            ]
        }
    )

    value: FiniteFloat | None = None
    values: Annotated[dict[str, FiniteFloat], Field(min_length=1, max_length=64)] | None = None
    pruned: bool = False
    failed: Annotated[str, Field(min_length=1, max_length=2000)] | None = None
    #: For ``failed``: whether the same params are worth another try (false for divergence).
    retry: bool = True

    @model_validator(mode="after")
    def _exactly_one_outcome(self) -> Self:
        given = [
            self.value is not None or self.values is not None,
            self.pruned,
            self.failed is not None,
        ]
        if sum(given) != 1:
            raise ValueError(
                'give exactly one of {"value": <number>}, {"pruned": true} or '
                '{"failed": "<reason>"}'
            )
        return self


class ParetoFront(_Wire):
    """``GET /v1/jobs/{job_id}/pareto``: the complete, feasible trials no other such trial
    beats on every objective, ordered by the first objective (best first)."""

    objectives: tuple[Objective, ...]
    constraints: tuple[Constraint, ...]
    trials: tuple[Trial, ...]


class NextLease(_Wire):
    """What to lease once a trial is completed: trials of any open job with one of
    ``workloads`` (a worker), or, without ``workloads``, more of the completed trial's job (a
    client with its own loop)."""

    workloads: Annotated[tuple[WorkloadName, ...], Field(min_length=1, max_length=200)] | None = (
        None
    )
    worker: WorkerLabel | None = None
    count: LeaseCount = 1


class CompleteAndLease(_Wire):
    """Body of ``POST /v1/trials/{trial_id}/complete-and-lease``: one round-trip per trial."""

    completion: Completion
    lease: NextLease


class CompletedAndLeased(_Wire):
    """The completed trial (exactly once, as ``complete`` answers it) and the trials leased
    next: up to the count asked for, none when none is due."""

    trial: Trial
    leases: tuple[Lease, ...]


class ReportItem(_Wire):
    """One report of a batch: a step of one leased trial."""

    #: Optuna keeps trial ids in a 32-bit integer column.
    trial_id: Annotated[int, Field(ge=0, le=2**31 - 1)]
    step: Annotated[int, Field(ge=0, le=10**9)]
    value: FiniteFloat


class ReportBatch(_Wire):
    """Body of ``POST /v1/reports``: several trials' reports in one round-trip."""

    reports: Annotated[tuple[ReportItem, ...], Field(min_length=1, max_length=MAX_LEASE_COUNT)]


class ReportOutcome(_Wire):
    """One answer of a batch, in the order asked: a verdict, or why the report was refused
    (the trial is no longer this worker's: its ``code`` is the error a single report gets)."""

    trial_id: int
    verdict: ReportVerdict | None = None
    error: ErrorDetail | None = None


class ReportResults(_Wire):
    results: tuple[ReportOutcome, ...]


ItemT = TypeVar("ItemT", bound=BaseModel)


class Page(_Wire, Generic[ItemT]):
    items: tuple[ItemT, ...]
    total: int
    limit: int
    offset: int


class TaskKind(_Wire):
    domain: Domain | None
    architecture: Architecture | None
    regime: Regime | None


class Recommendation(_Wire):
    config: TrialParams
    #: "job": the best trial of a finished job; "advisor": the advisor's default.
    source: Literal["job", "advisor"]
    #: Where it came from, in words a person can follow up.
    detail: str
    job_id: str | None = None
    trial_id: int | None = None
    value: float | None = None
    metric: str | None = None
    direction: Direction | None = None

    @field_serializer("config")
    def _ready_config(self, config: TrialParams) -> dict[str, Any]:
        return config.model_dump(mode="json", exclude_none=True)


class Recommendations(_Wire):
    kind: TaskKind
    items: tuple[Recommendation, ...]
    #: What the answer is when it is not the usual one (e.g. no task kind was given).
    notes: tuple[str, ...] = ()


class SimilarJob(_Wire):
    """An ended job the learned advice drew on (service.evidence.similarity)."""

    job_id: str
    #: Where to open it: ``/v1/jobs/{job_id}``.
    path: str
    similarity: Annotated[float, Field(ge=0, le=1)]
    why: str


class LearnedWarmStart(_Wire):
    """A past job's config that a new job would try first (study params, re-validated)."""

    label: str
    job_id: str
    value: float
    params: dict[str, float | int | str | bool]


class AdviceComparison(_Wire):
    """``POST /v1/advice?learned=true``: the static advice and the learned one side by side.
    ``changes`` lists every difference, each with the jobs it came from; with no similar job it
    is empty and ``learned`` equals ``static``."""

    static: Advice
    learned: Advice
    changes: tuple[RationaleItem, ...]
    warm_starts: tuple[LearnedWarmStart, ...]
    similar_jobs: tuple[SimilarJob, ...]


class ErrorDetail(_Wire):
    #: Stable, machine-readable: not_found, conflict, lease_expired, invalid_input, ...
    code: str
    message: str
    #: The request field at fault, dotted ("budget.n_trials"), when one is.
    field: str | None = None


class ErrorBody(_Wire):
    error: ErrorDetail


class Readiness(_Wire):
    status: Literal["ready", "unavailable"]
    database: bool
    migrations: str


class CompletionItem(_Wire):
    """One completion of a batch: a leased trial and how it ended."""

    #: Optuna keeps trial ids in a 32-bit integer column.
    trial_id: Annotated[int, Field(ge=0, le=2**31 - 1)]
    completion: Completion


class CompletionBatch(_Wire):
    """Body of ``POST /v1/completions``: several trials completed (each exactly once) and,
    with ``lease``, the next ones leased, in one round-trip and one transaction: a worker
    finishing a batch of short trials."""

    # _something_to_do's first and last rules, for the schema's readers.
    model_config = ConfigDict(
        json_schema_extra={
            "anyOf": [
                {"properties": {"completions": {"minItems": 1}}},
                {
                    "required": ["lease"],
                    "properties": {
                        "lease": {
                            "type": "object",
                            "required": ["workloads"],
                            "properties": {"workloads": {"type": "array"}},
                        }
                    },
                },
            ]
        }
    )

    completions: Annotated[tuple[CompletionItem, ...], Field(max_length=MAX_LEASE_COUNT)]
    lease: NextLease | None = None

    @model_validator(mode="after")
    def _something_to_do(self) -> Self:
        if not self.completions and self.lease is None:
            raise ValueError('give "completions", a "lease", or both')
        ids = [item.trial_id for item in self.completions]
        if len(set(ids)) != len(ids):
            raise ValueError("each trial_id may appear once in completions")
        if not self.completions and self.lease is not None and self.lease.workloads is None:
            raise ValueError(
                'a lease without "workloads" leases more of the completed trials\' job: '
                'give "completions" too, or name the "workloads"'
            )
        return self


class CompletionOutcome(_Wire):
    """One answer of a batch, in the order asked: the finished trial, or why its completion
    was refused (the error a single ``complete`` gets; nothing changed for that trial)."""

    trial_id: int
    trial: Trial | None = None
    error: ErrorDetail | None = None


class CompletionResults(_Wire):
    results: tuple[CompletionOutcome, ...]
    #: Up to the count asked for, none when none is due (or no ``lease`` was asked).
    leases: tuple[Lease, ...]
