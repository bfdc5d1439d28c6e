"""Parameter importance that suits a conditional search space, computed in one pass.

Optuna's evaluators (fANOVA, PED-ANOVA) only judge parameters that every trial has; here each
family has its own, so only ``optimizer`` would qualify. Instead, on the ranks of the objective:

- the family's importance is the share of rank variance between families (η² of a one-way
  ANOVA on ranks, i.e. Kruskal–Wallis's effect size);
- a numeric hyperparameter's importance is its squared Spearman correlation with the
  objective, computed within each family (so a family's typical lr does not pose as an lr
  effect) and averaged over families weighted by their trials.

Both are in [0, 1]; the figure shows them normalised to sum to 1, as Optuna's do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from service.dashboard.plots.sampling import complete
from service.dashboard.queries import PLOTTED_PARAMS, TrialPoint

FAMILY = "optimizer"
#: Fewer complete trials than this (overall, or within a family for a parameter) say nothing.
MIN_TRIALS = 5


@dataclass(frozen=True)
class Importance:
    param: str
    #: In [0, 1]: the share of the objective's rank variance the parameter accounts for.
    score: float
    trials: int


def ranks(values: Sequence[float]) -> list[float]:
    """Average ranks (ties share the mean of their positions), from 1."""
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in range(i, j + 1):
            result[order[k]] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(xs: Sequence[float], ys: Sequence[float]) -> float:
    rx, ry = ranks(xs), ranks(ys)
    n = len(rx)
    mx, my = sum(rx) / n, sum(ry) / n
    sxy = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    sxx = sum((a - mx) ** 2 for a in rx)
    syy = sum((b - my) ** 2 for b in ry)
    return 0.0 if sxx == 0 or syy == 0 else sxy / (sxx * syy) ** 0.5


def eta_squared(groups: Sequence[str], values: Sequence[float]) -> float:
    """Between-group share of the variance of ``values``."""
    mean = sum(values) / len(values)
    total = sum((v - mean) ** 2 for v in values)
    if total == 0:
        return 0.0
    members: dict[str, list[float]] = defaultdict(list)
    for group, value in zip(groups, values, strict=True):
        members[group].append(value)
    between = sum(len(m) * (sum(m) / len(m) - mean) ** 2 for m in members.values())
    return between / total


def param_importance(points: Sequence[TrialPoint]) -> list[Importance]:
    """Importance of the family and of each hyperparameter, most important first."""
    done = complete(points)
    if len(done) < MIN_TRIALS:
        return []
    objective_ranks = ranks([p.value or 0.0 for p in done])
    found: list[Importance] = []
    if len({p.family for p in done}) > 1:
        score = eta_squared([p.family.value for p in done], objective_ranks)
        found.append(Importance(FAMILY, score, len(done)))
    by_family: dict[str, list[int]] = defaultdict(list)
    for index, point in enumerate(done):
        by_family[point.family.value].append(index)
    for param in PLOTTED_PARAMS:
        weighted, weight = 0.0, 0
        for indices in by_family.values():
            having = [i for i in indices if param in done[i].params]
            if len(having) < MIN_TRIALS:
                continue
            xs = [done[i].params[param] for i in having]
            if len(set(xs)) < 2:
                continue  # held fixed in this family: it explains nothing here
            rho = spearman(xs, [objective_ranks[i] for i in having])
            weighted += rho * rho * len(having)
            weight += len(having)
        if weight:
            found.append(Importance(param, weighted / weight, weight))
    return sorted(found, key=lambda i: (-i.score, i.param))
