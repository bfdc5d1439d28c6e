"""What a ``{value}``/``{values}`` completion means for its job: one value per objective in
the study's order, every metric reported, and each constraint's violation in Optuna's
convention. Checked before anything is written: a metric the job needs and the completion
lacks is a 422 naming ``values.<metric>``."""

from __future__ import annotations

from dataclasses import dataclass

from service.errors import InvalidInputError
from service.tuning.studies import LoadedStudy
from tunewise.wire.models import Completion


@dataclass(frozen=True)
class Reported:
    """A completion's values as the job's study takes them."""

    #: One per objective, in the study's order.
    values: list[float]
    metrics: dict[str, float] | None
    #: One per constraint, Optuna's convention (<= 0 when met); None without constraints.
    violations: list[float] | None

    @property
    def feasible(self) -> bool | None:
        return None if self.violations is None else all(v <= 0 for v in self.violations)


def reported(loaded: LoadedStudy, done: Completion) -> Reported:
    objectives, constraints = loaded.objectives, loaded.constraints
    if len(objectives) <= 1 and not constraints:
        if done.value is not None:
            return Reported([done.value], done.values, None)
        metric = objectives[0].metric if objectives else "value"
        if done.values is None or metric not in done.values:
            raise InvalidInputError(
                f"complete needs the objective {metric!r}: give value or values.{metric}",
                field=f"values.{metric}",
            )
        return Reported([done.values[metric]], done.values, None)
    given = dict(done.values or {})
    if done.value is not None and len(objectives) == 1:
        given.setdefault(objectives[0].metric, done.value)
    needed = [o.metric for o in objectives] + [c.metric for c in constraints]
    for metric in needed:
        if metric not in given:
            raise InvalidInputError(
                f"this job needs values for {', '.join(dict.fromkeys(needed))}; "
                f"values lacks {metric!r}",
                field=f"values.{metric}",
            )
    violations = [c.violation(given[c.metric]) for c in constraints] if constraints else None
    return Reported([given[o.metric] for o in objectives], given, violations)
