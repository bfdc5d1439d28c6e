"""``tunewise serve`` and ``tunewise token``."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import click

from tunewise.wire.models import TokenScope


def _settings(**given: Any) -> Any:
    from service.settings import ServiceSettings

    # Options left unset fall back to TUNEWISE_* variables, then to the defaults.
    return ServiceSettings(**{k: v for k, v in given.items() if v is not None})


@click.command(help="Start the API (and local workers).")
@click.option("--host", default=None, help="Interface to bind [default: 127.0.0.1].")
@click.option("--port", type=click.IntRange(0, 65535), default=None, help="[default: 8000]")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Holds tunewise.db and the token file [default: .tunewise].",
)
@click.option(
    "--workers",
    type=click.IntRange(0, 256),
    default=None,
    help="Local worker processes beside the API; 0 runs the API alone "
    "[default: one per visible GPU, else one].",
)
@click.option(
    "--api-processes",
    type=click.IntRange(1, 64),
    default=None,
    help="API processes sharing the port, so the service uses that many cores [default: 1].",
)
@click.option(
    "--lease-seconds",
    type=click.FloatRange(min=1),
    default=None,
    help="How long a trial's lease lasts without a report [default: 300].",
)
@click.option(
    "--database-url",
    default=None,
    help="SQLAlchemy URL (e.g. postgresql+psycopg://...); SQLite in the data dir if unset.",
)
@click.option(
    "--no-auth",
    is_flag=True,
    default=False,
    help="Accept requests without a token (loopback binds only).",
)
@click.option("--log-level", default=None, help="uvicorn log level [default: info].")
def serve(
    *,
    host: str | None,
    port: int | None,
    data_dir: Path | None,
    workers: int | None,
    api_processes: int | None,
    lease_seconds: float | None,
    database_url: str | None,
    no_auth: bool,
    log_level: str | None,
) -> None:
    from service.errors import ConfigurationError
    from service.server import run_server
    from tunewise.local_workers import local_workers

    settings = _settings(
        host=host,
        port=port,
        data_dir=data_dir,
        workers=workers,
        api_processes=api_processes,
        lease_seconds=lease_seconds,
        database_url=database_url,
        auth=False if no_auth else None,
        log_level=log_level,
    )
    # The supervisor's "started local worker" lines go to the console beside uvicorn's.
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    try:
        run_server(
            settings,
            announce=click.echo,
            # Local workers talk to the API over loopback HTTP exactly as remote ones do.
            alongside=lambda info: local_workers(info.url, info.token, settings.workers),
        )
    except ConfigurationError as exc:
        click.echo(f"tunewise serve: {exc.message}", err=True)
        sys.exit(2)


@click.group(help="Manage API tokens.")
def token() -> None:
    pass


@token.command("create", help="Create a token and print it once (it cannot be shown again).")
@click.option(
    "--scope",
    type=click.Choice([s.value for s in TokenScope]),
    default=TokenScope.USER.value,
    show_default=True,
    help="admin: everything; user: its own jobs; worker: lease and report trials.",
)
@click.option("--label", default=None, help="A note on who or what holds it.")
@click.option("--data-dir", type=click.Path(file_okay=False, path_type=Path), default=None)
@click.option("--database-url", default=None)
def create_token(
    *, scope: str, label: str | None, data_dir: Path | None, database_url: str | None
) -> None:
    from service.auth import issue_token
    from service.db import Database
    from service.db.migrate import upgrade

    settings = _settings(data_dir=data_dir, database_url=database_url)
    url = settings.resolved_database_url()
    upgrade(url)
    database = Database(url)
    try:
        with database.unit_of_work() as session:
            secret = issue_token(session, TokenScope(scope), label)
    finally:
        database.dispose()
    click.echo(secret.get_secret_value())
