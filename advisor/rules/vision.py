"""Vision: SGD with momentum for CNNs, the seeds' conflict over deep CNNs, and AdamW for ViTs."""

from __future__ import annotations

from advisor.config import ScheduleName, ScheduleSpec
from advisor.families import ParamName
from advisor.rules.adjustments import seed_schedule
from advisor.rules.base import (
    Adjustment,
    Condition,
    Effect,
    ParamSetting,
    Rule,
    ScheduleSetting,
    Topic,
)
from advisor.rules.kinds import ADAM_FAMILY, ALL, DECOUPLED, SGD_FAMILY, WITH_MOMENTUM, O
from advisor.rules.sources import (
    CHOICE_001,
    CHOOSING_004,
    CONCRETE_ADVICE_000,
    CONVNEXT,
    DEIT,
    GOYAL,
    GUIDE_002,
    RESNET,
    SUMMARY_004,
    seed,
)
from advisor.task import Architecture, Domain, Priority

P = ParamName
A = Architecture
CNNS = frozenset({A.CNN, A.RESNET})
VISION_CNN = Condition(domains=frozenset({Domain.VISION}), architectures=CNNS)
COSINE = ScheduleSpec(name=ScheduleName.COSINE)

SGD_SIDE = seed("000", *CONCRETE_ADVICE_000, quote="图像分类 (CNN)：SGD + Momentum")
ADAPTIVE_SIDE = seed("004", *CHOOSING_004, quote="深度神經網絡（CNN、RNN）")

CNN_SGD_MOMENTUM = Rule(
    id="vision.cnn_sgd_momentum",
    topic=Topic.VISION,
    summary=(
        "Image classification with CNNs (ResNet): SGD with momentum 0.9 at lr 0.1, then decay "
        "(step or cosine)."
    ),
    condition=VISION_CNN,
    effect=Effect(
        scores={O.MOMENTUM: 1.5, O.NESTEROV: 1.5, O.SGD: 0.5},
        params=(
            ParamSetting(families=SGD_FAMILY, param=P.LR, default=0.1),
            ParamSetting(families=WITH_MOMENTUM, param=P.MOMENTUM, default=0.9),
        ),
        schedules=(ScheduleSetting(families=SGD_FAMILY, schedule=COSINE),),
    ),
    sources=(
        RESNET,
        SGD_SIDE,
        seed("001", *CHOICE_001, quote="图像分类(ResNet等)SGD + momentum0.1 → 逐步衰减"),
        seed("002", *GUIDE_002, quote="首选 SGD + Momentum"),
        seed("004", *SUMMARY_004, quote="加速收斂，適合 CNN"),
    ),
)

BEST_GENERALIZATION = Rule(
    id="vision.best_generalization_cosine",
    topic=Topic.VISION,
    summary=(
        "Best generalization on vision: SGD with momentum, cosine annealing and data "
        "augmentation find flatter minima."
    ),
    condition=Condition(
        domains=frozenset({Domain.VISION}), priorities=frozenset({Priority.BEST_GENERALIZATION})
    ),
    effect=Effect(
        scores={O.MOMENTUM: 0.8, O.NESTEROV: 0.8},
        schedules=(ScheduleSetting(families=SGD_FAMILY, schedule=COSINE),),
        notes=(
            "For the best final accuracy, pair SGD+momentum's cosine schedule with data "
            "augmentation (random crops, flips, and stronger policies for long runs).",
        ),
    ),
    sources=(seed("002", *GUIDE_002, quote="数据增强"),),
)

DEEP_NETS_ADAPTIVE = Rule(
    id="vision.deep_nets_adaptive",
    topic=Topic.VISION,
    summary=(
        "Deep CNNs and RNNs in general: Adam or RMSProp, whose adaptive lr suits strongly "
        "varying gradients. This conflicts with SGD+momentum for CNN image classification; "
        "the task's priority decides (see vision.conflict_*)."
    ),
    condition=Condition(architectures=CNNS | {A.RNN, A.LSTM, A.GRU}),
    effect=Effect(scores={O.ADAM: 0.5, O.RMSPROP: 0.5}),
    sources=(ADAPTIVE_SIDE,),
)

