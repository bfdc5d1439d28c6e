"""A job's count of finished (complete or pruned) trials, kept on its row.

Every lease and completion compares it with the budget; counting the job's lease rows for it
cost time in proportion to the study's size (issue 12: a lease at 100k trials). Existing jobs
get the count from their rows.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tw_jobs") as batch:
        batch.add_column(
            sa.Column("finished_trials", sa.Integer(), nullable=False, server_default="0")
        )
    op.execute(
        "UPDATE tw_jobs SET finished_trials = (SELECT COUNT(*) FROM tw_trial_leases "
        "WHERE tw_trial_leases.job_id = tw_jobs.id "
        "AND tw_trial_leases.state IN ('complete', 'pruned'))"
    )


def downgrade() -> None:
    with op.batch_alter_table("tw_jobs") as batch:
        batch.drop_column("finished_trials")
