"""Running our Alembic migrations from code, with a Config built here rather than read from
alembic.ini: the scripts are found in the installed ``migrations`` package, so an installed
service (no source tree, no ini file) migrates its database the same way."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, pool, text

import migrations
from service.db.database import engine_options
from service.db.models import VERSION_TABLE

#: Any fixed number: PostgreSQL replicas starting together take turns at migrating.
_MIGRATION_LOCK_KEY = 0x7475_6E65


def alembic_config() -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations.__file__).parent))
    return config


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if head is None:
        raise RuntimeError("the migrations package has no revisions")
    return head


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def _migration_engine(url: str) -> Engine:
    return create_engine(url, poolclass=pool.NullPool, **_without_pool_sizes(url))


def _without_pool_sizes(url: str) -> dict[str, object]:
    options = engine_options(url, busy_timeout_s=60.0)
    return {k: v for k, v in options.items() if k not in ("pool_size", "max_overflow")}


def upgrade(url: str, revision: str = "head") -> None:
    _run(url, lambda config: command.upgrade(config, revision))


def downgrade(url: str, revision: str = "base") -> None:
    _run(url, lambda config: command.downgrade(config, revision))


def _run(url: str, step: Callable[[Config], None]) -> None:
    engine = _migration_engine(url)
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": _MIGRATION_LOCK_KEY}
                )
            config = alembic_config()
            config.attributes["connection"] = connection
            step(config)
    finally:
        engine.dispose()
