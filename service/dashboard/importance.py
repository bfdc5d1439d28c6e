"""Parameter importance that suits a conditional search space, computed in one pass.

Optuna's evaluators (fANOVA, PED-ANOVA) only judge parameters that every trial has; here each
family has its own, so only ``optimizer`` would qualify. Instead, on the ranks of the objective
(so one diverging trial does not dominate), each parameter's first-order effect as the share of
rank variance between groups of trials (η², the effect size of a Kruskal–Wallis test):

- the family: trials grouped by family;
- a numeric hyperparameter: within each family (so a family's typical lr does not pose as an
  lr effect), trials grouped into equal-count bins of the parameter, then averaged over the
  families weighted by their trials. Bins, unlike a correlation, see an optimum in the middle.

η² grows with the number of groups even for noise, so each is adjusted for chance
(ε² = (η² − (k−1)/(n−1)) / (1 − (k−1)/(n−1)), floored at 0). Scores are in [0, 1]; the figure
shows them normalised to sum to 1, as Optuna's do.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from service.dashboard.plots.sampling import complete
from service.dashboard.queries import TrialPoint, plotted_names

FAMILY = "optimizer"
#: Fewer complete trials than this (overall, or within a family for a parameter) say nothing.
MIN_TRIALS = 5
#: A parameter's values are grouped into at most this many bins (about five trials each).
MAX_BINS = 10


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


def adjusted(eta2: float, groups: int, n: int) -> float:
    """η² less what ``groups`` groups of ``n`` trials explain by chance alone."""
    if n <= groups:
        return 0.0
    chance = (groups - 1) / (n - 1)
    return max(0.0, (eta2 - chance) / (1 - chance))


def binned(values: Sequence[float], bins: int) -> list[str]:
    """Each value's equal-count bin (by rank, so ties stay together)."""
    order = ranks(values)
    return [str(min(bins - 1, int((r - 1) * bins / len(values)))) for r in order]


def param_importance(points: Sequence[TrialPoint]) -> list[Importance]:
    """Importance of the family, of each hyperparameter and of each of the job's own numeric
    dimensions, most important first."""
    done = complete(points)
    if len(done) < MIN_TRIALS:
        return []
    objective_ranks = ranks([p.value or 0.0 for p in done])
    found: list[Importance] = []
    families = [p.family.value for p in done]
    if len(set(families)) > 1:
        score = adjusted(eta_squared(families, objective_ranks), len(set(families)), len(done))
        found.append(Importance(FAMILY, score, len(done)))
    by_family: dict[str, list[int]] = defaultdict(list)
    for index, family in enumerate(families):
        by_family[family].append(index)
    for param in plotted_names(done):
        weighted, weight = 0.0, 0
        for indices in by_family.values():
            having = [i for i in indices if param in done[i].params]
            xs = [done[i].params[param] for i in having]
            if len(having) < MIN_TRIALS or len(set(xs)) < 2:
                continue  # too few, or held fixed in this family: it explains nothing here
            bins = max(2, min(MAX_BINS, len(having) // MIN_TRIALS))
            ys = [objective_ranks[i] for i in having]
            score = adjusted(eta_squared(binned(xs, bins), ys), bins, len(having))
            weighted += score * len(having)
            weight += len(having)
        if weight:
            found.append(Importance(param, weighted / weight, weight))
    return sorted(found, key=lambda i: (-i.score, i.param))
