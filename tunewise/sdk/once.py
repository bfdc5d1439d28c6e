"""A completion is exactly once, and the network may lose its answer: sent again, it would be
refused with 409 although it was delivered. ``exactly_once`` tells the two apart by reading the
trial back, so that a completion can be retried like any idempotent call."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from tunewise.wire.client import ServiceClient
from tunewise.wire.errors import ApiError, ServiceUnavailableError, TrialGoneError
from tunewise.wire.models import Completion, Trial, TrialState

T = TypeVar("T")


def exactly_once(
    wire: ServiceClient,
    trial_id: int,
    completion: Completion,
    attempt: Callable[[], T],
    recognised: Callable[[Trial], T],
) -> Callable[[], T]:
    """``attempt`` made safe to repeat: once an attempt may have arrived (its answer was lost
    after sending) and a later one gets 409 ``already_finished``, the trial is read back, and
    if it finished the way ``completion`` says, the delivery was ours: ``recognised(trial)`` is
    the answer. Otherwise the 409 stands."""
    maybe_arrived = False

    def once() -> T:
        nonlocal maybe_arrived
        try:
            return attempt()
        except ServiceUnavailableError as exc:
            maybe_arrived = maybe_arrived or not exc.not_processed
            raise
        except TrialGoneError as exc:
            if not (maybe_arrived and exc.code == "already_finished"):
                raise
            trial = finished_as(wire, trial_id, completion)
            if trial is None:
                raise
            return recognised(trial)

    return once


def finished_as(wire: ServiceClient, trial_id: int, completion: Completion) -> Trial | None:
    """The trial, if it ended as ``completion`` says; None if not, or if it cannot be read
    (a worker token may not read trials)."""
    try:
        trial = wire.trial(trial_id)
    except ApiError:
        return None
    matches = {
        TrialState.COMPLETE: _same_result(completion, trial),
        TrialState.PRUNED: completion.pruned,
        TrialState.FAILED: completion.failed is not None and trial.reason == completion.failed,
    }
    return trial if matches.get(trial.state, False) else None


def _same_result(completion: Completion, trial: Trial) -> bool:
    """The trial holds this completion's value, and each of its ``values``."""
    if completion.value is None and completion.values is None:
        return False
    same_value = completion.value is None or trial.value == completion.value
    recorded = trial.values or {}
    given = completion.values or {}
    return same_value and all(recorded.get(metric) == v for metric, v in given.items())
