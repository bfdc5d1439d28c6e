"""Dashboard sessions (issue 15, part 9): the browser's cookie holds a random session id, no
longer the API token; the id's sha256 is kept here with its expiry and the token that signed
in, so signing out or revoking that token ends the session.

Revision ID: 0007
Revises: 0005
Create Date: 2026-12-02
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "tw_dashboard_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("token_id", sa.Integer(), nullable=True),
        sa.Column("env_token_hash", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["token_id"],
            ["tw_tokens.id"],
            name=op.f("fk_tw_dashboard_sessions_token_id_tw_tokens"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_tw_dashboard_sessions")),
    )
    op.create_index(
        op.f("ix_tw_dashboard_sessions_expires_at"), "tw_dashboard_sessions", ["expires_at"]
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_tw_dashboard_sessions_expires_at"), table_name="tw_dashboard_sessions")
    op.drop_table("tw_dashboard_sessions")
