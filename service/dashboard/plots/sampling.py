"""Which trials a plot draws: all of them while that is cheap, otherwise the ones a person
looks for (the best, the latest) plus an even sample of the rest. Plots say when they thin."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Protocol, TypeVar

from service.dashboard.queries import TrialPoint
from tunewise.wire.models import Direction, TrialState


def sign(direction: Direction) -> float:
    """Multiplies a value so that smaller is always better."""
    return 1.0 if direction == "minimize" else -1.0


def complete(points: Sequence[TrialPoint]) -> list[TrialPoint]:
    return [p for p in points if p.state is TrialState.COMPLETE and p.value is not None]


def best_first(points: Sequence[TrialPoint], direction: Direction) -> list[TrialPoint]:
    """Finished trials with a value, best first (ties by number)."""
    s = sign(direction)
    valued = [p for p in points if p.value is not None and p.state.is_finished]
    return sorted(valued, key=lambda p: (s * (p.value or 0.0), p.number))


class Numbered(Protocol):
    @property
    def number(self) -> int: ...


NumberedT = TypeVar("NumberedT", bound=Numbered)


def thin(points: Sequence[NumberedT], cap: int, keep: Sequence[NumberedT] = ()) -> list[NumberedT]:
    """At most ``cap`` points (plus ``keep``): every k-th one, in the given order."""
    if len(points) <= cap:
        return list(points)
    chosen = {p.number for p in keep}
    stride = math.ceil(len(points) / cap)
    chosen.update(p.number for p in points[::stride])
    return [p for p in points if p.number in chosen]


def curve_subset(points: Sequence[TrialPoint], direction: Direction, cap: int) -> list[TrialPoint]:
    """Up to ``cap`` trials whose curves are worth drawing: the best half and the latest half
    (running ones included), by number."""
    if len(points) <= cap:
        return list(points)
    best = best_first(points, direction)[: cap // 2]
    chosen = {p.number for p in best}
    for point in reversed(points):
        if len(chosen) >= cap:
            break
        chosen.add(point.number)
    return [p for p in points if p.number in chosen]
