"""Several objectives: the Pareto front of a job's trials and the choice of one of them.

A trial is on the front when it is complete, feasible (or the job has no constraints) and no
other such trial is at least as good on every objective and better on one, which is Optuna's
definition (``Study.best_trials``). Which front trial is "best" is the user's trade-off: a
preference names one objective (``prefer=train_seconds``) or weighs them
(``weights=val_loss:0.7,train_seconds:0.3``, a weighted sum of each objective min-max
normalised over the front, so the weights do not depend on the metrics' units); without one,
the first objective decides.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.db import JobRow, TrialLeaseRow
from service.errors import InvalidInputError
from tunewise.wire.models import Objective, TrialState

Item = TypeVar("Item")


@dataclass(frozen=True)
class Preference:
    """How to pick one trial of a front: by one objective, or by weights (metric -> weight)."""

    prefer: str | None = None
    weights: tuple[tuple[str, float], ...] = ()

    @classmethod
    def parse(
        cls, prefer: str | None, weights: str | None, objectives: Sequence[Objective]
    ) -> Preference:
        """From the query parameters, for a job with these objectives: a metric that is not
        one of them, a malformed weight or both parameters at once is a 422 naming the
        parameter."""
        metrics = [o.metric for o in objectives]
        preference = cls.parse_any(prefer, weights, example=metrics[0])
        named = [preference.prefer] if preference.prefer else [m for m, _ in preference.weights]
        for metric in named:
            if metric not in metrics:
                raise InvalidInputError(
                    f"{metric!r} is not one of the job's objectives ({', '.join(metrics)})",
                    field="prefer" if preference.prefer else "weights",
                )
        return preference

    @classmethod
    def parse_any(
        cls, prefer: str | None, weights: str | None, example: str = "val_loss"
    ) -> Preference:
        """From the query parameters, whatever the objectives (recommendations span jobs):
        only the form is checked."""
        if prefer is not None and weights is not None:
            raise InvalidInputError("give prefer or weights, not both", field="weights")
        if prefer is not None:
            return cls(prefer=prefer)
        if weights is None:
            return cls()
        parsed: dict[str, float] = {}
        for part in weights.split(","):
            metric, sep, number = part.strip().rpartition(":")
            try:
                weight = float(number)
            except ValueError:
                weight = -1.0
            if not sep or not metric or not weight >= 0 or metric in parsed:
                raise InvalidInputError(
                    f"weights: {part.strip()!r} is not <objective>:<weight >= 0> with a "
                    f"distinct objective (e.g. weights={example}:1)",
                    field="weights",
                )
            parsed[metric] = weight
        if sum(parsed.values()) <= 0:
            raise InvalidInputError("weights: at least one weight must be > 0", field="weights")
        return cls(weights=tuple(parsed.items()))

    def within(self, objectives: Sequence[Objective]) -> Preference:
        """The part of this preference that names these objectives (the default if none)."""
        metrics = {o.metric for o in objectives}
        if self.prefer is not None:
            return self if self.prefer in metrics else Preference()
        kept = tuple((m, w) for m, w in self.weights if m in metrics)
        return Preference(weights=kept) if sum(w for _, w in kept) > 0 else Preference()

    def describe(self) -> str:
        if self.prefer:
            return f"best {self.prefer}"
        if self.weights:
            return "weights " + ",".join(f"{m}:{w:g}" for m, w in self.weights)
        return "first objective"


def dominates(a: Sequence[float], b: Sequence[float], signs: Sequence[float]) -> bool:
    """Whether ``a`` is at least as good as ``b`` everywhere and better somewhere; ``signs``
    is +1 for an objective minimised, -1 for one maximised."""
    better = False
    for x, y, sign in zip(a, b, signs, strict=True):
        if sign * x > sign * y:
            return False
        if sign * x < sign * y:
            better = True
    return better


def front(
    items: Sequence[Item], objectives: Sequence[Objective], values: Callable[[Item], list[float]]
) -> list[Item]:
    """The items no other item dominates, ordered by the first objective (best first; ties in
    the order given). Identical points all stay (Optuna keeps them too)."""
    signs = _signs(objectives)
    points = [values(item) for item in items]
    kept = [
        item
        for i, item in enumerate(items)
        if not any(dominates(points[j], points[i], signs) for j in range(len(items)) if j != i)
    ]
    return sorted(kept, key=lambda item: signs[0] * values(item)[0])


def choose(
    items: Sequence[Item],
    objectives: Sequence[Objective],
    values: Callable[[Item], list[float]],
    preference: Preference,
) -> Item | None:
    """The item the preference picks among ``items`` (a front); the first of equals wins."""
    if not items:
        return None
    metrics = [o.metric for o in objectives]
    signs = _signs(objectives)
    if not preference.weights:
        index = metrics.index(preference.prefer) if preference.prefer else 0
        return min(items, key=lambda item: signs[index] * values(item)[index])
    points = [values(item) for item in items]
    lows = [min(p[k] for p in points) for k in range(len(metrics))]
    highs = [max(p[k] for p in points) for k in range(len(metrics))]
    weight = dict(preference.weights)

    def cost(point: list[float]) -> float:
        total = 0.0
        for k, metric in enumerate(metrics):
            span = highs[k] - lows[k]
            if span <= 0 or not weight.get(metric):
                continue
            # 0 at the front's best on this objective, 1 at its worst.
            scaled = (point[k] - lows[k]) / span
            total += weight[metric] * (scaled if signs[k] > 0 else 1.0 - scaled)
        return total

    return items[min(range(len(items)), key=lambda i: cost(points[i]))]


def _signs(objectives: Sequence[Objective]) -> list[float]:
    return [1.0 if o.direction == "minimize" else -1.0 for o in objectives]


def front_rows(
    session: Session, job: JobRow, objectives: Sequence[Objective]
) -> list[TrialLeaseRow]:
    """The job's complete, feasible trials on the front (feasible: not marked infeasible)."""
    rows = session.scalars(
        select(TrialLeaseRow)
        .where(
            TrialLeaseRow.job_id == job.id,
            TrialLeaseRow.state == TrialState.COMPLETE.value,
            TrialLeaseRow.feasible.is_not(False),
        )
        .order_by(TrialLeaseRow.number)
    ).all()
    metrics = [o.metric for o in objectives]
    usable = [r for r in rows if r.metrics is not None and all(m in r.metrics for m in metrics)]
    return front(usable, objectives, lambda row: row_values(row, metrics))


def row_values(row: TrialLeaseRow, metrics: Sequence[str]) -> list[float]:
    assert row.metrics is not None
    return [float(row.metrics[m]) for m in metrics]
