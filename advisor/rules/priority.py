"""The person's priority: time pressure favours Adam; chasing the best result adds SGD+momentum;
unsure means trying both."""

from __future__ import annotations

from advisor.rules.base import Condition, Effect, Rule, SearchEffect, Topic
from advisor.rules.kinds import ADAM_FAMILY, WITH_MOMENTUM, O
from advisor.rules.sources import Q2_000, seed
from advisor.task import Domain, Priority

#: Where the seeds name no clear winner between Adam and SGD+momentum.
UNDECIDED_DOMAINS = frozenset(
    {Domain.VISION, Domain.TABULAR, Domain.GRAPH, Domain.TIMESERIES, Domain.OTHER}
)
BOTH = SearchEffect(portfolio_needs=(ADAM_FAMILY, WITH_MOMENTUM))

TIME_PRESSURE = Rule(
    id="priority.time_pressure_adam",
    topic=Topic.PRIORITY,
    summary="Under time pressure, use Adam: it converges fastest.",
    condition=Condition(priorities=frozenset({Priority.FAST_CONVERGENCE})),
    effect=Effect(scores={O.ADAM: 0.6, O.ADAMW: 0.4}),
    sources=(seed("000", *Q2_000, quote="时间紧迫 → 用Adam（收敛快）"),),
)

BEST_RESULT = Rule(
    id="priority.best_result_try_sgd_too",
    topic=Topic.PRIORITY,
    summary=(
        "Chasing the best result (a leaderboard, a paper): try SGD with momentum as well as "
        "Adam; both stay in the search."
    ),
    condition=Condition(priorities=frozenset({Priority.BEST_GENERALIZATION})),
    effect=Effect(scores={O.MOMENTUM: 0.5, O.NESTEROV: 0.5}, search=BOTH),
    sources=(seed("000", *Q2_000, quote="要刷榜/论文** → 试试SGD+Momentum"),),
)

UNSURE = Rule(
    id="priority.unsure_try_both",
    topic=Topic.PRIORITY,
    summary=(
        "Unsure which matters more, on a task where the seeds name no clear winner: try both "
        "Adam and SGD with momentum."
    ),
    condition=Condition(
        priorities=frozenset({Priority.BALANCED}),
        any_of=(Condition(domains=UNDECIDED_DOMAINS), Condition(unknown=frozenset({"domain"}))),
    ),
    effect=Effect(search=BOTH),
    sources=(seed("000", *Q2_000, quote="追求最优 → 两个都试试"),),
)

RULES: tuple[Rule, ...] = (TIME_PRESSURE, BEST_RESULT, UNSURE)
