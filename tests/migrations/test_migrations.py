"""Our migrations, on SQLite and PostgreSQL: up from empty, down, up again; the models agree
with them; and Optuna's tables and its own ``alembic_version`` are left alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any

import optuna
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import create_engine, inspect, text

from service.db import TABLE_PREFIX, VERSION_TABLE, Base
from service.db.migrate import current_revision, downgrade, head_revision, upgrade

ROOT = Path(__file__).resolve().parents[2]
OUR_TABLES = {
    "tw_tokens",
    "tw_jobs",
    "tw_trial_leases",
    "tw_asked_ahead",
    "tw_dashboard_sessions",
}


def tables(url: str) -> set[str]:
    engine = create_engine(url)
    try:
        return set(inspect(engine).get_table_names())
    finally:
        engine.dispose()


def optuna_version(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            return str(connection.execute(text("SELECT version_num FROM alembic_version")).scalar())
    finally:
        engine.dispose()


def model_differences(url: str) -> list[Any]:
    engine = create_engine(url)

    def ours(obj: Any, name: str | None, type_: str, *_: Any) -> bool:
        table = name if type_ == "table" else getattr(getattr(obj, "table", None), "name", "")
        return str(table).startswith(TABLE_PREFIX) and table != VERSION_TABLE

    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(
                connection, opts={"include_object": ours, "compare_type": True}
            )
            return list(compare_metadata(context, Base.metadata))
    finally:
        engine.dispose()


def test_up_down_up_beside_optunas_tables(database_url: str) -> None:
    optuna.storages.RDBStorage(database_url).engine.dispose()  # Optuna's tables first
    optunas = optuna_version(database_url)
    optuna_tables = tables(database_url)

    upgrade(database_url)
    assert OUR_TABLES | {VERSION_TABLE} <= tables(database_url)
    engine = create_engine(database_url)
    assert current_revision(engine) == head_revision()
    assert model_differences(database_url) == []

    downgrade(database_url)
    assert tables(database_url) & OUR_TABLES == set()
    assert current_revision(engine) is None
    assert model_differences(database_url) != [], "the comparison sees missing tables"
    upgrade(database_url)
    assert current_revision(engine) == head_revision()
    engine.dispose()

    assert model_differences(database_url) == []
    assert optuna_tables <= tables(database_url)
    assert optuna_version(database_url) == optunas, "Optuna's version table is Optuna's"


def test_alembic_upgrade_head_works_from_the_repository_root(database_url: str) -> None:
    alembic = Path(sys.executable).with_name("alembic")
    result = subprocess.run(
        [str(alembic), "-x", f"url={database_url}", "upgrade", "head"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    check = subprocess.run(
        [str(alembic), "-x", f"url={database_url}", "check"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    assert tables(database_url) >= OUR_TABLES
    assert "alembic_version" not in tables(database_url), "ours is tw_alembic_version"
