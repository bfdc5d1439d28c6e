"""The HTTP reporter: each epoch's value reaches the service, long epochs keep the lease alive
without adding points to the curve, and a lost lease or a stop request stops the run."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from tests.workers.agent.conftest import ApiFactory, LocalApi
from tunewise.wire.models import Lease
from workers.agent import Backoff, HttpReporter, Retrier


def leased(api: LocalApi, **job: int) -> Lease:
    api.create_job("tw-instant", **job)
    lease = api.client.lease(["tw-instant"], "w1")
    assert lease is not None
    return lease


class ManualClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def reporter_for(
    api: LocalApi,
    lease: Lease,
    log: logging.Logger,
    clock: ManualClock | None = None,
    stop: threading.Event | None = None,
) -> HttpReporter:
    stop = stop or threading.Event()
    return HttpReporter(
        client=api.client,
        retrier=Retrier(Backoff(initial=0.01, maximum=0.02), stop, log),
        trial_id=lease.trial_id,
        lease_expires_at=lease.lease_expires_at,
        stop=stop,
        log=log,
        clock=clock or time.monotonic,
    )


def curve(api: LocalApi, lease: Lease) -> list[tuple[int, float]]:
    (trial,) = api.client.trials(lease.job_id).items
    return [(p.step, p.value) for p in trial.intermediate]


def test_each_epoch_is_reported_and_answered(api: LocalApi, log: logging.Logger) -> None:
    lease = leased(api)
    reporter = reporter_for(api, lease, log)
    assert reporter.report(1, 0.5) is False
    assert reporter.report(2, 0.25) is False
    assert curve(api, lease) == [(1, 0.5), (2, 0.25)]
    assert not reporter.should_stop()


def test_a_non_finite_value_is_not_sent(api: LocalApi, log: logging.Logger) -> None:
    lease = leased(api)
    reporter = reporter_for(api, lease, log)
    assert reporter.report(1, float("nan")) is False
    assert curve(api, lease) == []


def test_heartbeats_renew_the_lease_once_a_third_of_it_has_passed_without_new_points(
    api_factory: ApiFactory, log: logging.Logger
) -> None:
    api = api_factory(lease_seconds=30.0)
    lease = leased(api)
    clock = ManualClock()
    reporter = reporter_for(api, lease, log, clock)
    reporter.heartbeat()  # the lease is fresh: nothing to renew yet
    reporter.report(1, 0.5)
    (before,) = api.client.trials(lease.job_id).items

    clock.now += 5.0  # a sixth of the lease
    reporter.heartbeat()
    (unchanged,) = api.client.trials(lease.job_id).items
    assert unchanged.lease_expires_at == before.lease_expires_at

    clock.now += 6.0  # past a third
    api.clock.advance(11.0)  # the service's time too, so that the renewal shows in the expiry
    reporter.heartbeat()
    (renewed,) = api.client.trials(lease.job_id).items
    assert before.lease_expires_at is not None and renewed.lease_expires_at is not None
    assert renewed.lease_expires_at > before.lease_expires_at
    assert curve(api, lease) == [(1, 0.5)]


def test_a_first_epoch_longer_than_the_lease_keeps_its_trial(
    api_factory: ApiFactory, log: logging.Logger
) -> None:
    api = api_factory(lease_seconds=30.0)
    lease = leased(api)
    clock = ManualClock()
    reporter = reporter_for(api, lease, log, clock)
    for _ in range(12):  # twice the lease, and not one report in it
        clock.now += 5.0
        api.clock.advance(5.0)
        reporter.heartbeat()
    assert not reporter.should_stop()
    assert reporter.report(1, 0.5) is False  # a late report would have been refused
    assert curve(api, lease) == [(1, 0.5)]


def test_a_lease_that_expired_stops_the_trial_and_is_remembered(
    api_factory: ApiFactory, log: logging.Logger
) -> None:
    api = api_factory(lease_seconds=30.0)
    lease = leased(api)
    reporter = reporter_for(api, lease, log)
    api.clock.advance(31.0)
    assert reporter.report(1, 0.5) is False
    assert reporter.should_stop()
    assert reporter.lost is not None and "lease expired" in reporter.lost
    assert not reporter.unauthorized


def test_a_stop_request_stops_the_trial(api: LocalApi, log: logging.Logger) -> None:
    stop = threading.Event()
    reporter = reporter_for(api, leased(api), log, stop=stop)
    assert not reporter.should_stop()
    stop.set()
    assert reporter.should_stop()
    assert reporter.lost is None


def test_a_refused_report_does_not_stop_the_trial(
    api: LocalApi, log: logging.Logger, caplog: pytest.LogCaptureFixture
) -> None:
    lease = leased(api)
    reporter = reporter_for(api, lease, log)
    with caplog.at_level(logging.ERROR):
        assert reporter.report(-1, 0.5) is False  # a step the service refuses (422)
    assert "refused a report" in caplog.text
    assert not reporter.should_stop()
    assert reporter.report(1, 0.5) is False
    assert curve(api, lease) == [(1, 0.5)]
