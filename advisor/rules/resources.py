"""Limits on one training run: memory and time, as the person states them.

A stated limit becomes a constraint the job puts on every trial; a stated trade-off becomes a
second objective. Optimizer state is memory (see ``advisor.memory`` for the bytes each family
keeps), so a tight memory limit ranks the lighter families higher; a time limit favours the
families that reach a good result soonest and a schedule that ends when the run does.
"""

from __future__ import annotations

from advisor.advice import SuggestedObjective
from advisor.rules.base import Adjustment, Condition, Effect, Rule, SearchEffect, Topic
from advisor.rules.kinds import ADAM_FAMILY, O
from advisor.rules.sources import (
    ADAFACTOR,
    ALGOPERF_RESULTS,
    BUDGETED_TRAINING,
    OPTUNA_MULTI_OBJECTIVE,
    OPTUNA_SAMPLERS,
    TORCH_ADAFACTOR,
    TORCH_ADAFACTOR_FOREACH,
    TORCH_OPTIM_SOURCE,
    ZERO,
)

#: Under a stated time limit, per Adam-family member (AlgoPerf's strong time-to-result
#: entries are Adam-style); half the seeds' time-pressure bonus, as it comes on top of it.
POINTS_FAST_UNDER_TIME_LIMIT = 0.3
#: Under a stated time limit, for Adafactor's slower default step.
POINTS_SLOW_STEP_UNDER_TIME_LIMIT = -0.2

MEMORY_LIMIT = Rule(
    id="resources.memory_limit_constraint",
    topic=Topic.RESOURCES,
    summary=(
        "A stated memory limit bounds every trial: peak_memory_mb at most the limit (1024 MB "
        "per GB), so a configuration that does not fit is marked infeasible, never best."
    ),
    condition=Condition(known=frozenset({"memory_limit_gb"})),
    effect=Effect(adjustments=(Adjustment.MEMORY_LIMIT_CONSTRAINT,)),
    sources=(OPTUNA_MULTI_OBJECTIVE,),
)

STATE_MEMORY = Rule(
    id="resources.optimizer_state_memory",
    topic=Topic.RESOURCES,
    summary=(
        "Optimizer state per parameter: plain SGD none, momentum and Nesterov one buffer, "
        "Adagrad and RMSProp one, Adam, AdamW, NAdam and RAdam two, Adafactor a factored second "
        "moment (rows and columns). When Adam's 16 bytes per parameter take over half the "
        "memory limit, the lighter families rank higher. Refines scale.memory_bound."
    ),
    condition=Condition(known=frozenset({"memory_limit_gb", "model_params"})),
    effect=Effect(adjustments=(Adjustment.RANK_BY_STATE_MEMORY,)),
    sources=(TORCH_OPTIM_SOURCE, ADAFACTOR, ZERO),
    refines=("scale.memory_bound",),
)

MODEL_EXCEEDS_MEMORY = Rule(
    id="resources.model_exceeds_memory",
    topic=Topic.RESOURCES,
    summary=(
        "When the model's weights, gradients and Adam state alone exceed the memory limit, say "
        "so with the arithmetic, and what still fits."
    ),
    condition=Condition(known=frozenset({"memory_limit_gb", "model_params"})),
    effect=Effect(adjustments=(Adjustment.MODEL_EXCEEDS_MEMORY,)),
    sources=(ZERO, TORCH_OPTIM_SOURCE),
)

TIME_LIMIT = Rule(
    id="resources.time_limit_constraint",
    topic=Topic.RESOURCES,
    summary=(
        "A stated time limit per run bounds every trial: train_seconds at most the limit, so "
        "a configuration that trains too long is marked infeasible, never best."
    ),
    condition=Condition(known=frozenset({"time_limit_s"})),
    effect=Effect(adjustments=(Adjustment.TIME_LIMIT_CONSTRAINT,)),
    sources=(OPTUNA_MULTI_OBJECTIVE,),
)

TIME_LIMIT_FAST_FAMILIES = Rule(
    id="resources.time_limit_fast_families",
    topic=Topic.RESOURCES,
    summary=(
        "Under a fixed time per run, Adam-style methods reach a good result soonest: the strong "
        "general entries of AlgoPerf's time-to-result benchmark (NAdamW baseline, Schedule-Free "
        "AdamW, generalized Adam) are Adam-style. Refines priority.time_pressure_adam."
    ),
    condition=Condition(known=frozenset({"time_limit_s"})),
    effect=Effect(scores=dict.fromkeys(ADAM_FAMILY, POINTS_FAST_UNDER_TIME_LIMIT)),
    sources=(ALGOPERF_RESULTS,),
    refines=("priority.time_pressure_adam",),
)

SLOW_STEP = Rule(
    id="resources.time_limit_slow_step",
    topic=Topic.RESOURCES,
    summary=(
        "Per-step cost under a time limit: torch's Adafactor runs its slower for-loop step by "
        "default, to save memory; it ranks a little lower, and foreach=True buys a little "
        "speed for about one parameter-sized buffer of peak memory."
    ),
    condition=Condition(known=frozenset({"time_limit_s"})),
    effect=Effect(scores={O.ADAFACTOR: POINTS_SLOW_STEP_UNDER_TIME_LIMIT}),
    sources=(TORCH_ADAFACTOR, TORCH_ADAFACTOR_FOREACH),
)

BUDGET_AWARE_SCHEDULE = Rule(
    id="resources.budget_aware_schedule",
    topic=Topic.RESOURCES,
    summary=(
        "Under a fixed budget the lr should reach zero when the budget ends: a constant, step "
        "or exponential schedule becomes linear decay to zero over the run."
    ),
    condition=Condition(known=frozenset({"time_limit_s"})),
    effect=Effect(adjustments=(Adjustment.BUDGET_AWARE_SCHEDULE,)),
    sources=(BUDGETED_TRAINING,),
)

TIME_TRADEOFF = Rule(
    id="resources.time_tradeoff_objective",
    topic=Topic.RESOURCES,
    summary=(
        "Training time weighed against quality is a second objective: minimize train_seconds "
        "beside the quality metric, and read the trade-off off the Pareto front."
    ),
    condition=Condition(time_tradeoff=True),
    effect=Effect(
        search=SearchEffect(objectives=(SuggestedObjective(metric="train_seconds"),)),
        notes=(
            "Two objectives (quality and train_seconds): the job finds the Pareto front of "
            "trade-offs instead of one best trial, and prunes nothing, since Optuna's pruners "
            "judge a single objective.",
        ),
    ),
    sources=(OPTUNA_MULTI_OBJECTIVE, OPTUNA_SAMPLERS),
)

RULES: tuple[Rule, ...] = (
    MEMORY_LIMIT,
    STATE_MEMORY,
    MODEL_EXCEEDS_MEMORY,
    TIME_LIMIT,
    TIME_LIMIT_FAST_FAMILIES,
    SLOW_STEP,
    BUDGET_AWARE_SCHEDULE,
    TIME_TRADEOFF,
)
