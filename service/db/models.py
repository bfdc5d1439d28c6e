"""Our tables, beside Optuna's in the same database. Every name starts with ``tw_`` so the two
schemas never collide; Optuna's trials are referred to by Optuna's trial id."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

TABLE_PREFIX = "tw_"
#: Our Alembic version table; Optuna keeps its own in ``alembic_version``.
VERSION_TABLE = f"{TABLE_PREFIX}alembic_version"

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python, whatever the database keeps (SQLite keeps naive)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: pass timezone-aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class TokenRow(Base):
    __tablename__ = f"{TABLE_PREFIX}tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    #: The public half of a token ("tw_<key_id>_<secret>"), used to find its row.
    key_id: Mapped[str] = mapped_column(String(32), unique=True)
    #: sha256 of the secret half, hex; the secret itself is never stored.
    secret_hash: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(16))
    label: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class JobRow(Base):
    __tablename__ = f"{TABLE_PREFIX}jobs"
    __table_args__ = (Index(None, "state", "created_at"), Index(None, "owner_token_id"))

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Null for jobs created with the environment's admin token or with auth off.
    owner_token_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{TABLE_PREFIX}tokens.id", ondelete="SET NULL")
    )
    state: Mapped[str] = mapped_column(String(16))
    workload: Mapped[str | None] = mapped_column(String(100))
    study_name: Mapped[str] = mapped_column(String(200), unique=True)
    metric: Mapped[str] = mapped_column(String(100))
    direction: Mapped[str] = mapped_column(String(8))
    n_trials: Mapped[int] = mapped_column(Integer)
    timeout_s: Mapped[float | None] = mapped_column(Float)
    max_epochs: Mapped[int | None] = mapped_column(Integer)
    sampler: Mapped[str] = mapped_column(String(32))
    pruner: Mapped[str] = mapped_column(String(32))
    seed: Mapped[int | None] = mapped_column(Integer)
    #: JobCreate.priority: orders one owner's running jobs for workers (service.scheduling).
    priority: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    families: Mapped[list[str]] = mapped_column(JSON)
    #: A multi-objective job's objectives ([{"metric", "direction"}, ...]; metric and direction
    #: above are the first); null for one objective (migration 0008).
    objectives: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    #: The job's constraints ([{"metric", "max"|"min"}, ...]); null for none.
    constraints: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON)
    #: The kind of task (from the advice's normalised task), for recommendations.
    task_domain: Mapped[str | None] = mapped_column(String(32))
    task_architecture: Mapped[str | None] = mapped_column(String(32))
    task_regime: Mapped[str | None] = mapped_column(String(32))
    #: Deferred: tens of kilobytes of JSON (the rules' rationale and sources) that only a
    #: job's view and its study's first load read; every lease and completion loads the row.
    advice: Mapped[dict[str, Any]] = mapped_column(JSON, deferred=True)
    #: The user's own dimensions as JobCreate gave them (migration 0009); null when none.
    dimensions: Mapped[dict[str, Any] | None] = mapped_column(JSON, nullable=True)
    consecutive_failures: Mapped[int] = mapped_column(Integer, default=0)
    #: Complete and pruned trials (what the budget counts), kept here so that checking the
    #: budget does not count the job's lease rows (migration 0005).
    finished_trials: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    started_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    ended_reason: Mapped[str | None] = mapped_column(Text)


class TrialLeaseRow(Base):
    """One leased Optuna trial: who holds it until when, and how it ended."""

    __tablename__ = f"{TABLE_PREFIX}trial_leases"
    __table_args__ = (
        Index(None, "job_id", "number", unique=True),
        Index(None, "job_id", "state", "value"),
        Index(None, "state", "expires_at"),
    )

    #: Optuna's trial id.
    trial_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    job_id: Mapped[str] = mapped_column(ForeignKey(f"{TABLE_PREFIX}jobs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[str] = mapped_column(String(16))
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    study_params: Mapped[dict[str, Any]] = mapped_column(JSON)
    warm_start: Mapped[str | None] = mapped_column(String(200))
    token_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{TABLE_PREFIX}tokens.id", ondelete="SET NULL")
    )
    worker: Mapped[str | None] = mapped_column(String(200))
    leased_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    value: Mapped[float | None] = mapped_column(Float)
    #: Every metric the completion reported ({metric: number}), when it gave ``values``.
    metrics: Mapped[dict[str, float] | None] = mapped_column(JSON)
    #: Whether it met the job's constraints; null without constraints or when not complete.
    feasible: Mapped[bool | None] = mapped_column(Boolean)
    reason: Mapped[str | None] = mapped_column(Text)


class AskedAheadRow(Base):
    """A trial asked ahead for a job and not leased yet: running in Optuna, held by no one."""

    __tablename__ = f"{TABLE_PREFIX}asked_ahead"
    __table_args__ = (Index(None, "job_id", "number"),)

    #: Optuna's trial id.
    trial_id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    job_id: Mapped[str] = mapped_column(ForeignKey(f"{TABLE_PREFIX}jobs.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    attempt: Mapped[int] = mapped_column(Integer, default=0)
    params: Mapped[dict[str, Any]] = mapped_column(JSON)
    study_params: Mapped[dict[str, Any]] = mapped_column(JSON)
    warm_start: Mapped[str | None] = mapped_column(String(200))
    asked_at: Mapped[datetime] = mapped_column(UTCDateTime())


class JobEvidenceRow(Base):
    """What one ended job showed about its kind of task (service.evidence): written once, when
    the job has ended and no trial of it is still running; read by later jobs of the same owner."""

    __tablename__ = f"{TABLE_PREFIX}job_evidence"
    __table_args__ = (Index(None, "owner_token_id", "recorded_at"),)

    job_id: Mapped[str] = mapped_column(
        ForeignKey(f"{TABLE_PREFIX}jobs.id", ondelete="CASCADE"), primary_key=True
    )
    #: The job's owner, copied so evidence is filtered by owner without a join.
    owner_token_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{TABLE_PREFIX}tokens.id", ondelete="SET NULL")
    )
    workload: Mapped[str | None] = mapped_column(String(100))
    metric: Mapped[str] = mapped_column(String(100))
    direction: Mapped[str] = mapped_column(String(8))
    #: The task as the advisor understood it (NormalisedTask as JSON).
    task: Mapped[dict[str, Any]] = mapped_column(JSON)
    #: Per family that completed a trial: {family, best, rank, complete}, best family first.
    families: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    #: The best complete trials, best first: {trial_id, number, value, study_params}.
    top_configs: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    n_complete: Mapped[int] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class DashboardSessionRow(Base):
    """A dashboard sign-in. The browser's cookie holds a random session id; only its sha256 is
    kept here. It ends at ``expires_at``, on sign-out (``ended_at``), or when the token that
    signed in is revoked or deleted."""

    __tablename__ = f"{TABLE_PREFIX}dashboard_sessions"
    __table_args__ = (Index(None, "expires_at"),)

    #: sha256 of the session id, hex.
    id_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    #: The token that signed in; null for the environment's token (then ``env_token_hash``).
    token_id: Mapped[int | None] = mapped_column(
        ForeignKey(f"{TABLE_PREFIX}tokens.id", ondelete="CASCADE")
    )
    #: sha256 of the environment's token that signed in: the session ends if it changes.
    env_token_hash: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
