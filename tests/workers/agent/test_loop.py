"""The worker loop against the real service, in-process: trials are leased, trained by the
harness and delivered; a result survives an outage; a stop request fails the trial as
interrupted; a lost lease drops the result and the worker goes on.

Real processes, signals and restarts are in tests/integration."""

from __future__ import annotations

import itertools
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from tests.workers.agent.conftest import BASE_URL, TOKEN, ApiFactory, LocalApi
from tunewise.testing.workloads import SLOW_STEP_ENV
from tunewise.wire.models import Completion, Job, JobCreate, JobState, Lease, TrialState
from workers.agent import (
    EXIT_MISCONFIGURED,
    EXIT_STOPPED,
    HttpReporter,
    ServiceClient,
    TrialRefusedError,
    WorkerAgent,
    WorkerSettings,
)
from workers.agent.harness import HarnessTrainer
from workers.agent.loop import IDLE_BACKOFF_CAP
from workers.workloads import WorkloadRegistry
from workers.workloads.tabular_mlp import TabularMlp


def settings(**overrides: Any) -> WorkerSettings:
    values: dict[str, Any] = {
        "api_url": BASE_URL,
        "token": TOKEN,
        "device": "cpu",
        "name": "test-worker",
        "idle_poll_s": 0.05,
        "backoff_initial_s": 0.01,
        "backoff_max_s": 0.05,
        "stop_grace_s": 2.0,
    }
    return WorkerSettings(**{**values, **overrides})


@contextmanager
def running(agent: WorkerAgent) -> Iterator[list[int]]:
    """Runs the agent in a thread; stops it on the way out. Yields [exit status] once done."""
    status: list[int] = []
    thread = threading.Thread(target=lambda: status.append(agent.run()))
    thread.start()
    try:
        yield status
    finally:
        agent.stop.set()
        thread.join(timeout=30)
        assert not thread.is_alive(), "the worker did not stop"


