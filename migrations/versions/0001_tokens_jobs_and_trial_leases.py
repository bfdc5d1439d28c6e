"""Tokens, jobs and trial leases.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "tw_tokens",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("key_id", sa.String(length=32), nullable=False),
        sa.Column("secret_hash", sa.String(length=64), nullable=False),
        sa.Column("scope", sa.String(length=16), nullable=False),
        sa.Column("label", sa.String(length=200), nullable=True),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("revoked_at", _utc(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tw_tokens")),
        sa.UniqueConstraint("key_id", name=op.f("uq_tw_tokens_key_id")),
    )
    op.create_table(
        "tw_jobs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("owner_token_id", sa.Integer(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("workload", sa.String(length=100), nullable=True),
        sa.Column("study_name", sa.String(length=200), nullable=False),
        sa.Column("metric", sa.String(length=100), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("n_trials", sa.Integer(), nullable=False),
        sa.Column("timeout_s", sa.Float(), nullable=True),
        sa.Column("max_epochs", sa.Integer(), nullable=True),
        sa.Column("sampler", sa.String(length=32), nullable=False),
        sa.Column("pruner", sa.String(length=32), nullable=False),
        sa.Column("seed", sa.Integer(), nullable=True),
        sa.Column("families", sa.JSON(), nullable=False),
        sa.Column("task_domain", sa.String(length=32), nullable=True),
        sa.Column("task_architecture", sa.String(length=32), nullable=True),
        sa.Column("task_regime", sa.String(length=32), nullable=True),
        sa.Column("advice", sa.JSON(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.Column("started_at", _utc(), nullable=True),
        sa.Column("ended_at", _utc(), nullable=True),
        sa.Column("ended_reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["owner_token_id"],
            ["tw_tokens.id"],
            name=op.f("fk_tw_jobs_owner_token_id_tw_tokens"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_tw_jobs")),
        sa.UniqueConstraint("study_name", name=op.f("uq_tw_jobs_study_name")),
    )
    op.create_index(op.f("ix_tw_jobs_owner_token_id"), "tw_jobs", ["owner_token_id"])
    op.create_index(op.f("ix_tw_jobs_state_created_at"), "tw_jobs", ["state", "created_at"])
    op.create_table(
        "tw_trial_leases",
        sa.Column("trial_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("study_params", sa.JSON(), nullable=False),
        sa.Column("warm_start", sa.String(length=200), nullable=True),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("worker", sa.String(length=200), nullable=True),
        sa.Column("leased_at", _utc(), nullable=False),
        sa.Column("expires_at", _utc(), nullable=True),
        sa.Column("finished_at", _utc(), nullable=True),
        sa.Column("value", sa.Float(), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["tw_jobs.id"],
            name=op.f("fk_tw_trial_leases_job_id_tw_jobs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["tw_tokens.id"],
            name=op.f("fk_tw_trial_leases_token_id_tw_tokens"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("trial_id", name=op.f("pk_tw_trial_leases")),
    )
    op.create_index(
        op.f("ix_tw_trial_leases_job_id_number"),
        "tw_trial_leases",
        ["job_id", "number"],
        unique=True,
    )
    op.create_index(
        op.f("ix_tw_trial_leases_job_id_state_value"),
        "tw_trial_leases",
        ["job_id", "state", "value"],
    )
    op.create_index(
        op.f("ix_tw_trial_leases_state_expires_at"), "tw_trial_leases", ["state", "expires_at"]
    )


def downgrade() -> None:
    op.drop_table("tw_trial_leases")
    op.drop_table("tw_jobs")
    op.drop_table("tw_tokens")
