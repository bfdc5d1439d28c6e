"""Leasing ahead: a trial's pace says when the next lease is due (late, and only for epochs
short next to the lease), and a reserved lease is handed over once, or released rather than
left to expire."""

from __future__ import annotations

import logging
import sys
import threading
from datetime import UTC, datetime, timedelta

import pytest

from advisor.config import TrainConfig
from tunewise.wire.models import Lease, Objective
from workers.agent.ahead import LeaseAhead, TrialPace, worth_reserving
from workers.agent.errors import ServiceUnavailableError


def test_before_its_first_epoch_a_trial_is_judged_by_the_last_of_its_workload() -> None:
    pace = TrialPace(started=100.0, epochs=3, prior_epoch_s=2.0)
    assert pace.remaining_s(100.0) == 6.0
    assert pace.remaining_s(101.5) == 4.5  # the epoch under way is part done
    pace.epoch_ended(1, 103.0)  # slower than the last trial: its own pace counts now
    assert pace.epoch_s() == 3.0
    assert pace.remaining_s(103.0) == 6.0
    pace.epoch_ended(2, 104.0)  # the first epoch paid for the setup: the latest one counts
    assert pace.remaining_s(104.0) == 1.0


def test_an_epoch_running_long_never_makes_the_trial_look_further_from_its_end() -> None:
    pace = TrialPace(started=0.0, epochs=2, prior_epoch_s=None)
    assert pace.remaining_s(5.0) is None  # nothing to judge by yet
    pace.epoch_ended(1, 1.0)
    assert pace.remaining_s(1.5) == 0.5
    assert pace.remaining_s(9.0) == 0.0


@pytest.mark.parametrize(
    ("epochs_done", "now", "lease_s", "latency_s", "due"),
    [
        (1, 1.0, 300.0, 0.05, False),  # 3 s to go: too early, someone else could run it
        (3, 3.0, 300.0, 0.05, True),  # within a second of the end
        (2, 2.0, 300.0, 0.6, True),  # 2 s to go, but a lease takes 0.6 s
        (3, 3.0, 2.0, 0.05, False),  # an epoch is half the lease: the next might not fit
    ],
)
def test_a_lease_ahead_is_due_late_and_only_for_short_epochs(
    epochs_done: int, now: float, lease_s: float, latency_s: float, due: bool
) -> None:
    pace = TrialPace(started=0.0, epochs=4, prior_epoch_s=None)
    pace.epoch_ended(epochs_done, float(epochs_done))
    assert worth_reserving(pace, now, lease_s, latency_s) is due


def lease(trial_id: int, lease_s: float = 60.0) -> Lease:
    return Lease(
        trial_id=trial_id,
        number=trial_id,
        job_id="job",
        workload="tw-instant",
        params=TrainConfig(optimizer="adam", lr=0.01),
        max_epochs=2,
        objective=Objective(metric="mse"),
        lease_expires_at=datetime.now(UTC) + timedelta(seconds=lease_s),
        attempt=0,
    )


class Service:
    """Answers one lease per call, from a list; records what was released and why."""

    def __init__(self, *answers: Lease | None) -> None:
        self.answers = list(answers)
        self.released: list[tuple[int, str]] = []
        self.gate = threading.Event()
        self.gate.set()

    def lease_once(self) -> Lease | None:
        self.gate.wait(5)
        return self.answers.pop(0)

    def release(self, lease: Lease, why: str) -> None:
        self.released.append((lease.trial_id, why))


def ahead_of(service: Service) -> LeaseAhead:
    return LeaseAhead(service.lease_once, service.release, logging.getLogger("t"))


def test_a_reserved_lease_is_handed_over_once_waiting_for_it_if_on_its_way() -> None:
    service = Service(lease(1), lease(2))
    service.gate.clear()
    ahead = ahead_of(service)
    ahead.reserve()
    ahead.reserve()  # one at a time: the second ask is ignored
    threading.Timer(0.1, service.gate.set).start()
    taken = ahead.take()
    assert taken is not None and taken.trial_id == 1
    assert ahead.take() is None
    ahead.close()
    assert [left and left.trial_id for left in service.answers] == [2] and service.released == []


def test_taking_the_reserved_lease_frees_the_slot_for_the_next_at_once() -> None:
    """The loop asks for the trial after next right after it takes the next one (its result's
    complete-and-lease); the thread that held the taken lease may not have run since."""
    service = Service(lease(1))
    ahead = ahead_of(service)
    ahead.reserve()
    threading.Event().wait(0.05)  # held now
    interval = sys.getswitchinterval()
    sys.setswitchinterval(10.0)  # no other thread runs between take and expect
    try:
        taken = ahead.take()
        expected = ahead.expect()
    finally:
        sys.setswitchinterval(interval)
    assert taken is not None and taken.trial_id == 1
    assert expected
    ahead.adopt(None)
    ahead.close()
    assert service.released == []


def test_a_reservation_not_started_within_half_its_lease_is_released() -> None:
    service = Service(lease(1, lease_s=0.3))
    ahead = ahead_of(service)
    ahead.reserve()
    threading.Event().wait(0.4)
    assert service.released == [(1, "not started within half its lease")]
    assert ahead.take() is None
    ahead.close()


def test_a_reservation_held_when_the_worker_stops_is_released() -> None:
    service = Service(lease(1))
    ahead = ahead_of(service)
    ahead.reserve()
    threading.Event().wait(0.05)
    ahead.close()
    assert service.released == [(1, "the worker is stopping")]
    ahead.reserve()  # closed: nothing more is leased
    assert ahead.take() is None and len(service.answers) == 0


def test_an_outage_reserves_nothing_and_the_worker_leases_as_usual() -> None:
    def unavailable() -> Lease | None:
        raise ServiceUnavailableError("connection refused")

    ahead = LeaseAhead(unavailable, Service().release, logging.getLogger("t"))
    ahead.reserve()
    assert ahead.take() is None
    ahead.close()
