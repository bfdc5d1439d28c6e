"""The outbox sends in the order things were posted, keeps at each one through an outage,
says why one can never be sent, and on close gets a grace period, then gives up."""

from __future__ import annotations

import logging
import threading

from workers.agent.backoff import Backoff
from workers.agent.errors import ServiceUnavailableError, TrialGoneError
from workers.agent.outbox import Outbox, Parcel


class Ledger:
    def __init__(self) -> None:
        self.sent: list[str] = []
        self.lost: list[tuple[str, str]] = []

    def parcel(self, name: str, send: object = None) -> Parcel[str]:
        def lost(why: str, _exc: Exception) -> None:
            self.lost.append((name, why))

        return Parcel(
            what=f"send {name}",
            send=send if callable(send) else (lambda: name),
            on_sent=self.sent.append,
            on_lost=lost,
        )


def outbox() -> Outbox:
    return Outbox(Backoff(initial=0.01, maximum=0.02, jitter=0.0), logging.getLogger("t"))


def test_parcels_go_out_in_order_each_retried_through_an_outage() -> None:
    ledger = Ledger()
    failures = iter(range(5))

    def flaky() -> str:
        if next(failures, None) is not None:
            raise ServiceUnavailableError("connection refused")
        return "report 2"

    box = outbox()
    for parcel in (ledger.parcel("report 1"), ledger.parcel("report 2", flaky)):
        box.post(parcel)
    box.post(ledger.parcel("result"))
    box.close(grace_s=5)
    assert ledger.sent == ["report 1", "report 2", "result"]
    assert ledger.lost == []


def test_a_parcel_for_a_trial_that_is_gone_is_lost_with_the_reason_and_the_rest_go_on() -> None:
    ledger = Ledger()

    def gone() -> str:
        raise TrialGoneError(409, "conflict", "trial 3 already ended as failed")

    box = outbox()
    box.post(ledger.parcel("result 3", gone))
    box.post(ledger.parcel("result 4"))
    box.close(grace_s=5)
    assert ledger.lost == [("result 3", "trial 3 already ended as failed")]
    assert ledger.sent == ["result 4"]


def test_after_the_grace_period_what_is_left_is_given_up_and_said_so() -> None:
    ledger = Ledger()
    calls = threading.Event()

    def down() -> str:
        calls.set()
        raise ServiceUnavailableError("connection refused")

    box = outbox()
    box.post(ledger.parcel("result 1", down))
    box.post(ledger.parcel("result 2"))
    box.close(grace_s=0.2)
    assert calls.is_set() and ledger.sent == []
    assert [name for name, _ in ledger.lost] == ["result 1", "result 2"]
    assert "stopped while waiting to send result 1" in ledger.lost[0][1]


def test_one_trial_stuck_in_its_lane_does_not_hold_back_another_trials() -> None:
    ledger = Ledger()
    unblocked = threading.Event()

    def slow() -> str:
        unblocked.wait(5)
        return "result 1"

    box = outbox()
    box.post(ledger.parcel("result 1", slow), lane=1)
    box.post(ledger.parcel("report of trial 2"), lane=2)
    threading.Event().wait(0.1)
    assert ledger.sent == ["report of trial 2"]
    unblocked.set()
    box.close(grace_s=5)
    assert ledger.sent == ["report of trial 2", "result 1"]
