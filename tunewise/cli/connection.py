"""How the commands that talk to the API find it and its token, and how its refusals become
messages with exit statuses rather than tracebacks."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import click
from pydantic import SecretStr

from tunewise.sdk.client import default_token
from tunewise.wire.client import ServiceClient
from tunewise.wire.errors import (
    NotAuthorizedError,
    ServiceRejectedError,
    ServiceUnavailableError,
)

DEFAULT_API = "http://127.0.0.1:8000"


def _find_token(token: str | None, data_dir: Path) -> SecretStr | None:
    """--token or TUNEWISE_API_TOKEN, else the token ``tunewise serve`` wrote at first start."""
    # click has read TUNEWISE_API_TOKEN into ``token`` already; the file is the SDK's lookup.
    return SecretStr(token) if token else default_token(data_dir)


@contextmanager
def connect(api_url: str, token: str | None, data_dir: Path) -> Iterator[ServiceClient]:
    """A client, with the API's refusals turned into messages and exit statuses."""
    client = ServiceClient(api_url, _find_token(token, data_dir), timeout_s=30.0)
    try:
        yield client
    except ServiceUnavailableError as exc:
        raise click.ClickException(
            f"cannot reach the API at {api_url} ({exc}); is `tunewise serve` running there?"
        ) from exc
    except NotAuthorizedError as exc:
        raise click.ClickException(
            f"the API refused the token: {exc.message}. Pass --token, set TUNEWISE_API_TOKEN, "
            f"or point --data-dir at the folder `tunewise serve` keeps its token in."
        ) from exc
    except ServiceRejectedError as exc:
        raise click.UsageError(f"the API refused the request: {exc.message}") from exc
    finally:
        client.close()


def api_options(command: Callable[..., Any]) -> Callable[..., Any]:
    command = click.option(
        "--data-dir",
        type=click.Path(file_okay=False, path_type=Path),
        envvar="TUNEWISE_DATA_DIR",
        default=Path(".tunewise"),
        show_default=True,
        help="Where `tunewise serve` keeps its token (used when no token is given).",
    )(command)
    command = click.option("--token", envvar="TUNEWISE_API_TOKEN", default=None, help="API token.")(
        command
    )
    return click.option(
        "--api",
        "api_url",
        envvar="TUNEWISE_API_URL",
        default=DEFAULT_API,
        show_default=True,
        help="Base URL of the API.",
    )(command)
