"""Learned advice: the static advice changed by the evidence of similar ended jobs.

Given the static advice for a task and the ended jobs its owner may use, only jobs that
optimised the same metric the same way and whose similarity (service.evidence.similarity)
reaches the threshold count. With none, :func:`learn` returns the static advice itself,
unchanged. Otherwise three things change, each stated in the rationale with the jobs it came
from (``/v1/jobs/{id}``), so every change can be seen and checked:

**Family order (a Beta-Bernoulli update).** Each candidate family's score ``s`` (the rules' and
the recipe corpus's verdict, 0..1) is the prior mean of a Beta prior worth
:data:`PRIOR_STRENGTH` jobs: ``Beta(s * N0, (1 - s) * N0)`` with ``N0 = 6``. A similar job that
completed trials of at least two families is one observation for each of them, weighted by its
similarity ``w``: a win (the family held that job's best value) or a loss. The posterior mean
``(s * N0 + sum(w * win)) / (N0 + sum(w))`` is the family's new score, and candidates (and the
searched families) are re-ordered by it. One job moves a score by at most ``1 / (N0 + 1)``
(0.14), so one lucky job cannot overturn a strong rule (0.9 against 0.5 stays ahead); about
five consistent jobs can.

**Ranges re-centred.** When similar jobs' best configs hold at least two values of a family's
lr, its lr range becomes ``[min / 4, max * 4]`` of those values, clipped to the advisor's own
range, so the search stays inside the advisor's bounds.

**Warm starts.** The most similar job's best configs (up to ``k <= 5``), each re-validated
against the new search space: a family the new space does not search is skipped, a value
outside its new range is dropped (the sampler fills it), and the point must make a valid
config. They become the job's first trials, marked with where they came from.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from advisor import Advice, Candidate, OptimizerName, Range, RationaleItem
from service.evidence.similarity import THRESHOLD, Match, similarity
from service.evidence.store import PastJob, comparable
from service.tuning.space import OPTIMIZER_PARAM, InvalidPointError, SearchSpace, StudyParams
from tunewise.wire.dimensions import UserDimension

#: How many jobs' worth of evidence the advisor's own score is worth.
PRIOR_STRENGTH = 6.0
#: Scores are kept off 0 and 1 so that evidence can always move them.
_SCORE_FLOOR = 0.02
MAX_WARM_STARTS = 5
#: How far around the good lr values a re-centred range reaches (a factor each way).
LR_MARGIN = 4.0
#: Warm-start labels are stored in a 200-character column.
_LABEL_MAX = 200


@dataclass(frozen=True)
class WarmStart:
    study_params: StudyParams
    label: str
    job_id: str
    value: float


@dataclass(frozen=True)
class Learned:
    advice: Advice
    #: Every change from the static advice, as rationale lines with their sources.
    changes: tuple[RationaleItem, ...]
    warm_starts: tuple[WarmStart, ...]
    #: The similar jobs used, most similar first.
    matches: tuple[tuple[PastJob, Match], ...]


def learn(
    advice: Advice,
    *,
    workload: str | None,
    metric: str,
    direction: str,
    past: Sequence[PastJob],
    optimizers: Sequence[OptimizerName] | None = None,
    n_trials: int | None = None,
    dimensions: Mapping[str, UserDimension] | None = None,
) -> Learned:
    matches = similar(advice, workload, comparable(past, metric, direction))
    if not matches:
        return Learned(advice, (), (), ())
    changes: list[RationaleItem] = []
    candidates = list(advice.candidates)
    candidates, family_changes = _reorder(candidates, matches)
    changes += family_changes
    candidates, range_changes = _recentre(candidates, matches)
    changes += range_changes
    order = {c.optimizer: i for i, c in enumerate(candidates)}
    searched = tuple(sorted(advice.search.families, key=lambda f: order.get(f, len(order))))
    learned = advice.model_copy(
        update={
            "candidates": tuple(candidates),
            "search": advice.search.model_copy(update={"families": searched}),
        }
    )
    budget = n_trials or advice.search.n_trials
    warm = _warm_starts(
        learned, optimizers, matches[0], k=min(MAX_WARM_STARTS, budget), dimensions=dimensions
    )
    if warm:
        best, match = matches[0]
        changes.append(
            RationaleItem(
                rule="evidence.warm_start",
                text=f"warm start: {len(warm)} config{'s' if len(warm) > 1 else ''} from job "
                f"{best.job_id}, {match.describe()}",
                source=best.path,
            )
        )
    search = learned.search.model_copy(
        update={"rationale": learned.search.rationale + tuple(changes)}
    )
    return Learned(learned.model_copy(update={"search": search}), tuple(changes), warm, matches)


def similar(
    advice: Advice, workload: str | None, past: Sequence[PastJob]
) -> tuple[tuple[PastJob, Match], ...]:
    """Past jobs at or above the threshold, most similar first (most recent first on ties)."""
    scored = [(p, similarity(advice.task, workload, p.task, p.workload)) for p in past]
    kept = [(p, m) for p, m in scored if m.score >= THRESHOLD]
    return tuple(sorted(kept, key=lambda pm: -pm[1].score))


def posterior(prior_score: float, wins: float, observations: float) -> float:
    """The Beta-Bernoulli posterior mean described in the module docstring."""
    s = min(max(prior_score, _SCORE_FLOOR), 1 - _SCORE_FLOOR)
    return (s * PRIOR_STRENGTH + wins) / (PRIOR_STRENGTH + observations)


def _reorder(
    candidates: list[Candidate], matches: Sequence[tuple[PastJob, Match]]
) -> tuple[list[Candidate], list[RationaleItem]]:
    changes: list[RationaleItem] = []
    updated: list[Candidate] = []
    for candidate in candidates:
        wins = observations = 0.0
        jobs: list[str] = []
        won = 0
        for past, match in matches:
            if len(past.families) < 2:
                continue  # a job that tried one family says nothing about which is better
            result = next((f for f in past.families if f.family == candidate.optimizer), None)
            if result is None:
                continue
            observations += match.score
            wins += match.score if result.rank == 1 else 0.0
            won += result.rank == 1
            jobs.append(past.path)
        if not jobs:
            updated.append(candidate)
            continue
        score = round(posterior(candidate.score, wins, observations), 4)
        verb = "raised" if score > candidate.score else "lowered"
        item = RationaleItem(
            rule="evidence.family_order",
            text=f"family order: {candidate.optimizer.value} {verb} by {len(jobs)} similar "
            f"job{'s' if len(jobs) > 1 else ''} (best family in {won}; score "
            f"{candidate.score:.2f} -> {score:.2f}, Beta prior worth {PRIOR_STRENGTH:g} jobs)",
            source=", ".join(jobs[:5]),
        )
        changes.append(item)
        updated.append(
            candidate.model_copy(update={"score": score, "rationale": (*candidate.rationale, item)})
        )
    ranked = sorted(updated, key=lambda c: -c.score)  # stable: ties keep the static order
    return ranked, changes


def _recentre(
    candidates: list[Candidate], matches: Sequence[tuple[PastJob, Match]]
) -> tuple[list[Candidate], list[RationaleItem]]:
    changes: list[RationaleItem] = []
    out: list[Candidate] = []
    for candidate in candidates:
        current = candidate.search_space.get("lr")
        name = f"{candidate.optimizer.value}.lr"
        values: list[float] = []
        jobs: list[str] = []
        for past, _ in matches:
            found = [
                float(c.study_params[name])
                for c in past.top_configs
                if isinstance(c.study_params.get(name), int | float)
            ]
            if found:
                values += found
                jobs.append(past.path)
        if not isinstance(current, Range) or not current.log or len(values) < 2:
            out.append(candidate)
            continue
        low = max(current.low, min(values) / LR_MARGIN)
        high = min(current.high, max(values) * LR_MARGIN)
        if not low < high or (math.isclose(low, current.low) and math.isclose(high, current.high)):
            out.append(candidate)
            continue
        item = RationaleItem(
            rule="evidence.lr_range",
            text=f"{candidate.optimizer.value} lr range re-centred on {len(values)} good trials "
            f"of {len(jobs)} similar job{'s' if len(jobs) > 1 else ''}: {low:.3g}..{high:.3g} "
            f"(advisor's {current.low:.3g}..{current.high:.3g})",
            source=", ".join(jobs[:5]),
        )
        changes.append(item)
        space = dict(candidate.search_space)
        space["lr"] = Range(low=low, high=high, log=True)
        out.append(
            candidate.model_copy(
                update={"search_space": space, "rationale": (*candidate.rationale, item)}
            )
        )
    return out, changes


def _warm_starts(
    advice: Advice,
    optimizers: Sequence[OptimizerName] | None,
    best: tuple[PastJob, Match],
    k: int,
    dimensions: Mapping[str, UserDimension] | None = None,
) -> tuple[WarmStart, ...]:
    past, match = best
    space = SearchSpace.from_advice(advice, optimizers, dimensions)
    chosen: list[WarmStart] = []
    seen: set[tuple[tuple[str, object], ...]] = set()
    for config in past.top_configs:
        if len(chosen) >= k:
            break
        point = revalidate(space, config.study_params)
        if point is None:
            continue
        key = tuple(sorted(point.items()))
        if key in seen:
            continue
        seen.add(key)
        label = f"warm start: trial {config.number} of job {past.job_id} ({match.describe()})"
        chosen.append(WarmStart(point, label[:_LABEL_MAX], past.job_id, config.value))
    return tuple(chosen)


def revalidate(space: SearchSpace, study_params: dict[str, object]) -> StudyParams | None:
    """The past point in the new space: None when its family is not searched or it makes no
    valid config; values outside their new range, and dimensions of the user's own that the new
    job does not search (or has no value for), are left out for the sampler to fill."""
    try:
        family = space.families[OptimizerName(str(study_params.get(OPTIMIZER_PARAM)))]
    except (KeyError, ValueError):
        return None
    point: StudyParams = {OPTIMIZER_PARAM: family.family.value}
    for param, dimension in family.dimensions.items():
        value = study_params.get(family.study_name_of(param))
        if isinstance(dimension, Range):
            numeric = isinstance(value, int | float) and not isinstance(value, bool)
            if numeric and dimension.contains(float(value)):  # type: ignore[arg-type]
                point[family.study_name_of(param)] = value  # type: ignore[assignment]
        elif isinstance(value, bool | int | float | str) and dimension.contains(value):
            point[family.study_name_of(param)] = value
    # The job's own dimensions the past point has values for, inside their new ranges.
    point.update(space.user_point(study_params))
    try:
        space.config_for(point)
    except InvalidPointError:
        return None
    return point
