"""Diagnostics for the person: the lr finder and the beginner's pitfalls."""

from __future__ import annotations

from advisor.rules.adjustments import LR_CEILING, LR_FLOOR
from advisor.rules.base import Condition, Effect, Rule, Topic, at_most
from advisor.rules.sources import PITFALLS_001, Q1_000, SMITH_CLR, TORCH_TRAINING_LOOP, seed
from advisor.task import Symptom

#: Symptoms that point at the learning rate.
LR_SYMPTOMS = frozenset(
    {Symptom.LOSS_NOT_DECREASING, Symptom.SLOW_CONVERGENCE, Symptom.OSCILLATION}
)

LR_FINDER = Rule(
    id="diagnostics.lr_finder",
    topic=Topic.DIAGNOSTICS,
    summary=(
        f"The lr finder: sweep the lr log-uniformly from {LR_FLOOR:g} to {LR_CEILING:g} over "
        "about 100 steps and read the loss curve."
    ),
    condition=Condition(
        any_of=(Condition(symptoms=LR_SYMPTOMS), Condition(budget_trials=at_most(9)))
    ),
    effect=Effect(
        notes=(
            f"Run the lr finder first (tunewise lr-find): about 100 steps with the lr rising "
            f"log-uniformly from {LR_FLOOR:g} to {LR_CEILING:g}; pick an lr about ten times "
            "below the point where the loss is lowest, before it blows up.",
        ),
    ),
    sources=(
        SMITH_CLR,
        seed("000", *Q1_000, quote="使用学习率查找器"),
    ),
)

PITFALLS = Rule(
    id="diagnostics.pitfalls",
    topic=Topic.DIAGNOSTICS,
    summary=(
        "Beginners' pitfalls: forgetting zero_grad(), reading gradients after step(), an lr far "
        "too large (oscillation) or too small (slow progress)."
    ),
    condition=Condition(
        any_of=(
            Condition(symptoms=LR_SYMPTOMS | {Symptom.LOSS_SPIKES}),
            Condition(unknown=frozenset({"domain", "architecture"})),
        )
    ),
    effect=Effect(
        notes=(
            "Check the loop: call optimizer.zero_grad() before every backward() (gradients "
            "accumulate otherwise), and read gradients after backward() but before step().",
        ),
    ),
    sources=(
        TORCH_TRAINING_LOOP,
        seed("001", *PITFALLS_001, quote="忘记 zero_grad()"),
    ),
)

RULES: tuple[Rule, ...] = (LR_FINDER, PITFALLS)
