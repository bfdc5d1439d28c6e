"""The search plan: a portfolio of the best-ranked families and the parameters worth tuning."""

from __future__ import annotations

from collections.abc import Sequence

from advisor.advice import Candidate, SearchPlan
from advisor.draft import SearchDraft
from advisor.families import ParamName
from advisor.normalise import DEFAULT_BUDGET_TRIALS
from advisor.rules.base import Families
from advisor.task import NormalisedTask

#: The search-space name of a hybrid's sparse embedding lr (a TrainConfig field, not a ParamName).
SPARSE_LR = "sparse_lr"


def _portfolio(ranked: Sequence[Candidate], draft: SearchDraft) -> list[Candidate]:
    """The top families, then each required group's best member swapped in for the lowest
    member that no other group needs."""
    eligible = [c for c in ranked if c.optimizer not in draft.excludes]
    chosen = eligible[: max(1, min(draft.portfolio_size, len(eligible)))]

    def sole_member(candidate: Candidate, group: Families) -> bool:
        members = [c for c in chosen if c.optimizer in group]
        return members == [candidate]

    for group in draft.needs:
        if any(c.optimizer in group for c in chosen):
            continue
        best = next((c for c in eligible if c.optimizer in group), None)
        if best is None:
            continue
        spare = [c for c in chosen if not any(sole_member(c, g) for g in draft.needs)]
        if spare:
            chosen.remove(spare[-1])
        chosen.append(best)
    return sorted(chosen, key=eligible.index)


def plan_search(
    task: NormalisedTask, ranked: Sequence[Candidate], draft: SearchDraft
) -> SearchPlan:
    portfolio = _portfolio(ranked, draft)
    searchable = {name for c in portfolio for name in c.search_space}
    tuned: tuple[str, ...] = tuple(
        p.value for p in ParamName if p in draft.tune and p.value in searchable
    )
    if ParamName.LR in draft.tune and SPARSE_LR in searchable:
        # A hybrid's embedding lr is an lr: tuned whenever the dense lr is.
        tuned = (*tuned, SPARSE_LR)
    return SearchPlan(
        sampler=draft.sampler,
        pruner=draft.pruner,
        n_trials=task.budget_trials or DEFAULT_BUDGET_TRIALS,
        tuned_params=tuned,
        families=tuple(c.optimizer for c in portfolio),
        constraints=tuple(draft.constraints.values()),
        secondary_objectives=tuple(draft.objectives.values()),
        rationale=tuple(draft.rationale),
    )
