"""Local worker processes for ``tunewise serve``: the embedded default's trial path is the same
as a remote worker's (``tunewise worker`` over loopback HTTP), only supervised from here.

The API process never imports torch, so the GPUs are counted in a short child process, and
only when the NVIDIA driver is there at all (a CPU machine pays nothing for the probe).
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, Self

from pydantic import SecretStr

Device = Literal["cuda", "cpu"]

#: Exit statuses of ``tunewise worker`` that restarting cannot fix: a clean stop, and a
#: configuration the worker refused (bad option, refused token).
NO_RESTART_CODES = frozenset({0, 2})

_TORCH_GPU_PROBE = (
    "import torch; print(torch.cuda.device_count() if torch.cuda.is_available() else 0)"
)


@dataclass(frozen=True)
class WorkerSlot:
    """One local worker: its name, and the GPU it sees (None: a CPU worker)."""

    name: str
    gpu: str | None

    @property
    def device(self) -> Device:
        return "cpu" if self.gpu is None else "cuda"


def visible_gpus(
    env: Mapping[str, str] | None = None,
    *,
    probe: Callable[[], int] | None = None,
) -> tuple[str, ...]:
    """The GPU ids a worker may be pinned to, in ``CUDA_VISIBLE_DEVICES`` terms.

    ``CUDA_VISIBLE_DEVICES`` is respected: its entries (indices or UUIDs) are handed out as
    they are, but only as many as torch can actually use.
    """
    env = os.environ if env is None else env
    count = (probe or count_cuda_devices)()
    if count <= 0:
        return ()
    restricted = env.get("CUDA_VISIBLE_DEVICES")
    if restricted is None:
        return tuple(str(i) for i in range(count))
    entries = [e.strip() for e in restricted.split(",") if e.strip()]
    return tuple(entries[:count])


def count_cuda_devices(python: str = sys.executable, timeout_s: float = 60.0) -> int:
    """How many CUDA devices torch sees, asked in a child process (the caller stays torch-free).

    Without ``nvidia-smi`` there is no NVIDIA driver, so no probe is needed.
    """
    if shutil.which("nvidia-smi") is None:
        return 0
    try:
        done = subprocess.run(
            [python, "-c", _TORCH_GPU_PROBE],
            capture_output=True,
            text=True,
            timeout=timeout_s,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return 0
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines or not lines[-1].isdigit():
        return 0
    return int(lines[-1])


def plan_slots(requested: int | None, gpus: Sequence[str]) -> tuple[WorkerSlot, ...]:
    """One worker per visible GPU by default, else one CPU worker; ``requested`` overrides the
    count (0: none), sharing GPUs round-robin when there are more workers than GPUs."""
    count = (len(gpus) or 1) if requested is None else requested
    if count < 0:
        raise ValueError(f"the number of local workers must be 0 or more, got {count}")
    return tuple(
        WorkerSlot(name=f"local-{i}", gpu=gpus[i % len(gpus)] if gpus else None)
        for i in range(count)
    )


@dataclass(frozen=True)
class RestartPolicy:
    """Restart a worker that died, waiting longer after each quick death; give up on a slot
    after ``max_quick_deaths`` deaths in a row that each came within ``quick_s`` of its start
    (a worker that cannot even start will not start the sixth time either)."""

    first_delay_s: float = 1.0
    max_delay_s: float = 60.0
    quick_s: float = 30.0
    max_quick_deaths: int = 5


@dataclass
class _Running:
    slot: WorkerSlot
    process: subprocess.Popen[bytes]
    started_at: float
    quick_deaths: int = 0
    restart_at: float | None = None
    #: Given up on: exited cleanly, refused its configuration, or kept dying at start.
    parked: bool = False
    #: The exit status it was given up on with.
    exit_code: int | None = None


def _die_with_parent() -> None:
    # The workers must not outlive a crashed `serve` and retry against a dead API forever.
    # PR_SET_PDEATHSIG (1) sends SIGTERM, which the worker treats as "stop at the next step".
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)


@dataclass
class LocalWorkers:
    """Starts, watches and stops ``tunewise worker`` processes against one API.

    The token travels in the environment (``TUNEWISE_API_TOKEN``), never on the command line
    where ``ps`` would show it. Use as a context manager, or call :meth:`start` and
    :meth:`stop`.
    """

    api_url: str
    #: None when the API runs with auth off.
    token: str | None
    slots: tuple[WorkerSlot, ...]
    extra_args: tuple[str, ...] = ()
    policy: RestartPolicy = field(default_factory=RestartPolicy)
    log: logging.Logger = field(default_factory=lambda: logging.getLogger("tunewise.workers"))
    python: str = sys.executable
    poll_s: float = 0.5
    _running: list[_Running] = field(default_factory=list, init=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _monitor: threading.Thread | None = field(default=None, init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False)
    #: Set once every worker has been given up on: nothing is left running or to restart.
    all_exited: threading.Event = field(default_factory=threading.Event, init=False)

    def command(self, slot: WorkerSlot) -> list[str]:
        return [
            self.python,
            "-m",
            "tunewise",
            "worker",
            "--api",
            self.api_url,
            "--device",
            slot.device,
            "--name",
            slot.name,
            *self.extra_args,
        ]

    def environment(self, slot: WorkerSlot) -> dict[str, str]:
        env = dict(os.environ)
        env.pop("TUNEWISE_API_TOKEN", None)
        if self.token is not None:
            env["TUNEWISE_API_TOKEN"] = self.token
        if slot.gpu is not None:
            env["CUDA_VISIBLE_DEVICES"] = slot.gpu
        elif len(self.slots) > 1 and "OMP_NUM_THREADS" not in env:
            # CPU workers side by side: each takes its share of cores instead of all of them.
            env["OMP_NUM_THREADS"] = str(max(1, (os.cpu_count() or 1) // len(self.slots)))
        return env

    def _spawn(self, slot: WorkerSlot) -> subprocess.Popen[bytes]:
        return subprocess.Popen(
            self.command(slot),
            env=self.environment(slot),
            stdin=subprocess.DEVNULL,
            preexec_fn=_die_with_parent if sys.platform == "linux" else None,  # noqa: PLW1509
        )

    def start(self) -> Self:
        if self._monitor is not None:
            raise RuntimeError("local workers already started")
        now = time.monotonic()
        with self._lock:
            for slot in self.slots:
                self._running.append(_Running(slot, self._spawn(slot), now))
                where = f"GPU {slot.gpu}" if slot.gpu is not None else "CPU"
                self.log.info("started local worker %s on %s", slot.name, where)
        self._monitor = threading.Thread(target=self._watch, name="local-workers", daemon=True)
        self._monitor.start()
        return self

    def pids(self) -> list[int]:
        with self._lock:
            return [r.process.pid for r in self._running if r.process.poll() is None]

    def exit_codes(self) -> dict[str, int]:
        """The exit status of each worker given up on, by name."""
        with self._lock:
            return {
                r.slot.name: r.exit_code
                for r in self._running
                if r.parked and r.exit_code is not None
            }

    def _watch(self) -> None:
        while not self._stopping.wait(self.poll_s):
            with self._lock:
                for running in self._running:
                    self._check(running, time.monotonic())
                if self._running and all(r.parked for r in self._running):
                    # A supervisor waiting on its workers must hear that none is left, or it
                    # waits forever (a refused token ends every worker at once).
                    self.all_exited.set()
                    return

    def _check(self, running: _Running, now: float) -> None:
        if running.parked:
            return
        if running.restart_at is not None:
            if now >= running.restart_at and not self._stopping.is_set():
                running.process = self._spawn(running.slot)
                running.started_at, running.restart_at = now, None
                self.log.info("restarted local worker %s", running.slot.name)
            return
        code = running.process.poll()
        if code is None:
            return
        if code in NO_RESTART_CODES:
            self.log.warning(
                "local worker %s exited with %d; not restarting", running.slot.name, code
            )
            running.parked, running.exit_code = True, code
            return
        quick = now - running.started_at < self.policy.quick_s
        running.quick_deaths = running.quick_deaths + 1 if quick else 0
        if running.quick_deaths >= self.policy.max_quick_deaths:
            self.log.error(
                "local worker %s died %d times right after starting (last exit %d); giving up "
                "on it: run `tunewise worker` by hand to see why",
                running.slot.name,
                running.quick_deaths,
                code,
            )
            running.parked, running.exit_code = True, code
            return
        delay = min(
            self.policy.first_delay_s * 2 ** max(running.quick_deaths - 1, 0),
            self.policy.max_delay_s,
        )
        self.log.warning(
            "local worker %s exited with %d; restarting in %.0f s", running.slot.name, code, delay
        )
        running.restart_at = now + delay

    def stop(self, grace_s: float = 30.0) -> None:
        """SIGTERM every worker (each fails its trial as interrupted and exits), then SIGKILL
        whichever has not exited after ``grace_s``."""
        self._stopping.set()
        if self._monitor is not None:
            self._monitor.join()
        with self._lock:
            processes = [r.process for r in self._running if r.process.poll() is None]
        for process in processes:
            with contextlib.suppress(ProcessLookupError):
                process.terminate()
        deadline = time.monotonic() + grace_s
        for process in processes:
            try:
                process.wait(timeout=max(deadline - time.monotonic(), 0.0))
            except subprocess.TimeoutExpired:
                self.log.warning("local worker pid %d ignored SIGTERM; killing it", process.pid)
                process.kill()
                process.wait()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def local_workers(
    api_url: str,
    token: SecretStr | str | None,
    requested: int | None,
    *,
    extra_args: Sequence[str] = (),
    log: logging.Logger | None = None,
) -> LocalWorkers:
    """The local workers of ``tunewise serve``, not yet started: enter the result as a context
    manager once the API answers, and leave it before the API stops. ``requested`` is
    ``--workers`` (None: one per visible GPU, else one CPU worker; 0: none, no GPU probe)."""
    secret = token.get_secret_value() if isinstance(token, SecretStr) else token
    return LocalWorkers(
        api_url=api_url,
        token=secret,
        slots=plan_slots(requested, visible_gpus() if requested != 0 else ()),
        extra_args=tuple(extra_args),
        log=log or logging.getLogger("tunewise.workers"),
    )
