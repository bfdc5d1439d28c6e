"""``job.optimize(fn)`` against a real server: pruning, a failing fn, Ctrl-C, two workers, and
leases that are renewed, or lost, while fn runs."""

from __future__ import annotations

import _thread
import math
import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.tunewise.sdk.conftest import QUICK
from tunewise.sdk import Client, LeasedTrial, TrialPruned, TuningJob
from tunewise.testing.servers import LocalServer, local_server
from tunewise.wire.models import TrialState


def own_loop_job(client: Client, n_trials: int, pruner: str = "none") -> TuningJob:
    return client.submit(
        {"domain": "tabular", "architecture": "mlp"},
        n_trials=n_trials,
        max_epochs=3,
        metric="mse",
        pruner=pruner,  # type: ignore[arg-type]
        sampler="random",
        seed=11,
        warm_start=False,
    )


def smooth_loss(trial: LeasedTrial) -> float:
    """A pure-Python 'training run': a loss curve that is best near lr 1e-3."""
    loss = 0.0
    for epoch in range(trial.max_epochs or 3):
        loss = (math.log10(trial.params["lr"]) + 3) ** 2 + 1 / (epoch + 1)
        trial.report(epoch, loss)
        if trial.should_prune():
            raise TrialPruned()
    return loss


def states(job: TuningJob) -> list[tuple[TrialState, str | None]]:
    return [(t.state, t.reason) for t in job.trials()]


def test_optimize_runs_the_budget_and_the_job_ends_with_a_best(client: Client) -> None:
    job = own_loop_job(client, n_trials=4)
    result = job.optimize(smooth_loss)
    assert (result.complete, result.pruned, result.failed, result.lost) == (4, 0, 0, 0)
    assert job.state.value == "completed"
    assert job.best is not None and job.best.value == min(
        t.value for t in job.trials() if t.value is not None
    )
    assert all(len(t.intermediate) == 3 for t in job.trials())
    shown: list[int] = []
    assert job.wait(progress=lambda j: shown.append(j.progress.finished)) is job
    assert shown == [4]


def test_pruned_trials_end_as_pruned(client: Client) -> None:
    # The median pruner judges from the 6th trial on (5 startup trials), from step 1.
    job = own_loop_job(client, n_trials=8, pruner="median")

    def later_ones_are_worse(trial: LeasedTrial) -> float:
        bad = trial.number >= 5
        for epoch in range(3):
            trial.report(epoch, 100.0 if bad else 1.0 / (epoch + 1))
            if trial.should_prune():
                raise TrialPruned()
        return 100.0 if bad else 1.0 / 3

    result = job.optimize(later_ones_are_worse)
    assert (result.complete, result.pruned) == (5, 3)
    pruned = [t for t in job.trials() if t.state is TrialState.PRUNED]
    assert [len(t.intermediate) for t in pruned] == [2, 2, 2]


def test_n_trials_stops_this_call_before_the_jobs_budget(client: Client) -> None:
    job = own_loop_job(client, n_trials=10)
    assert job.optimize(smooth_loss, n_trials=2).complete == 2
    assert job.state.is_open and job.progress.finished == 2
    job.cancel()


def test_a_failing_fn_fails_its_trial_with_the_message_and_the_run_goes_on(
    client: Client,
) -> None:
    job = own_loop_job(client, n_trials=3)

    def first_one_breaks(trial: LeasedTrial) -> float:
        if trial.number == 0:
            raise ValueError("shapes (3,) and (4,) do not align")
        return smooth_loss(trial)

    result = job.optimize(first_one_breaks)
    assert (result.complete, result.failed) == (3, 1)
    assert (TrialState.FAILED, "ValueError: shapes (3,) and (4,) do not align") in states(job)


def test_an_exception_outside_catch_fails_the_trial_and_is_raised(client: Client) -> None:
    job = own_loop_job(client, n_trials=3)

    def broken(trial: LeasedTrial) -> float:
        raise RuntimeError("CUDA out of memory")

    with pytest.raises(RuntimeError, match="CUDA out of memory"):
        job.optimize(broken, catch=(ValueError,))
    assert states(job) == [(TrialState.FAILED, "RuntimeError: CUDA out of memory")]
    job.cancel()


def test_a_non_number_result_fails_the_trial_without_retry(client: Client) -> None:
    job = own_loop_job(client, n_trials=1)
    result = job.optimize(lambda trial: float("nan"), n_trials=1)
    assert result.failed == 1
    [(state, reason)] = states(job)
    assert state is TrialState.FAILED and reason is not None and "nan" in reason
    job.cancel()


def test_ctrl_c_fails_the_running_trial_as_interrupted_and_is_raised(client: Client) -> None:
    job = own_loop_job(client, n_trials=5)

    def interrupted_on_the_second(trial: LeasedTrial) -> float:
        if trial.number == 1:
            trial.report(0, 0.5)
            raise KeyboardInterrupt
        return smooth_loss(trial)

    with pytest.raises(KeyboardInterrupt):
        job.optimize(interrupted_on_the_second)
    assert [s for s, _ in states(job)] == [TrialState.COMPLETE, TrialState.FAILED]
    assert states(job)[1][1] == "interrupted"
    job.cancel()


