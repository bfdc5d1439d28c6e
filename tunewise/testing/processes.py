"""Real processes: ``tunewise serve`` and ``tunewise worker`` as a person starts them, each
logging to a file a test or benchmark reads, all killed at the end whatever happens."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from pydantic import SecretStr

from tunewise.testing.workloads import SLOW_STEP_ENV, entry_point_path, small_job
from tunewise.wire.client import ServiceClient
from tunewise.wire.models import Job

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "integration-test-token-0123456789abcdef"
_ANNOUNCED = re.compile(r"tunewise API on (http://\S+)")


def wait_for(condition: Callable[[], bool], timeout_s: float, what: str) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s:g} s waiting for {what}")
        time.sleep(0.1)


@dataclass
class Process:
    name: str
    popen: subprocess.Popen[bytes]
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def alive(self) -> bool:
        return self.popen.poll() is None

    def signal(self, signum: int) -> None:
        if self.alive():
            self.popen.send_signal(signum)

    def wait(self, timeout_s: float = 30.0) -> int:
        return self.popen.wait(timeout=timeout_s)

    def kill(self) -> None:
        self.signal(signal.SIGKILL)
        self.popen.wait()


@dataclass
class Cluster:
    """An API and workers on this machine; ``close`` kills whatever still runs."""

    folder: Path
    database_url: str | None = None
    #: ``TUNEWISE_*`` settings of the API, e.g. {"MAX_RETRIES": "1"}.
    api_env: dict[str, str] = field(default_factory=dict)
    slow_step_s: float = 0.3
    #: False: the API is started without TUNEWISE_API_TOKEN, so it writes its own token file.
    token_in_environment: bool = True
    processes: list[Process] = field(default_factory=list)
    api_url: str | None = None

    def _env(self, extra: dict[str, str]) -> dict[str, str]:
        plugins = entry_point_path(self.folder / "plugins")
        env = dict(os.environ)
        env.update(
            PYTHONPATH=os.pathsep.join([str(plugins), str(ROOT)]),
            PYTHONUNBUFFERED="1",
            OMP_NUM_THREADS="1",
        )
        env.pop("TUNEWISE_API_TOKEN", None)
        if self.token_in_environment:
            env["TUNEWISE_API_TOKEN"] = TOKEN
        env[SLOW_STEP_ENV] = str(self.slow_step_s)
        env.update(extra)
        return env

    def run(self, *args: str, timeout_s: float = 120) -> subprocess.CompletedProcess[str]:
        """A one-off ``tunewise`` command (submit, jobs), as a person would type it."""
        return subprocess.run(
            [sys.executable, "-m", "tunewise", *args],
            cwd=ROOT,
            env=self._env({}),
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )

    def _spawn(
        self, name: str, args: list[str], env: dict[str, str], module: str = "tunewise"
    ) -> Process:
        log_path = self.folder / f"{name}.log"
        with log_path.open("ab") as log:
            popen = subprocess.Popen(
                [sys.executable, "-m", module, *args],
                cwd=ROOT,
                env=env,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
        process = Process(name, popen, log_path)
        self.processes.append(process)
        return process

    @property
    def data_dir(self) -> Path:
        return self.folder / "data"

    def start_api(
        self,
        *,
        lease_seconds: float = 30.0,
        port: int = 0,
        workers: int | None = 0,
        api_processes: int = 1,
    ) -> Process:
        args = [
            "serve",
            "--data-dir",
            str(self.data_dir),
            "--port",
            str(port),
            *(["--workers", str(workers)] if workers is not None else []),
            "--lease-seconds",
            str(lease_seconds),
            "--log-level",
            "warning",
            "--api-processes",
            str(api_processes),
        ]
        if self.database_url:
            args += ["--database-url", self.database_url]
        env = self._env({f"TUNEWISE_{k}": v for k, v in self.api_env.items()})
        env.setdefault("TUNEWISE_SWEEP_INTERVAL_S", "0.3")
        api = self._spawn(f"api-{len(self.processes)}", args, env)
        # Each API process is an interpreter of its own to start: on a loaded machine, more.
        wait_for(
            lambda: _ANNOUNCED.search(api.log()) is not None or not api.alive(),
            120 * api_processes,
            "the API",
        )
        found = _ANNOUNCED.search(api.log())
        assert found and api.alive(), f"the API did not start:\n{api.log()}"
        self.api_url = found.group(1)
        wait_for(self.healthy, 30, "/healthz")
        return api

    def healthy(self) -> bool:
        try:
            return httpx.get(f"{self.api_url}/healthz", timeout=1).status_code == 200
        except httpx.TransportError:
            return False

    @property
    def port(self) -> int:
        assert self.api_url is not None
        return int(self.api_url.rsplit(":", 1)[1])

    def start_worker(self, name: str, *workloads: str, extra: Sequence[str] = ()) -> Process:
        """``extra``: more options of ``tunewise worker``, e.g. ("--batch", "8")."""
        assert self.api_url is not None, "start the API first"
        args = ["worker", "--api", self.api_url, "--device", "cpu", "--name", name]
        args += ["--idle-poll", "0.1", *extra]
        if workloads:
            args += ["--workloads", ",".join(workloads)]
        return self._spawn(name, args, self._env({}))

    def start_light_worker(self, name: str) -> Process:
        """The real agent, with a computed curve instead of training (see light_worker)."""
        assert self.api_url is not None, "start the API first"
        return self._spawn(
            name, [self.api_url, name], self._env({}), "tunewise.testing.light_worker"
        )

    def close(self) -> None:
        for process in reversed(self.processes):
            process.kill()


_LEASED = re.compile(r"trial (\d+) \(#\d+ of job (\S+), attempt \d+\)")


def trials_leased(worker: Process) -> list[int]:
    """The trial ids a worker says it leased, in order (one log line per lease)."""
    return [int(m.group(1)) for m in _LEASED.finditer(worker.log())]


def client_of(cluster: Cluster) -> ServiceClient:
    """A client of the cluster's API, with its token."""
    assert cluster.api_url is not None
    return ServiceClient(cluster.api_url, SecretStr(TOKEN), timeout_s=10)


def submit(
    client: ServiceClient, workload: str, n_trials: int, max_epochs: int = 2, **extra: Any
) -> Job:
    """Creates :func:`small_job`; ``extra``: more JobCreate fields."""
    return client.create_job(small_job(workload, n_trials, max_epochs, **extra))
