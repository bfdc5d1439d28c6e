"""The service's one settings object: read once (environment prefix ``TUNEWISE_``, then the
command line's overrides) and handed to the app factory, never read from globals."""

from __future__ import annotations

import ipaddress
from pathlib import Path
from typing import Annotated

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

DATABASE_FILE = "tunewise.db"
TOKEN_FILE = "token"


class ServiceSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TUNEWISE_", frozen=True, extra="ignore")

    #: Holds the embedded SQLite database and the first-start token file.
    data_dir: Path = Path(".tunewise")
    #: A SQLAlchemy URL, e.g. postgresql+psycopg://user:pw@host/db; SQLite under data_dir if unset.
    database_url: SecretStr | None = None
    host: str = "127.0.0.1"
    port: Annotated[int, Field(ge=0, le=65535)] = 8000
    #: Local worker processes beside the API: 0 for the API alone, None for the default (one
    #: per visible GPU, else one CPU worker).
    workers: Annotated[int, Field(ge=0, le=256)] | None = None
    #: API processes serving the one socket (each its own interpreter, so the service uses
    #: that many cores); they coordinate through the database as replicas do.
    api_processes: Annotated[int, Field(ge=1, le=64)] = 1
    #: How long a lease lasts without a report; each report renews it.
    lease_seconds: Annotated[float, Field(gt=0, le=7 * 86_400)] = 300.0
    #: How often expired leases are swept in the background (they are also swept on each lease).
    sweep_interval_s: Annotated[float, Field(gt=0, le=3600)] = 5.0
    #: Retries of one set of params after its trial failed or its lease expired.
    max_retries: Annotated[int, Field(ge=0, le=100)] = 2
    #: A job fails after this many trials in a row failed with nothing finished between them.
    max_consecutive_failures: Annotated[int, Field(ge=1, le=10_000)] = 10
    #: Request bodies larger than this get 413.
    max_body_bytes: Annotated[int, Field(ge=1024, le=64 * 2**20)] = 2**20
    #: Accepted as an admin token when set; otherwise serve creates one at first start.
    api_token: SecretStr | None = None
    #: Off only for loopback binds: serve refuses a non-loopback host without auth.
    auth: bool = True
    #: Seconds a SQLite connection waits for a lock before giving up.
    sqlite_busy_timeout_s: Annotated[float, Field(gt=0, le=600)] = 30.0
    log_level: str = "info"

    def resolved_database_url(self) -> str:
        if self.database_url is not None:
            return self.database_url.get_secret_value()
        return f"sqlite:///{(self.data_dir / DATABASE_FILE).resolve()}"

    @property
    def token_path(self) -> Path:
        return self.data_dir / TOKEN_FILE

    @property
    def binds_loopback_only(self) -> bool:
        return is_loopback(self.host)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
