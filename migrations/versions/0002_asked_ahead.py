"""Trials asked ahead of their lease.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tw_asked_ahead",
        sa.Column("trial_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("params", sa.JSON(), nullable=False),
        sa.Column("study_params", sa.JSON(), nullable=False),
        sa.Column("warm_start", sa.String(length=200), nullable=True),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["tw_jobs.id"],
            name=op.f("fk_tw_asked_ahead_job_id_tw_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("trial_id", name=op.f("pk_tw_asked_ahead")),
    )
    op.create_index(op.f("ix_tw_asked_ahead_job_id_number"), "tw_asked_ahead", ["job_id", "number"])


def downgrade() -> None:
    op.drop_table("tw_asked_ahead")
