"""Running the service: checks, the first-start token, uvicorn on a socket we bind ourselves
(so the URL is known before serving, port 0 included), and a clean stop on SIGTERM.

``run_server(settings, alongside=...)`` enters ``alongside(info)`` once the API answers and
leaves it before the API stops: the place for local worker processes.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass
from multiprocessing.context import SpawnProcess
from multiprocessing.synchronize import Event as EventType
from types import FrameType

import uvicorn
from fastapi import FastAPI
from pydantic import SecretStr

from service.app import create_app
from service.auth import ensure_admin_token
from service.context import ServiceContext
from service.errors import ConfigurationError
from service.settings import ServiceSettings

_log = logging.getLogger(__name__)

Alongside = Callable[["ServerInfo"], AbstractContextManager[object]]


@dataclass(frozen=True)
class ServerInfo:
    #: Where the API answers, e.g. http://127.0.0.1:8000
    url: str
    #: A token the API accepts (None with auth off); never logged.
    token: SecretStr | None
    settings: ServiceSettings


def check_bind(settings: ServiceSettings) -> None:
    if not settings.auth and not settings.binds_loopback_only:
        raise ConfigurationError(
            f"refusing to serve on {settings.host} with auth off: anyone who reaches it could "
            "run jobs. Bind 127.0.0.1, or keep auth on (TUNEWISE_API_TOKEN or the token file)."
        )


def bind_socket(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say they are TCP,
    # and without it every keep-alive response waits ~40 ms on Nagle and delayed ACKs.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.set_inheritable(True)
    return sock


def _url(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


def run_server(
    settings: ServiceSettings,
    *,
    alongside: Alongside | None = None,
    announce: Callable[[str], None] = print,
) -> None:
    """Serve until SIGTERM or SIGINT. Raises ConfigurationError before binding anything when
    the settings are unsafe."""
    check_bind(settings)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    context = ServiceContext.open(settings)
    token = _token(settings, context, announce)
    sock = bind_socket(settings.host, settings.port)
    info = ServerInfo(url=_url(sock, settings.host), token=token, settings=settings)
    if settings.api_processes > 1:
        context.close()  # each API process opens its own
        serving = _in_processes(settings, sock)
    else:
        serving = _in_thread(create_app(settings, context), settings, sock)
    with _stop_on_signals() as stop, serving as running:
        processes = f" ({settings.api_processes} processes)" if settings.api_processes > 1 else ""
        announce(
            f"tunewise API on {info.url}{processes} "
            f"(docs at {info.url}/docs, dashboard at {info.url}/ui/)"
        )
        with alongside(info) if alongside else nullcontext():
            while not stop.wait(0.5) and running():
                pass
    sock.close()


@contextmanager
def _in_thread(
    app: FastAPI, settings: ServiceSettings, sock: socket.socket
) -> Iterator[Callable[[], bool]]:
    """uvicorn serving ``sock`` from a thread of this process, started when this is entered
    and stopped when it is left; yields whether it still serves."""
    server = uvicorn.Server(
        uvicorn.Config(app, log_level=settings.log_level, access_log=False, lifespan="on")
    )
    # uvicorn installs no signal handlers off the main thread; the main thread owns them.
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="uvicorn")
    thread.start()
    try:
        if not _wait_started(server, thread):
            raise RuntimeError("the API did not start; see the log above")
        yield thread.is_alive
    finally:
        server.should_exit = True
        thread.join()


@contextmanager
def _in_processes(settings: ServiceSettings, sock: socket.socket) -> Iterator[Callable[[], bool]]:
    """``settings.api_processes`` API processes accepting on the one socket (the kernel hands
    each connection to one of them), started when this is entered and stopped (SIGTERM, then
    SIGKILL after 30 s) when it is left. One that dies meanwhile is started again."""
    spawn = multiprocessing.get_context("spawn")
    processes: list[SpawnProcess] = []

    def start() -> tuple[SpawnProcess, EventType]:
        ready = spawn.Event()
        process = spawn.Process(
            target=_serve_process, args=(settings, sock, ready, os.getpid()), name="tunewise-api"
        )
        process.start()
        return process, ready

    def started(process: SpawnProcess, ready: EventType) -> SpawnProcess:
        while not ready.wait(0.05):
            if not process.is_alive():
                raise RuntimeError("an API process did not start; see the log above")
        return process

    def serving() -> bool:
        """False once one has stopped as asked (a signal to the process group, e.g. ^C)."""
        for i, process in enumerate(processes):
            if process.is_alive():
                continue
            if process.exitcode == 0:
                return False
            _log.warning(
                "API process %s died (exit %s); starting another", process.pid, process.exitcode
            )
            processes[i] = started(*start())
        return True

    try:
        starting = [start() for _ in range(settings.api_processes)]
        processes.extend(process for process, _ in starting)
        for process, ready in starting:
            started(process, ready)
        yield serving
    finally:
        for process in processes:
            if process.is_alive():
                process.terminate()
        for process in processes:
            process.join(30)
            if process.is_alive():
                process.kill()
                process.join()


def _serve_process(
    settings: ServiceSettings, sock: socket.socket, ready: EventType, parent_pid: int
) -> None:
    """One API process of several: its own context (engines, caches, sweeper), serving until
    SIGTERM or SIGINT, or until the process that started it is gone (killed: nothing else would
    stop this one, which holds the socket)."""
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    context = ServiceContext.open(settings)
    with (
        _stop_on_signals() as stop,
        _in_thread(create_app(settings, context), settings, sock) as running,
    ):
        ready.set()
        while not stop.wait(0.5) and running() and os.getppid() == parent_pid:
            pass


def _token(
    settings: ServiceSettings, context: ServiceContext, announce: Callable[[str], None]
) -> SecretStr | None:
    if not settings.auth:
        announce("auth is off: serving on a loopback address only")
        return None
    if settings.api_token is not None:
        announce("accepting the token in TUNEWISE_API_TOKEN")
        return settings.api_token
    token = ensure_admin_token(context.database, context.verifier, settings.token_path)
    announce(f"admin token in {settings.token_path.resolve()} (readable by you only)")
    return token


def _wait_started(server: uvicorn.Server, thread: threading.Thread) -> bool:
    while thread.is_alive():
        if server.started:
            return True
        thread.join(0.05)
    return False


@contextmanager
def _stop_on_signals() -> Iterator[threading.Event]:
    stop = threading.Event()

    def request_stop(signum: int, _frame: FrameType | None) -> None:
        _log.info("received %s; stopping", signal.Signals(signum).name)
        stop.set()

    previous = {sig: signal.signal(sig, request_stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield stop
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
