"""A real API for tests and benchmarks that speak HTTP: the app under uvicorn in this process,
on a loopback port, with SQLite in a folder.

``LocalServer`` can be stopped and started again on the same port, so a client sees a real
outage (connection refused) and the same API, with the same database, coming back. Its
``context`` is the running app's own, for a benchmark that writes trials through storage.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import uvicorn
from pydantic import SecretStr

# The one place outside `tunewise serve` that starts the server: tests and benchmarks need it
# in-process (to stop and restart it, and to reach its storage), so it cannot be a subprocess.
from service.app import create_app
from service.context import ServiceContext
from service.server import bind_socket
from service.settings import ServiceSettings
from tunewise.testing.clock import SteppedClock

TOKEN = "test-server-token-0123456789abcdef"


@dataclass
class LocalServer:
    settings: ServiceSettings
    port: int = 0
    #: The service's clock, kept across restarts: ``advance`` runs a lease out at once.
    clock: SteppedClock = field(default_factory=SteppedClock)
    _context: ServiceContext | None = field(default=None, init=False, repr=False)
    _server: uvicorn.Server | None = field(default=None, init=False, repr=False)
    _thread: threading.Thread | None = field(default=None, init=False, repr=False)
    _socket: socket.socket | None = field(default=None, init=False, repr=False)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def token(self) -> str:
        assert self.settings.api_token is not None
        return self.settings.api_token.get_secret_value()

    @property
    def context(self) -> ServiceContext:
        """The running app's context (its database, studies, clock)."""
        assert self._context is not None, "start the server first"
        return self._context

    def client(self) -> httpx.Client:
        """An HTTP client for this server, with its token."""
        return httpx.Client(
            base_url=self.url, headers={"Authorization": f"Bearer {self.token}"}, timeout=30.0
        )

    def start(self) -> None:
        """Serves until :meth:`stop`; the first start picks a free port, later ones reuse it."""
        self._socket = bind_socket("127.0.0.1", self.port)
        self.port = self._socket.getsockname()[1]
        app = create_app(self.settings, ServiceContext.open(self.settings, clock=self.clock))
        config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="on")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + 60
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the test API on port {self.port} did not start")
            time.sleep(0.02)
        self._context = app.state.context

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=30)
        if self._socket is not None:
            self._socket.close()
        self._server = self._thread = self._socket = None


@contextmanager
def local_server(data_dir: Path, **settings: Any) -> Iterator[LocalServer]:
    """A started server with auth on (token :data:`TOKEN`); ``settings``: any
    ServiceSettings field, e.g. ``lease_seconds=1.0``."""
    chosen = ServiceSettings(
        data_dir=data_dir, api_token=SecretStr(TOKEN), auth=True, database_url=None, **settings
    )
    server = LocalServer(chosen)
    server.start()
    try:
        yield server
    finally:
        server.stop()
