"""The client processes of bench/coordination.py: each loops on zero-work trials until its
window closes and returns how many trials it finished inside the window.

- ``tunewise_client``: the real worker client (:class:`workers.agent.ServiceClient`) against
  ``tunewise serve``: either one lease then one complete per trial (what a worker did before
  the combined calls), ``complete_and_lease`` (one round-trip per trial, ``count`` leased
  at a time), or ``completions`` (``count`` trials completed and ``count`` leased in one
  round-trip: ``POST /v1/completions``).
- ``optuna_client``: bare Optuna on the same database, or through Optuna's gRPC storage proxy:
  ``ask`` → suggest the job's own conditional space → ``tell``.

Every process prepares, warms up, waits at the barrier, then runs ``duration_s`` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from multiprocessing.synchronize import Barrier
from typing import Literal

from pydantic import SecretStr

from advisor import TaskDescription, advise
from service.tuning.space import SearchSpace
from tunewise.wire.models import Completion, NextLease

#: The task every benchmarked study searches (the service's advice for it, bare Optuna too).
TASK = {"domain": "vision", "architecture": "cnn"}
WORKLOAD = "bench-zero"
WARMUP_TRIALS = 3

Calls = Literal["lease+complete", "complete-and-lease", "completions"]


@dataclass(frozen=True)
class Counted:
    """What one client process did in the window."""

    trials: int
    cpu_s: float


@dataclass(frozen=True)
class Window:
    barrier: Barrier
    duration_s: float


def tunewise_client(  # noqa: PLR0917  (a process target: positional arguments)
    url: str, token: str, calls: Calls, count: int, name: str, window: Window
) -> Counted:
    from workers.agent import ServiceClient

    done = Completion(value=0.5)
    with ServiceClient(url, SecretStr(token), timeout_s=120) as client:
        workloads = (WORKLOAD,)

        if calls == "lease+complete":

            def one_trial() -> int:
                lease = client.lease(workloads, name)
                assert lease is not None, "the job ran out of trials"
                client.complete(lease.trial_id, done)
                return 1

            for _ in range(WARMUP_TRIALS):
                one_trial()
            window.barrier.wait()
            return _loop(one_trial, window.duration_s)

        held = list(client.lease_many(workloads, name, count))

        if calls == "completions":
            following = NextLease(workloads=workloads, worker=name, count=count)

            def next_batch() -> int:
                answer = client.complete_many([(lease.trial_id, done) for lease in held], following)
                assert all(r.error is None for r in answer.results), answer.results
                finished = len(held)
                held[:] = answer.leases
                assert held, "the job ran out of trials"
                return finished

            next_batch()
            window.barrier.wait()
            return _loop(next_batch, window.duration_s)

        def next_trial() -> int:
            lease = held.pop()
            if held:  # the others of the batch are ours already
                client.complete(lease.trial_id, done)
                return 1
            answer = client.complete_and_lease(lease.trial_id, done, workloads, name, count)
            held.extend(answer.leases)
            assert held, "the job ran out of trials"
            return 1

        for _ in range(WARMUP_TRIALS):
            next_trial()
        window.barrier.wait()
        return _loop(next_trial, window.duration_s)


def optuna_client(
    storage_spec: str, study_name: str, sampler: str, seed: int, window: Window
) -> Counted:
    import optuna

    from service.tuning.strategies import make_sampler

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    storage: str | optuna.storages.BaseStorage = storage_spec
    if storage_spec.startswith("grpc://"):
        host, port = storage_spec.removeprefix("grpc://").rsplit(":", 1)
        storage = optuna.storages.GrpcStorageProxy(host=host, port=int(port))
    study = optuna.load_study(
        study_name=study_name,
        storage=storage,
        sampler=make_sampler(sampler, seed),  # type: ignore[arg-type]
    )
    space = bench_space()

    def one_trial() -> int:
        trial = study.ask()
        space.suggest(trial)
        study.tell(trial, 0.5)
        return 1

    for _ in range(WARMUP_TRIALS):
        one_trial()
    window.barrier.wait()
    return _loop(one_trial, window.duration_s)


def bench_space() -> SearchSpace:
    """The conditional space the service builds for :data:`TASK` (the advice's families)."""
    advice = advise(TaskDescription.model_validate(TASK))
    return SearchSpace.from_advice(advice, tuple(advice.search.families))


def grpc_proxy(storage_url: str, port: int) -> None:
    """Optuna's own many-worker set-up: one proxy process in front of the database."""
    import optuna

    optuna.logging.set_verbosity(optuna.logging.WARNING)
    # get_storage wraps RDBStorage in Optuna's cache, as the proxy's documentation asks.
    optuna.storages.run_grpc_proxy_server(
        optuna.storages.get_storage(storage_url), host="127.0.0.1", port=port
    )


def _loop(some_trials: Callable[[], int], duration_s: float) -> Counted:
    """Trials finished by calls that returned inside the window (each call finishes one trial,
    or a batch of them), and the CPU seconds this process spent meanwhile."""
    deadline = time.monotonic() + duration_s
    cpu_started = time.process_time()
    finished = 0
    while True:
        count = some_trials()
        if time.monotonic() > deadline:
            return Counted(finished, time.process_time() - cpu_started)
        finished += count