def test_two_workers_each_lease_their_own_trials(client: Client) -> None:
    job = own_loop_job(client, n_trials=6)
    running_together = threading.Barrier(2, timeout=30)

    def slow(trial: LeasedTrial) -> float:
        if trial.number < 2:
            running_together.wait()  # both workers hold a trial at once, or this times out
        return smooth_loss(trial)

    result = job.optimize(slow, n_workers=2)
    assert result.complete == 6 and job.state.value == "completed"
    assert len({t.worker for t in job.trials()}) == 2


@pytest.fixture
def ctrl_c_raises() -> Iterator[None]:
    """Ctrl-C raises KeyboardInterrupt, as in a terminal, even where this run's parent ignores
    SIGINT (a shell's background job does): ``interrupt_main()`` does nothing then."""
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, previous)


@pytest.mark.usefixtures("ctrl_c_raises")
def test_ctrl_c_with_two_workers_interrupts_the_trials_that_stop(client: Client) -> None:
    job = own_loop_job(client, n_trials=4)
    both_leased = threading.Barrier(2, timeout=30)

    def until_told_to_stop(trial: LeasedTrial) -> float:
        interrupter = both_leased.wait() == 0
        if interrupter:
            _thread.interrupt_main()  # what Ctrl-C does: KeyboardInterrupt in the main thread
        deadline = time.monotonic() + 30
        while not trial.should_prune() and time.monotonic() < deadline:
            time.sleep(0.02)
        if interrupter:
            raise TrialPruned()  # stopped: recorded as interrupted, not as pruned
        return 0.5  # finished anyway: its value stands

    with pytest.raises(KeyboardInterrupt):
        job.optimize(until_told_to_stop, n_workers=2)
    assert sorted(states(job)) == [
        (TrialState.COMPLETE, None),
        (TrialState.FAILED, "interrupted"),
    ]
    job.cancel()


# -- leases: renewed while fn is silent, or lost ---------------------------------------------


class DroppedHeartbeats(httpx.HTTPTransport):
    """The network between this client and the API loses every heartbeat."""

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/heartbeat"):
            raise httpx.ConnectError("heartbeat dropped by the test", request=request)
        return super().handle_request(request)


@pytest.fixture
def short_lease_server(tmp_path: Path) -> Iterator[LocalServer]:
    # 4 s: the heartbeat renews at a third of what is left, so a renewal may come 2.7 s late
    # (with 2 s, a busy CI machine once delayed one past the lease).
    with local_server(tmp_path, lease_seconds=4.0, sweep_interval_s=0.2) as running:
        yield running


def test_heartbeats_keep_a_silent_trial_past_its_lease(short_lease_server: LocalServer) -> None:
    # Real seconds: the SDK's heartbeat thread keeps its own time.
    with Client(short_lease_server.url, short_lease_server.token, backoff=QUICK) as client:
        job = own_loop_job(client, n_trials=1)

        def silent_for_two_and_a_half_leases(trial: LeasedTrial) -> float:
            time.sleep(10.0)
            return 1.0

        result = job.optimize(silent_for_two_and_a_half_leases)
        assert (result.complete, result.lost) == (1, 0)
        assert [t.intermediate for t in job.trials()] == [()]  # renewed, no invented points


@pytest.fixture
def own_server(tmp_path: Path) -> Iterator[LocalServer]:
    """A server of the test's own, whose clock the test may move."""
    with local_server(tmp_path, lease_seconds=60.0, sweep_interval_s=0.2) as running:
        yield running


def test_a_lease_lost_under_fn_is_logged_and_the_run_goes_on(
    own_server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    http = httpx.Client(transport=DroppedHeartbeats(), timeout=30)
    with Client(own_server.url, own_server.token, retries=0, backoff=QUICK, http=http) as client:
        job = own_loop_job(client, n_trials=2)
        seen_prune: list[bool] = []

        def outlives_its_lease(trial: LeasedTrial) -> float:
            own_server.clock.advance(61)  # fn runs past its lease; every heartbeat was dropped
            if trial.number == 0:
                return 1.0  # its late complete gets 409
            trial.report(0, 1.0)  # so does this report: should_prune turns true
            seen_prune.append(trial.should_prune())
            raise TrialPruned()

        result = job.optimize(outlives_its_lease, n_trials=2)
        reasons = [reason or "" for _, reason in states(job)]
    assert (result.lost, result.complete, result.pruned) == (2, 0, 0)
    assert seen_prune == [True]
    assert len(reasons) >= 2 and all("lease expired" in r for r in reasons[:2])
    assert "lost its lease" in caplog.text