def wait_for(condition: Callable[[], bool], timeout_s: float = 30.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def agent_for(
    client: ServiceClient, trainer: Any, log: logging.Logger, **overrides: Any
) -> WorkerAgent:
    return WorkerAgent(
        settings=settings(**overrides),
        client=client,
        trainer=trainer,
        stop=threading.Event(),
        log=log,
    )


def ended(api: LocalApi, job: Job) -> Callable[[], bool]:
    return lambda: not api.client.job(job.id).state.is_open


def test_a_job_is_trained_to_its_budget(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger
) -> None:
    job = api.create_job("tw-instant", n_trials=4)
    agent = agent_for(api.client, trainer, log)
    with running(agent) as status:
        wait_for(ended(api, job))
    assert status == [EXIT_STOPPED]
    done = api.client.job(job.id)
    assert done.state is JobState.COMPLETED
    assert done.progress.finished == 4 and done.progress.failed == 0
    trials = api.client.trials(job.id).items
    assert all(t.worker == "test-worker" and len(t.intermediate) == 2 for t in trials)
    assert (agent.stats.leased, agent.stats.delivered, agent.stats.dropped) == (4, 4, 0)


def delivers_a_result(url: str) -> bool:
    """A result goes alone (``/complete``) or with the next lease (``/complete-and-lease``)."""
    return url.endswith(("/complete", "/complete-and-lease"))


class CompletionOutage(TestClient):
    """The network between worker and API fails for the first ``failures`` completions."""

    def __init__(self, *args: Any, failures: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.failures = failures

    def request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
        if delivers_a_result(str(url)) and self.failures > 0:
            self.failures -= 1
            raise httpx.ConnectError("connection refused")
        answer: httpx.Response = super().request(method, url, **kwargs)
        return answer


def test_a_finished_result_is_kept_until_the_api_takes_it(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger
) -> None:
    job = api.create_job("tw-instant", n_trials=2)
    flaky = CompletionOutage(api.http.app, base_url=BASE_URL, failures=5)
    agent = agent_for(ServiceClient(BASE_URL, TOKEN, http=flaky), trainer, log)
    with running(agent):
        wait_for(ended(api, job))
    assert flaky.failures == 0
    assert api.client.job(job.id).progress.complete == 2
    assert agent.stats.dropped == 0


def test_a_stop_request_fails_the_running_trial_as_interrupted_and_exits_cleanly(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SLOW_STEP_ENV, "0.2")
    job = api.create_job("tw-slow", n_trials=2, max_epochs=50)
    agent = agent_for(api.client, trainer, log)
    with running(agent) as status:
        wait_for(lambda: api.client.trials(job.id, state=TrialState.RUNNING).total == 1)
        agent.stop.set()
    assert status == [EXIT_STOPPED]
    (trial,) = api.client.trials(job.id).items
    assert (trial.state, trial.reason) == (TrialState.FAILED, "interrupted")
    assert agent.stats.delivered == 1


class OutlivesItsLease:
    """The real trainer, but the service's clock runs past the lease before the first report,
    as when an epoch takes longer than the lease and no heartbeat got through."""

    def __init__(self, trainer: HarnessTrainer, api: LocalApi, lease_seconds: float) -> None:
        self.trainer, self.api, self.lease_seconds = trainer, api, lease_seconds

    def workloads(self) -> tuple[str, ...]:
        return self.trainer.workloads()

    def train(self, lease: Lease, reporter: HttpReporter) -> Completion:
        self.api.clock.advance(self.lease_seconds + 1)
        return self.trainer.train(lease, reporter)


def test_a_lost_lease_drops_the_result_and_the_worker_goes_on(
    api_factory: ApiFactory, trainer: HarnessTrainer, log: logging.Logger
) -> None:
    api = api_factory(lease_seconds=60.0)
    job = api.create_job("tw-instant", n_trials=1, max_epochs=1)
    agent = agent_for(api.client, OutlivesItsLease(trainer, api, 60.0), log)
    with running(agent):
        wait_for(lambda: agent.stats.dropped >= 2)
    trials = api.client.trials(job.id).items
    assert trials[0].state is TrialState.FAILED
    assert trials[0].reason is not None and trials[0].reason.startswith("lease expired")
    # The expired trial was retried with the same params, and the worker leased the retry.
    assert trials[1].attempt == 1 and trials[1].params == trials[0].params


class RefusingTrainer:
    def __init__(self) -> None:
        self.trained = 0

    def workloads(self) -> tuple[str, ...]:
        return ("tw-instant",)

    def train(self, lease: Lease, reporter: HttpReporter) -> Completion:
        self.trained += 1
        raise TrialRefusedError("sparse_adam trains sparse embeddings and this model has none")


def test_a_trial_the_harness_cannot_run_is_failed_without_a_retry(
    api: LocalApi, log: logging.Logger
) -> None:
    job = api.create_job("tw-instant", n_trials=1)
    trainer = RefusingTrainer()
    agent = agent_for(api.client, trainer, log)
    with running(agent):
        wait_for(lambda: api.client.job(job.id).progress.failed >= 2)
    first, second = api.client.trials(job.id).items[:2]
    assert first.reason == "sparse_adam trains sparse embeddings and this model has none"
    # Not retried with the same params: the next trial is a new point (attempt 0).
    assert second.attempt == 0


def test_a_refused_token_stops_the_worker_as_misconfigured(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger
) -> None:
    from pydantic import SecretStr

    wrong = ServiceClient(BASE_URL, SecretStr("wrong"), http=api.http)
    assert agent_for(wrong, trainer, log).run() == EXIT_MISCONFIGURED


def test_a_workload_this_machine_lacks_is_refused_at_start(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    agent = agent_for(api.client, trainer, log, workloads=("tw-instant", "imagenet-vit"))
    with caplog.at_level(logging.ERROR):
        assert agent.run() == EXIT_MISCONFIGURED
    assert "imagenet-vit" in caplog.text and "tw-instant" in caplog.text


class CountingLeases(TestClient):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.leases = 0

    def request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
        self.leases += str(url).endswith("/v1/leases")
        answer: httpx.Response = super().request(method, url, **kwargs)
        return answer


class StopAfterWaits(threading.Event):
    """A stop event that notes each timed wait instead of sleeping through it, and is set once
    ``limit`` waits were asked for."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.limit = limit
        self.waits: list[float] = []

    def wait(self, timeout: float | None = None) -> bool:
        if timeout is None:
            return super().wait()
        self.waits.append(timeout)
        if len(self.waits) >= self.limit:
            self.set()
        return self.is_set()


def test_an_idle_worker_asks_less_and_less_often(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger
) -> None:
    counting = CountingLeases(api.http.app, base_url=BASE_URL)
    stop = StopAfterWaits(limit=6)
    agent = WorkerAgent(
        settings=settings(idle_poll_s=0.05),
        client=ServiceClient(BASE_URL, TOKEN, http=counting),
        trainer=trainer,
        stop=stop,
        log=log,
    )
    assert agent.run() == EXIT_STOPPED
    assert counting.leases == 6  # one ask per wait
    # Doubling from idle_poll_s up to IDLE_BACKOFF_CAP times it, each shortened by some jitter.
    nominal = [min(0.05 * 2**i, 0.05 * IDLE_BACKOFF_CAP) for i in range(6)]
    assert nominal[-1] > nominal[0]
    assert all(0.75 * n <= wait <= n for wait, n in zip(stop.waits, nominal, strict=True))


# -- the pipeline: leasing ahead and sending in the background ---------------------------------

Event = tuple[str, int]


class Recording:
    """The real trainer, noting when each trial starts and ends training."""

    def __init__(self, inner: HarnessTrainer, events: list[Event]) -> None:
        self.inner, self.events = inner, events
        self.second_ended = threading.Event()

    def workloads(self) -> tuple[str, ...]:
        return self.inner.workloads()

    def train(self, lease: Lease, reporter: HttpReporter) -> Completion:
        self.events.append(("start", lease.trial_id))
        try:
            return self.inner.train(lease, reporter)
        finally:
            self.events.append(("end", lease.trial_id))
            if sum(kind == "end" for kind, _ in self.events) == 2:
                self.second_ended.set()


class Watching(TestClient):
    """Notes each lease granted and each result taken; refuses results while ``hold`` is
    clear, as a network that is down for completions only."""

    def __init__(
        self, *args: Any, events: list[Event], hold: threading.Event | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.events, self.hold, self.refused = events, hold, 0

    def request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
        path = str(url)
        if delivers_a_result(path) and self.hold is not None and not self.hold.is_set():
            self.refused += 1
            raise httpx.ConnectError("connection refused")
        response: httpx.Response = super().request(method, url, **kwargs)
        if response.status_code != 200:
            return response
        if path.endswith("/v1/leases"):
            self.events.append(("leased", response.json()["trial_id"]))
        if delivers_a_result(path):
            self.events.append(("completed", int(path.rsplit("/", 2)[1])))
        if path.endswith("/complete-and-lease"):
            self.events += [("leased", lease["trial_id"]) for lease in response.json()["leases"]]
        return response


def watched_agent(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger, *, outage: bool = False
) -> tuple[WorkerAgent, Watching, list[Event]]:
    """``outage``: no result gets through until a second trial has ended."""
    events: list[Event] = []
    recording = Recording(trainer, events)
    hold = recording.second_ended if outage else None
    http = Watching(api.http.app, base_url=BASE_URL, events=events, hold=hold)
    agent = agent_for(ServiceClient(BASE_URL, TOKEN, http=http), recording, log)
    return agent, http, events


def test_the_next_trial_is_leased_while_one_trains_and_is_the_next_trained(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SLOW_STEP_ENV, "0.2")
    job = api.create_job("tw-slow", n_trials=3, max_epochs=3)
    agent, _, events = watched_agent(api, trainer, log)
    with running(agent):
        wait_for(ended(api, job))
    started = [trial for kind, trial in events if kind == "start"]
    leased = [trial for kind, trial in events if kind == "leased"]
    # Every lease trained, once, in the order leased: none lost, none run twice.
    assert started == leased and len(set(started)) == 3
    for before, after in itertools.pairwise(started):
        # The next trial was leased while this one trained, and nothing was leased between.
        assert events.index(("start", before)) < events.index(("leased", after))
        assert events.index(("leased", after)) < events.index(("end", before))
        between = events[events.index(("end", before)) : events.index(("start", after))]
        assert not [e for e in between if e[0] == "leased"]
    trials = api.client.trials(job.id).items
    assert all(t.state is TrialState.COMPLETE and len(t.intermediate) == 3 for t in trials)
    assert (agent.stats.leased, agent.stats.delivered, agent.stats.dropped) == (3, 3, 0)
    assert agent.stats.released == 0


def test_a_trial_leased_ahead_is_released_as_interrupted_when_the_worker_stops(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SLOW_STEP_ENV, "0.4")
    job = api.create_job("tw-slow", n_trials=2, max_epochs=4)
    agent, _, events = watched_agent(api, trainer, log)
    with running(agent) as status:
        wait_for(lambda: api.client.trials(job.id, state=TrialState.RUNNING).total == 2)
        agent.stop.set()
    assert status == [EXIT_STOPPED]
    (trained,) = [trial for kind, trial in events if kind == "start"]
    (reserved,) = [trial for kind, trial in events if kind == "leased" and trial != trained]
    trials = {t.id: t for t in api.client.trials(job.id).items}
    for trial_id in (trained, reserved):
        assert (trials[trial_id].state, trials[trial_id].reason) == (
            TrialState.FAILED,
            "interrupted",
        )
    assert trials[reserved].intermediate == ()  # handed back without a step trained
    assert (agent.stats.leased, agent.stats.released) == (2, 1)
    assert (agent.stats.delivered, agent.stats.dropped) == (2, 0)
    # Handed back, not left to expire: the service retries it with the same params at once.
    lease = api.client.lease(["tw-slow"], "another")
    assert lease is not None and lease.attempt == 1
    assert lease.params in (trials[trained].params, trials[reserved].params)


def test_a_result_is_delivered_while_the_next_trial_trains_through_an_outage(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(SLOW_STEP_ENV, "0.2")
    job = api.create_job("tw-slow", n_trials=2, max_epochs=2)
    agent, http, events = watched_agent(api, trainer, log, outage=True)
    with running(agent):
        wait_for(ended(api, job))
    first, second = [trial for kind, trial in events if kind == "start"]
    # The first result was refused while the second trial trained to its end: training
    # never waited for it, and it was kept and delivered once the network was back.
    assert http.refused >= 1
    assert events.index(("end", second)) < events.index(("completed", first))
    done = api.client.job(job.id)
    assert done.state is JobState.COMPLETED and done.progress.complete == 2
    assert (agent.stats.leased, agent.stats.delivered, agent.stats.dropped) == (2, 2, 0)


class PathRecording(TestClient):
    """Remembers the path of every request the worker makes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paths: list[str] = []

    def request(self, method: str, url: httpx.URL | str, **kwargs: Any) -> httpx.Response:
        self.paths.append(httpx.URL(str(url)).path)
        answer: httpx.Response = super().request(method, url, **kwargs)
        return answer


def test_a_result_and_the_next_lease_share_one_round_trip_when_none_is_reserved(
    api: LocalApi, trainer: HarnessTrainer, log: logging.Logger
) -> None:
    job = api.create_job("tw-instant", n_trials=6)
    http = PathRecording(api.http.app, base_url=BASE_URL)
    agent = agent_for(ServiceClient(BASE_URL, TOKEN, http=http), trainer, log)
    with running(agent) as status:
        wait_for(ended(api, job))
    assert status == [EXIT_STOPPED]

    combined = [p for p in http.paths if p.endswith("/complete-and-lease")]
    alone = [p for p in http.paths if p.endswith("/complete")]
    assert combined, "the first trial is never reserved ahead: its result leases the next"
    assert len(combined) + len(alone) == 6  # every result delivered once, one way or the other
    done = api.client.job(job.id)
    assert done.progress.finished == 6 and done.progress.failed == 0
    assert (agent.stats.leased, agent.stats.delivered, agent.stats.dropped) == (6, 6, 0)


def test_a_built_in_workload_trains_the_dimensions_its_job_searches(
    api: LocalApi, log: logging.Logger
) -> None:
    spec = JobCreate.model_validate(
        {
            "task": {"domain": "tabular", "architecture": "mlp"},
            "workload": "tabular-mlp",
            "budget": {"n_trials": 3, "max_epochs": 1},
            "pruner": "none",
            "seed": 1,
            "dimensions": {
                "hidden": {"type": "int", "low": 8, "high": 32, "log": True},
                "dropout": {"type": "float", "low": 0.0, "high": 0.3},
                "batch_size": {"type": "categorical", "choices": [32, 64]},
            },
        }
    )
    job = api.client.create_job(spec)
    trainer = HarnessTrainer(registry=WorkloadRegistry([TabularMlp()]), device="cpu")
    agent = agent_for(api.client, trainer, log, workloads=("tabular-mlp",))
    with running(agent):
        wait_for(ended(api, job), timeout_s=120)
    done = api.client.job(job.id)
    assert done.state is JobState.COMPLETED and done.progress.complete == 3
    trials = api.client.trials(job.id).items
    assert {t.state for t in trials} == {TrialState.COMPLETE}
    for trial in trials:
        values = trial.params.dimensions()
        assert 8 <= int(values["hidden"]) <= 32 and 0.0 <= float(values["dropout"]) <= 0.3
        assert trial.params.batch_size in (32, 64)
    assert len({t.value for t in trials}) == 3, "each trial trained its own model"
