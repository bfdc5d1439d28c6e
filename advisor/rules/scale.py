"""Size: small data and simple nets, large models' lr, memory-bound training, and batch size."""

from __future__ import annotations

from advisor.families import STATE_BUFFERS, ParamName
from advisor.rules.base import (
    Adjustment,
    Condition,
    Effect,
    ParamSetting,
    Rule,
    Topic,
    at_least,
    at_most,
)
from advisor.rules.kinds import ADAM_FAMILY, O
from advisor.rules.sources import (
    ADAMW_002,
    CHOOSING_004,
    COMPARISON_TABLE_000,
    GOYAL,
    HYPERPARAMS_003,
    seed,
)
from advisor.task import Architecture, Regime

P = ParamName
LARGE_MODEL = at_least(1e9)
#: Optimizer state costs (buffers × 4 bytes) per parameter; from 1e9 parameters Adam's two
#: buffers alone take 8 GB, so memory starts to bind the choice.
MEMORY_BOUND_PARAMS = 1e9
POINTS_PER_STATE_BUFFER = -0.3

SMALL_DATA_SIMPLE_NET = Rule(
    id="scale.small_data_simple_net",
    topic=Topic.SCALE,
    summary=(
        "Small data set and a simple network: plain SGD or SGD with momentum — cheap per step "
        "and quick to train."
    ),
    condition=Condition(
        dataset_size=at_most(50_000),
        any_of=(
            Condition(architectures=frozenset({Architecture.MLP})),
            Condition(model_params=at_most(1_000_000)),
        ),
    ),
    effect=Effect(scores={O.SGD: 1.0, O.MOMENTUM: 1.2}),
    sources=(
        seed("004", *CHOOSING_004, quote="小型數據集 & 簡單網絡"),
        seed("000", *COMPARISON_TABLE_000, quote="小模型、简单任务"),
    ),
)


def _large_model_lr(regime: Regime, default: float, low: float, high: float) -> Rule:
    words = "trained from scratch" if regime is Regime.FROM_SCRATCH else "fine-tuned"
    return Rule(
        id=f"scale.large_model_lr_{regime.value}",
        topic=Topic.SCALE,
        summary=f"Large models train at a lower lr: about {default:g} when {words}.",
        condition=Condition(model_params=LARGE_MODEL, regimes=frozenset({regime})),
        effect=Effect(
            params=(
                ParamSetting(families=ADAM_FAMILY, param=P.LR, default=default, low=low, high=high),
            )
        ),
        sources=(seed("003", *HYPERPARAMS_003, quote="大模型常用 1e-4 / 1e-5"),),
    )


LARGE_MODEL_LR_PRETRAINING = _large_model_lr(Regime.FROM_SCRATCH, 1e-4, 3e-5, 3e-4)
LARGE_MODEL_LR_FINE_TUNING = _large_model_lr(Regime.FINE_TUNING, 1e-5, 3e-6, 3e-5)

MEMORY_BOUND = Rule(
    id="scale.memory_bound",
    topic=Topic.SCALE,
    summary=(
        "Optimizer state costs memory: SGD keeps none, momentum one buffer per parameter, the "
        "Adam family two. From about a billion parameters memory binds, so lighter state ranks "
        "higher (a penalty per state buffer)."
    ),
    condition=Condition(model_params=at_least(MEMORY_BOUND_PARAMS)),
    effect=Effect(
        scores={
            family: POINTS_PER_STATE_BUFFER * buffers
            for family, buffers in STATE_BUFFERS.items()
            if buffers
        },
        notes=(
            "Memory-bound: each Adam-family state buffer costs 4 bytes per parameter (8 GB per "
            "billion parameters for two); momentum needs half that, SGD none, Adafactor a small "
            "factored fraction.",
        ),
    ),
    sources=(
        seed("000", "SGD: 随机梯度下降", "优点", quote="内存占用小"),
        seed("000", *COMPARISON_TABLE_000, quote="内存"),
        seed("002", *ADAMW_002, quote="内存占用比SGD稍大"),
    ),
)

SGD_LR_SCALES_WITH_BATCH = Rule(
    id="scale.sgd_lr_scales_with_batch",
    topic=Topic.SCALE,
    summary=(
        "The SGD-family lr scales linearly with the batch: 0.1 × batch/256 is the centre of its "
        "range. Refines ranges.seed_lr_ranges."
    ),
    condition=Condition(known=frozenset({"batch_size"})),
    effect=Effect(adjustments=(Adjustment.SGD_LR_SCALES_WITH_BATCH,)),
    sources=(GOYAL,),
    refines=("ranges.seed_lr_ranges",),
)

RULES: tuple[Rule, ...] = (
    SMALL_DATA_SIMPLE_NET,
    LARGE_MODEL_LR_PRETRAINING,
    LARGE_MODEL_LR_FINE_TUNING,
    MEMORY_BOUND,
    SGD_LR_SCALES_WITH_BATCH,
)
