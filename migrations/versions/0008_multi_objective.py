"""Multi-objective and constrained jobs (issue 13): a job's objectives and constraints, and a
trial's reported metrics and feasibility. All nullable: existing jobs have one objective and
no constraints, and their trials reported one value.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tw_jobs") as batch:
        batch.add_column(sa.Column("objectives", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("constraints", sa.JSON(), nullable=True))
    with op.batch_alter_table("tw_trial_leases") as batch:
        batch.add_column(sa.Column("metrics", sa.JSON(), nullable=True))
        batch.add_column(sa.Column("feasible", sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tw_trial_leases") as batch:
        batch.drop_column("feasible")
        batch.drop_column("metrics")
    with op.batch_alter_table("tw_jobs") as batch:
        batch.drop_column("constraints")
        batch.drop_column("objectives")
