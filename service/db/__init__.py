"""Storage: our tables (SQLAlchemy models), units of work, and Alembic from code."""

from service.db.database import Database, enable_wal, engine_options, tune_sqlite
from service.db.models import (
    TABLE_PREFIX,
    VERSION_TABLE,
    AskedAheadRow,
    Base,
    DashboardSessionRow,
    JobEvidenceRow,
    JobRow,
    TokenRow,
    TrialLeaseRow,
)

__all__ = [
    "TABLE_PREFIX",
    "VERSION_TABLE",
    "AskedAheadRow",
    "Base",
    "DashboardSessionRow",
    "Database",
    "JobEvidenceRow",
    "JobRow",
    "TokenRow",
    "TrialLeaseRow",
    "enable_wal",
    "engine_options",
    "tune_sqlite",
]
