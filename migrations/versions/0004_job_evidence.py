"""Evidence from ended jobs, for warm starts and learned advice (service.evidence).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tw_job_evidence",
        sa.Column("job_id", sa.String(length=32), nullable=False),
        sa.Column("owner_token_id", sa.Integer(), nullable=True),
        sa.Column("workload", sa.String(length=100), nullable=True),
        sa.Column("metric", sa.String(length=100), nullable=False),
        sa.Column("direction", sa.String(length=8), nullable=False),
        sa.Column("task", sa.JSON(), nullable=False),
        sa.Column("families", sa.JSON(), nullable=False),
        sa.Column("top_configs", sa.JSON(), nullable=False),
        sa.Column("n_complete", sa.Integer(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["tw_jobs.id"],
            name=op.f("fk_tw_job_evidence_job_id_tw_jobs"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["owner_token_id"],
            ["tw_tokens.id"],
            name=op.f("fk_tw_job_evidence_owner_token_id_tw_tokens"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("job_id", name=op.f("pk_tw_job_evidence")),
    )
    op.create_index(
        op.f("ix_tw_job_evidence_owner_token_id_recorded_at"),
        "tw_job_evidence",
        ["owner_token_id", "recorded_at"],
    )


def downgrade() -> None:
    op.drop_index(
        op.f("ix_tw_job_evidence_owner_token_id_recorded_at"), table_name="tw_job_evidence"
    )
    op.drop_table("tw_job_evidence")
