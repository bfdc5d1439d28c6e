"""Learning-rate schedules: the seeds' four, the person's own, and the Playbook's limits."""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.rules.adjustments import MAX_WARMUP_FRACTION, SEED_SCHEDULES, seed_schedule
from advisor.rules.base import (
    Adjustment,
    Condition,
    Effect,
    Rule,
    ScheduleSetting,
    Topic,
    at_least,
)
from advisor.rules.kinds import ALL, SGD_FAMILY
from advisor.rules.sources import (
    ADVANCED_001,
    DECISION_TREE_000,
    GOYAL,
    GUIDE_002,
    PLAYBOOK,
    RESNET,
    SCHEDULERS_000,
    seed,
)
from advisor.task import Architecture, Domain, Priority

S = ScheduleName

SEED_CATALOGUE = Rule(
    id="schedules.seed_schedules",
    topic=Topic.SCHEDULES,
    summary=(
        "The seeds' schedules: StepLR (×0.1 every 30 epochs), cosine annealing (the default "
        "here), exponential (×0.95 per epoch), and warmup then cosine for Transformers."
    ),
    effect=Effect(
        schedules=(ScheduleSetting(families=ALL, schedule=SEED_SCHEDULES[S.COSINE]),),
        notes=(
            "Schedules the seeds use: StepLR(step_size=30, gamma=0.1); CosineAnnealingLR "
            "(T_max = the run's length); ExponentialLR(gamma=0.95); linear warmup then cosine "
            "for Transformers. Each candidate names the one that fits it.",
        ),
    ),
    sources=(
        seed("000", *SCHEDULERS_000, quote="每30个epoch, 学习率乘以0.1"),
        seed("001", *ADVANCED_001, quote="step_size=30, gamma=0.1"),
        seed("002", *GUIDE_002, quote="Warmup + Cosine"),
    ),
)

STEP_RESNET_RECIPE = Rule(
    id="schedules.step_resnet_recipe",
    topic=Topic.SCHEDULES,
    summary=(
        "A CNN trained for 60+ epochs with SGD: StepLR, lr × 0.1 every 30 epochs (cosine when "
        "the priority is the best final accuracy)."
    ),
    condition=Condition(
        domains=frozenset({Domain.VISION}),
        architectures=frozenset({Architecture.CNN, Architecture.RESNET}),
        epochs=at_least(60),
        priorities=frozenset({Priority.BALANCED, Priority.FAST_CONVERGENCE}),
    ),
    effect=Effect(
        schedules=(ScheduleSetting(families=SGD_FAMILY, schedule=SEED_SCHEDULES[S.STEP]),),
    ),
    sources=(
        RESNET,
        seed("000", *SCHEDULERS_000, quote="step_size=30, gamma=0.1"),
        seed("001", *ADVANCED_001, quote="StepLR"),
    ),
)

KEEP_CURRENT = Rule(
    id="schedules.keep_current_schedule",
    topic=Topic.SCHEDULES,
    summary=(
        "You already decay the lr with one of the seeds' schedules: keep it (with the seeds' "
        "values) for your optimizer; the advice changes it only for a symptom."
    ),
    condition=Condition(current_schedules=frozenset(SEED_SCHEDULES) - {S.CONSTANT}),
    effect=Effect(adjustments=(Adjustment.KEEP_CURRENT_SCHEDULE,)),
    sources=(
        seed("000", *SCHEDULERS_000),
        seed("000", *DECISION_TREE_000, quote="效果不好?"),
    ),
)

DECAY_BY_DEFAULT = Rule(
    id="schedules.decay_by_default",
    topic=Topic.SCHEDULES,
    summary=(
        "A constant lr leaves accuracy on the table: decay it, linearly or with a cosine, by "
        "default. Refines schedules.seed_schedules."
    ),
    condition=Condition(current_schedules=frozenset({S.CONSTANT})),
    effect=Effect(
        notes=(
            "You train at a constant lr: switch to a decaying schedule (each candidate's, cosine "
            "unless it says otherwise) before tuning anything else.",
        ),
    ),
    sources=(PLAYBOOK,),
    refines=("schedules.seed_schedules",),
)

LARGE_BATCH_WARMUP = Rule(
    id="schedules.large_batch_warmup",
    topic=Topic.SCHEDULES,
    summary=(
        "Large batches (1024+) with a linearly scaled SGD lr need a short warmup (about 5 of 90 "
        "epochs) before the decay. Refines schedules.seed_schedules."
    ),
    condition=Condition(batch_size=at_least(1024)),
    effect=Effect(
        schedules=(seed_schedule(SGD_FAMILY, ScheduleName.WARMUP_COSINE),),
    ),
    sources=(GOYAL,),
    refines=("schedules.seed_schedules",),
)

SHORT_WARMUP = Rule(
    id="schedules.short_warmup",
    topic=Topic.SCHEDULES,
    summary=(
        f"Warmup takes at most about {MAX_WARMUP_FRACTION:.0%} of the steps; longer warmups are "
        "cut to that. Refines schedules.seed_schedules."
    ),
    effect=Effect(adjustments=(Adjustment.CAP_WARMUP_FRACTION,)),
    sources=(PLAYBOOK,),
    refines=("schedules.seed_schedules",),
)

#: Sets every family's default schedule, so it runs with the defaults, before any domain rule.
DEFAULT_RULES: tuple[Rule, ...] = (SEED_CATALOGUE,)

RULES: tuple[Rule, ...] = (
    STEP_RESNET_RECIPE,
    LARGE_BATCH_WARMUP,
    KEEP_CURRENT,
    DECAY_BY_DEFAULT,
    SHORT_WARMUP,
)