CONFLICT_SGD_FIRST = Rule(
    id="vision.conflict_sgd_first",
    topic=Topic.VISION,
    summary=(
        "The seeds disagree on CNNs (000/001/002: SGD+momentum; 004: Adam or RMSProp for deep "
        "CNNs). With priority balanced or best_generalization, SGD+momentum ranks first and "
        "Adam stays in the portfolio; ask for fast_convergence to put Adam first."
    ),
    condition=Condition(
        domains=frozenset({Domain.VISION}),
        architectures=CNNS,
        priorities=frozenset({Priority.BALANCED, Priority.BEST_GENERALIZATION}),
    ),
    # Zero points still cite the resolution in the losing side's rationale.
    effect=Effect(scores={O.MOMENTUM: 0.3, O.NESTEROV: 0.3, O.ADAM: 0.0, O.RMSPROP: 0.0}),
    sources=(SGD_SIDE, ADAPTIVE_SIDE),
)

CONFLICT_ADAM_FIRST = Rule(
    id="vision.conflict_adam_first",
    topic=Topic.VISION,
    summary=(
        "The seeds disagree on CNNs (000/001/002: SGD+momentum; 004: Adam or RMSProp for deep "
        "CNNs). With priority fast_convergence, Adam ranks first; SGD+momentum stays in the "
        "portfolio for the final accuracy."
    ),
    condition=Condition(
        domains=frozenset({Domain.VISION}),
        architectures=CNNS,
        priorities=frozenset({Priority.FAST_CONVERGENCE}),
    ),
    effect=Effect(scores={O.ADAM: 0.6, O.MOMENTUM: 0.0, O.NESTEROV: 0.0}),
    sources=(SGD_SIDE, ADAPTIVE_SIDE),
)

VIT_ADAMW = Rule(
    id="vision.vit_adamw",
    topic=Topic.VISION,
    summary=(
        "Vision Transformers (and ConvNeXt/Swin) train with AdamW, not SGD: lr about 1e-3 at "
        "batch 1024 (scaled linearly with batch), weight decay 0.05–0.3, warmup then cosine. "
        "Refines vision.cnn_sgd_momentum."
    ),
    condition=Condition(architectures=frozenset({A.VIT})),
    effect=Effect(
        scores={O.ADAMW: 2.5, O.ADAM: 0.5, O.MOMENTUM: -0.5, O.NESTEROV: -0.5, O.SGD: -0.3},
        params=(
            ParamSetting(families=ADAM_FAMILY, param=P.LR, default=1e-3, low=1e-4, high=3e-3),
            ParamSetting(
                families=DECOUPLED, param=P.WEIGHT_DECAY, default=0.05, low=0.02, high=0.3
            ),
        ),
        schedules=(seed_schedule(ALL, ScheduleName.WARMUP_COSINE),),
        adjustments=(Adjustment.ADAMW_LR_SCALES_WITH_BATCH,),
    ),
    sources=(DEIT, CONVNEXT),
    refines=("vision.cnn_sgd_momentum",),
)

BATCHNORM_CNN_RECIPE = Rule(
    id="vision.batchnorm_cnn_recipe",
    topic=Topic.VISION,
    summary=(
        "BatchNorm CNNs (ResNet) keep SGD with (Nesterov) momentum, lr 0.1 × batch/256, weight "
        "decay 1e-4, and warmup for large batches. Refines vision.cnn_sgd_momentum."
    ),
    condition=VISION_CNN,
    effect=Effect(
        params=(ParamSetting(families=SGD_FAMILY, param=P.WEIGHT_DECAY, default=1e-4),),
    ),
    sources=(GOYAL, RESNET),
    refines=("vision.cnn_sgd_momentum",),
)

RULES: tuple[Rule, ...] = (
    CNN_SGD_MOMENTUM,
    BEST_GENERALIZATION,
    DEEP_NETS_ADAPTIVE,
    CONFLICT_SGD_FIRST,
    CONFLICT_ADAM_FIRST,
    VIT_ADAMW,
    BATCHNORM_CNN_RECIPE,
)
