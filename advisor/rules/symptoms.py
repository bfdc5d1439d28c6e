"""Symptoms: the seeds' decision tree (overfitting, slow convergence, oscillation, a loss that
does not fall) and the Playbook's refinements (regularise first; stabilise spikes)."""

from __future__ import annotations

from advisor.config import ScheduleName
from advisor.families import ParamName
from advisor.rules.adjustments import seed_schedule
from advisor.rules.base import (
    Adjustment,
    Condition,
    ConfigSetting,
    Effect,
    ParamSetting,
    Rule,
    SearchEffect,
    Topic,
)
from advisor.rules.kinds import ALL, COUPLED, DECOUPLED, O
from advisor.rules.sources import DECISION_TREE_000, PLAYBOOK, Q1_000, seed
from advisor.task import Symptom

P = ParamName


def _on(symptom: Symptom) -> Condition:
    return Condition(symptoms=frozenset({symptom}))


OVERFITTING_SGD_MOMENTUM = Rule(
    id="symptoms.overfitting_sgd_momentum",
    topic=Topic.SYMPTOMS,
    summary="Overfitting: switch to SGD with momentum and add weight decay 1e-4.",
    condition=_on(Symptom.OVERFITTING),
    effect=Effect(
        scores={O.MOMENTUM: 1.2, O.NESTEROV: 1.0},
        params=(ParamSetting(families=COUPLED, param=P.WEIGHT_DECAY, default=1e-4),),
    ),
    sources=(
        seed("000", *DECISION_TREE_000, quote="过拟合 → 用 SGD + Momentum"),
        seed("001", "十、总结:优化器四步使用法", "动手小练习", quote="尝试添加 weight_decay=1e-4"),
    ),
)

REGULARISE_FIRST = Rule(
    id="symptoms.regularise_first",
    topic=Topic.SYMPTOMS,
    summary=(
        "Overfitting is treated with regularization before anything else: weight decay is tuned "
        "whatever the budget, and its ranges move up. Refines symptoms.overfitting_sgd_momentum."
    ),
    condition=_on(Symptom.OVERFITTING),
    effect=Effect(
        params=(
            ParamSetting(families=COUPLED, param=P.WEIGHT_DECAY, default=1e-4, low=5e-5, high=1e-3),
            ParamSetting(
                families=DECOUPLED, param=P.WEIGHT_DECAY, default=0.05, low=0.01, high=0.3
            ),
        ),
        notes=(
            "Overfitting: regularize first — weight decay (tuned in this search), dropout, label "
            "smoothing, data augmentation, more data — then consider switching optimizer.",
        ),
        search=SearchEffect(tune=(P.WEIGHT_DECAY,)),
    ),
    sources=(PLAYBOOK,),
    refines=("symptoms.overfitting_sgd_momentum",),
)

SLOW_CONVERGENCE = Rule(
    id="symptoms.slow_convergence_raise_lr",
    topic=Topic.SYMPTOMS,
    summary="Slow convergence: raise the lr (the range sits above the lr you use now).",
    condition=_on(Symptom.SLOW_CONVERGENCE),
    effect=Effect(adjustments=(Adjustment.RAISE_LR,)),
    sources=(seed("000", *DECISION_TREE_000, quote="收敛慢 → 增大学习率"),),
)

OSCILLATION = Rule(
    id="symptoms.oscillation_lower_lr",
    topic=Topic.SYMPTOMS,
    summary="Oscillation: lower the lr (the range sits below the lr you use now).",
    condition=_on(Symptom.OSCILLATION),
    effect=Effect(adjustments=(Adjustment.LOWER_LR,)),
    sources=(seed("000", *DECISION_TREE_000, quote="震荡 → 减小学习率"),),
)

LOSS_NOT_DECREASING = Rule(
    id="symptoms.loss_not_decreasing",
    topic=Topic.SYMPTOMS,
    summary=(
        "Loss not decreasing: the lr may be 10× too large or too small, so search a decade "
        "either side; check activations, BatchNorm and the data."
    ),
    condition=_on(Symptom.LOSS_NOT_DECREASING),
    effect=Effect(
        adjustments=(Adjustment.WIDEN_LR_A_DECADE,),
        notes=(
            "Loss not decreasing: try the lr ÷10 (too large) and ×10 (too small) — this search "
            "covers both; run the lr finder (tunewise lr-find).",
            "If the lr is not the cause: check for vanishing gradients (activations, add "
            "BatchNorm) and check the data and its preprocessing (labels, normalisation).",
        ),
    ),
    sources=(seed("000", *Q1_000, quote="学习率太大** → 减小10倍试试"),),
)

VANISHING_GRADIENTS = Rule(
    id="symptoms.vanishing_gradients",
    topic=Topic.SYMPTOMS,
    summary="Vanishing gradients: check the activation functions and use BatchNorm.",
    condition=_on(Symptom.VANISHING_GRADIENTS),
    effect=Effect(
        notes=(
            "Vanishing gradients: prefer ReLU-family activations over saturating ones "
            "(sigmoid, tanh) in deep stacks, and add BatchNorm; no optimizer fixes this alone.",
        ),
    ),
    sources=(seed("000", *Q1_000, quote="检查激活函数, 用BatchNorm"),),
)

INSTABILITY = Rule(
    id="symptoms.instability_warmup_clipping",
    topic=Topic.SYMPTOMS,
    summary=(
        "Loss spikes (instability): add a warmup, clip the gradient norm at 1.0, and prefer Adam. "
        "Refines rl_gan.adaptive_for_unstable."
    ),
    condition=_on(Symptom.LOSS_SPIKES),
    effect=Effect(
        scores={O.ADAM: 0.4, O.ADAMW: 0.4},
        schedules=(seed_schedule(ALL, ScheduleName.WARMUP_COSINE),),
        config=(ConfigSetting(families=ALL, grad_clip_norm=1.0),),
    ),
    sources=(PLAYBOOK,),
    refines=("rl_gan.adaptive_for_unstable",),
)

RULES: tuple[Rule, ...] = (
    OVERFITTING_SGD_MOMENTUM,
    REGULARISE_FIRST,
    SLOW_CONVERGENCE,
    OSCILLATION,
    LOSS_NOT_DECREASING,
    VANISHING_GRADIENTS,
    INSTABILITY,
)
