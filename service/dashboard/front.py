"""The Pareto front of a multi-objective job and each family's part in it: the complete,
feasible trials that no other complete, feasible trial beats on every objective at once."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from advisor import OptimizerName
from service.dashboard.objectives import ObjectiveAxis, ObjectivePoint
from service.dashboard.plots.sampling import sign


def dominates(a: Sequence[float], b: Sequence[float], signs: Sequence[float]) -> bool:
    """``a`` is at least as good as ``b`` on every objective and better on one."""
    pairs = [(s * x, s * y) for s, x, y in zip(signs, a, b, strict=True)]
    return all(x <= y for x, y in pairs) and any(x < y for x, y in pairs)


def pareto_front(
    points: Sequence[ObjectivePoint],
    objectives: Sequence[ObjectiveAxis],
    axes: Sequence[int] | None = None,
) -> list[ObjectivePoint]:
    """The scored, feasible points that no other one dominates on ``axes`` (all objectives by
    default), best first on the first of them. Trials with equal values are all kept, as
    Optuna's ``Study.best_trials`` keeps them (its ``_is_pareto_front`` maps the front of the
    unique values back to every duplicate: optuna/study/_multi_objective.py,
    https://github.com/optuna/optuna/blob/master/optuna/study/_multi_objective.py)."""
    chosen = list(range(len(objectives))) if axes is None else list(axes)
    signs = [sign(objectives[i].direction) for i in chosen]

    def key(point: ObjectivePoint) -> tuple[float, ...]:
        assert point.values is not None
        return tuple(s * point.values[i] for s, i in zip(signs, chosen, strict=True))

    candidates = sorted((p for p in points if p.scored and p.feasible), key=key)
    # In this order only an earlier point can dominate a later one, and whatever dominates
    # a point is itself dominated by (or is) a front member already found: checking the
    # front alone is enough, which keeps this near-linear for the fronts jobs have.
    front: list[ObjectivePoint] = []
    for point in candidates:
        mine = key(point)
        if not any(dominates(key(member), mine, [1.0] * len(chosen)) for member in front):
            front.append(point)
    return sorted(front, key=lambda p: (key(p), p.trial.number))


@dataclass(frozen=True)
class FamilyTradeoff:
    """One family's part in the trade-off."""

    family: OptimizerName
    complete: int
    infeasible: int
    #: Its trials on the job's front, best first on the first objective.
    on_front: tuple[ObjectivePoint, ...]
    #: Its best feasible trial on each objective (None: it has none).
    best: tuple[ObjectivePoint | None, ...]


def family_tradeoffs(
    points: Sequence[ObjectivePoint],
    objectives: Sequence[ObjectiveAxis],
    front: Sequence[ObjectivePoint],
) -> list[FamilyTradeoff]:
    """Per family tried: its counts, its front members and its best on each objective;
    families with most front members first."""
    found = []
    for family in sorted({p.trial.family for p in points}):
        mine = [p for p in points if p.trial.family is family and p.scored]
        feasible = [p for p in mine if p.feasible]
        best: list[ObjectivePoint | None] = []
        for index, axis in enumerate(objectives):
            s = sign(axis.direction)
            ranked = sorted(feasible, key=lambda p: (s * (p.values or ())[index], p.trial.number))
            best.append(ranked[0] if ranked else None)
        found.append(
            FamilyTradeoff(
                family=family,
                complete=len(mine),
                infeasible=len(mine) - len(feasible),
                on_front=tuple(p for p in front if p.trial.family is family),
                best=tuple(best),
            )
        )
    first = sign(objectives[0].direction)

    def order(tradeoff: FamilyTradeoff) -> tuple[int, float, str]:
        best = tradeoff.best[0]
        value = first * best.values[0] if best is not None and best.values else math.inf
        return (-len(tradeoff.on_front), value, tradeoff.family.value)

    return sorted(found, key=order)
