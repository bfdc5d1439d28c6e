"""A job's own search dimensions (JobCreate.dimensions), searched beside the advised space.
Nullable: existing jobs searched the optimizer space alone.

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("tw_jobs") as batch:
        batch.add_column(sa.Column("dimensions", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("tw_jobs") as batch:
        batch.drop_column("dimensions")
