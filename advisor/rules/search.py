"""The search plan: what to tune at a budget, which families to search, sampler and pruner."""

from __future__ import annotations

from advisor.families import ParamName
from advisor.rules.base import (
    Adjustment,
    Between,
    Condition,
    Effect,
    Rule,
    SearchEffect,
    Topic,
    at_least,
    at_most,
)
from advisor.rules.kinds import ADAM_FAMILY
from advisor.rules.sources import (
    CHOI,
    CROWDED_VALLEY,
    HYPERBAND,
    OPTUNA_SAMPLERS,
    PLAYBOOK,
)

P = ParamName
TINY_BUDGET = at_most(9)


def _budget(low: int, high: int | None = None) -> Condition:
    return Condition(budget_trials=Between(low=low, high=high))


OPTUNA_DEFAULTS = Rule(
    id="search.optuna_defaults",
    topic=Topic.SEARCH,
    summary=(
        "Search with Optuna's TPE sampler and prune with the median rule (a trial below the "
        "median of earlier trials at the same step stops)."
    ),
    effect=Effect(search=SearchEffect(sampler="tpe", pruner="median")),
    sources=(OPTUNA_SAMPLERS,),
)

POPULAR_FIRST = Rule(
    id="search.popular_optimizer_first",
    topic=Topic.SEARCH,
    summary=(
        "Start from the optimizer most popular for the problem type. Refines default.adam_cosine."
    ),
    condition=Condition(known=frozenset({"domain"})),
    refines=("default.adam_cosine",),
    effect=Effect(
        notes=(
            "Begin with the top candidate (the optimizer most popular for this kind of problem) "
            "at its defaults as a baseline; tune only once that baseline trains.",
        ),
    ),
    sources=(PLAYBOOK,),
)

_TUNED_BY_TIER: tuple[tuple[str, Condition, tuple[ParamName, ...], str], ...] = (
    ("budget_lr_only", _budget(1, 9), (P.LR,), "Under 10 trials, tune the lr only."),
    (
        "budget_add_momentum",
        _budget(10, 24),
        (P.LR, P.BETA1, P.MOMENTUM),
        "With 10–24 trials, tune the lr and momentum (beta1 for Adam-type families).",
    ),
    (
        "budget_add_eps_and_decay",
        _budget(25, 59),
        (P.LR, P.BETA1, P.MOMENTUM, P.EPS, P.WEIGHT_DECAY),
        "With 25+ trials, add eps and weight decay.",
    ),
    (
        "budget_add_beta2",
        _budget(60),
        (P.LR, P.BETA1, P.MOMENTUM, P.EPS, P.WEIGHT_DECAY, P.BETA2, P.ALPHA),
        "With many trials (60+), add beta2 (alpha, its RMSProp counterpart, too).",
    ),
)

BUDGET_TIERS: tuple[Rule, ...] = tuple(
    Rule(
        id=f"search.{name}",
        topic=Topic.SEARCH,
        summary=f"{summary} Refines ranges.tuning_order.",
        condition=condition,
        effect=Effect(search=SearchEffect(tune=tuned)),
        sources=(PLAYBOOK,),
        refines=("ranges.tuning_order",),
    )
    for name, condition, tuned, summary in _TUNED_BY_TIER
)

PORTFOLIO = Rule(
    id="search.portfolio_by_budget",
    topic=Topic.SEARCH,
    summary=(
        "At small budgets a portfolio of two to four optimizers at good defaults rivals deep "
        "tuning of one: search 2 families under 10 trials, 3 under 25, 4 under 60, 6 beyond. "
        "Refines priority.unsure_try_both."
    ),
    effect=Effect(adjustments=(Adjustment.PORTFOLIO_SIZE_BY_BUDGET,)),
    sources=(CROWDED_VALLEY,),
    refines=("priority.unsure_try_both",),
)

WIDE_SPACES = Rule(
    id="search.wide_spaces_favour_adam",
    topic=Topic.SEARCH,
    summary=(
        "When eps and beta1 are tuned too (25+ trials), Adam-family methods do not lose to "
        "SGD+momentum: narrow search spaces, not the methods, flipped earlier rankings. "
        "Refines priority.best_result_try_sgd_too."
    ),
    condition=Condition(budget_trials=at_least(25)),
    effect=Effect(scores=dict.fromkeys(ADAM_FAMILY, 0.3)),
    sources=(CHOI,),
    refines=("priority.best_result_try_sgd_too",),
)

QUASI_RANDOM = Rule(
    id="search.quasi_random_tiny_budget",
    topic=Topic.SEARCH,
    summary=(
        "Under 10 trials a model-based sampler has nothing to learn from: spread the trials "
        "with quasi-random (Sobol) search."
    ),
    condition=Condition(budget_trials=TINY_BUDGET),
    effect=Effect(search=SearchEffect(sampler="qmc")),
    sources=(PLAYBOOK, OPTUNA_SAMPLERS),
)

NO_BLIND_PRUNING = Rule(
    id="search.no_pruning_blind_tiny_budget",
    topic=Topic.SEARCH,
    summary=(
        "With under 10 trials and no known run length, pruning compares too few, too uneven "
        "curves: let every trial finish."
    ),
    condition=Condition(budget_trials=TINY_BUDGET, unknown=frozenset({"epochs", "steps"})),
    effect=Effect(search=SearchEffect(pruner="none")),
    sources=(OPTUNA_SAMPLERS,),
)

HYPERBAND_KNOWN_LENGTH = Rule(
    id="search.hyperband_known_length",
    topic=Topic.SEARCH,
    summary=(
        "With 30+ trials and a known run length (epochs or steps), Hyperband spends the budget "
        "on the promising trials across several brackets."
    ),
    condition=Condition(
        budget_trials=at_least(30),
        any_of=(Condition(known=frozenset({"epochs"})), Condition(known=frozenset({"steps"}))),
    ),
    effect=Effect(search=SearchEffect(pruner="hyperband")),
    sources=(HYPERBAND, OPTUNA_SAMPLERS),
)

RULES: tuple[Rule, ...] = (
    OPTUNA_DEFAULTS,
    POPULAR_FIRST,
    *BUDGET_TIERS,
    PORTFOLIO,
    WIDE_SPACES,
    QUASI_RANDOM,
    NO_BLIND_PRUNING,
    HYPERBAND_KNOWN_LENGTH,
)
