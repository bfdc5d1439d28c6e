"""The seeds' starting point: every seed family's standing, Adam as the default answer, and the
hyperparameter values the seeds call standard."""

from __future__ import annotations

from advisor.config import ScheduleName, ScheduleSpec
from advisor.families import ParamName
from advisor.rules.base import Effect, ParamSetting, Rule, ScheduleSetting, Topic
from advisor.rules.kinds import WITH_BETAS, WITH_MOMENTUM, O, of
from advisor.rules.sources import (
    ADAMW_003,
    CHOICE_001,
    COMPARISON_TABLE_000,
    DECISION_TREE_000,
    HYPERPARAMS_003,
    PARAMS_002,
    Q3_000,
    TABLE_001,
    TORCH_OPTIM,
    seed,
)

P = ParamName

FAMILY_PRIORS = Rule(
    id="default.family_priors",
    topic=Topic.DEFAULT,
    summary=(
        "The seeds' standing of each family when nothing else is known: Adam most recommended, "
        "SGD+momentum and RMSProp solid, AdamW the modern standard, plain SGD for small "
        "models, Adagrad for sparse data."
    ),
    effect=Effect(
        scores={
            O.SGD: 0.6,
            O.MOMENTUM: 0.8,
            O.NESTEROV: 0.8,
            O.ADAGRAD: 0.4,
            O.RMSPROP: 0.7,
            O.ADAM: 1.2,
            O.ADAMW: 1.0,
        }
    ),
    sources=(
        seed("000", *COMPARISON_TABLE_000, quote="推荐度"),
        seed("001", *TABLE_001, quote="默认推荐!90%场景都可用"),
        seed("003", *ADAMW_003, quote="现代大模型几乎清一色使用 AdamW"),
    ),
)

ADAM_COSINE = Rule(
    id="default.adam_cosine",
    topic=Topic.DEFAULT,
    summary=(
        "New model or unknown task: start with Adam, lr 1e-3, betas (0.9, 0.999), eps 1e-8, "
        "with cosine annealing."
    ),
    effect=Effect(
        scores={O.ADAM: 0.5},
        params=(
            ParamSetting(families=of(O.ADAM), param=P.LR, default=1e-3),
            ParamSetting(families=of(O.ADAM), param=P.BETA1, default=0.9),
            ParamSetting(families=of(O.ADAM), param=P.BETA2, default=0.999),
            ParamSetting(families=of(O.ADAM), param=P.EPS, default=1e-8),
        ),
        schedules=(
            ScheduleSetting(families=of(O.ADAM), schedule=ScheduleSpec(name=ScheduleName.COSINE)),
        ),
    ),
    sources=(
        TORCH_OPTIM,
        seed("000", *DECISION_TREE_000, quote="用 Adam ✓ (99%的情况)"),
        seed("000", "总结", "新手推荐配置"),
        seed("001", *TABLE_001),
        seed("001", *CHOICE_001, quote="第一次跑模型Adam0.001"),
        seed("003", *HYPERPARAMS_003),
    ),
)

SEED_HYPERPARAMETERS = Rule(
    id="default.seed_hyperparameters",
    topic=Topic.DEFAULT,
    summary=(
        "Standard values: momentum 0.9; betas (0.9, 0.999); eps 1e-8; weight decay 0 (off) "
        "unless a rule asks for it; RMSProp smoothing alpha 0.99 (0.9 also common); Adagrad lr "
        "0.01."
    ),
    effect=Effect(
        params=(
            ParamSetting(families=WITH_MOMENTUM, param=P.MOMENTUM, default=0.9, low=0.8, high=0.99),
            ParamSetting(families=WITH_BETAS, param=P.BETA1, default=0.9, low=0.8, high=0.99),
            ParamSetting(families=WITH_BETAS, param=P.BETA2, default=0.999, low=0.95, high=0.9999),
            ParamSetting(
                families=WITH_BETAS | of(O.RMSPROP), param=P.EPS, default=1e-8, low=1e-10, high=1e-6
            ),
            # torch's Adagrad eps default; the seeds quote Adam's 1e-8, which Adagrad does not use.
            ParamSetting(families=of(O.ADAGRAD), param=P.EPS, default=1e-10, low=1e-12, high=1e-8),
            ParamSetting(families=of(O.RMSPROP), param=P.ALPHA, default=0.99, low=0.9, high=0.999),
            ParamSetting(families=of(O.ADAGRAD), param=P.LR, default=0.01),
        ),
    ),
    sources=(
        TORCH_OPTIM,
        seed("000", *Q3_000, quote="Weight decay: 0 或"),
        seed("002", *PARAMS_002),
        seed("004", "🔹 PyTorch 代碼示例", quote="alpha=0.99"),
    ),
)

RULES: tuple[Rule, ...] = (FAMILY_PRIORS, ADAM_COSINE, SEED_HYPERPARAMETERS)
