"""Learning-rate ranges and the order in which to tune."""

from __future__ import annotations

from advisor.families import ParamName
from advisor.rules.base import Effect, ParamSetting, Rule, Topic
from advisor.rules.kinds import SGD_FAMILY, O, of
from advisor.rules.sources import PITFALLS_001, Q3_000, seed

P = ParamName

SEED_LR_RANGES = Rule(
    id="ranges.seed_lr_ranges",
    topic=Topic.RANGES,
    summary=(
        "lr ranges: SGD 0.01–0.1 starting at 0.1, Adam 1e-4–1e-3 starting at 1e-3 (each searched "
        "with half a decade of headroom above the start, so the start lies inside); RMSProp "
        "around 1e-3, Adagrad around 1e-2."
    ),
    effect=Effect(
        params=(
            ParamSetting(families=SGD_FAMILY, param=P.LR, default=0.1, low=0.01, high=0.3),
            ParamSetting(
                families=of(O.ADAM, O.ADAMW), param=P.LR, default=1e-3, low=1e-4, high=3e-3
            ),
            ParamSetting(families=of(O.RMSPROP), param=P.LR, default=1e-3, low=1e-4, high=1e-2),
            ParamSetting(families=of(O.ADAGRAD), param=P.LR, default=1e-2, low=1e-3, high=0.1),
        ),
    ),
    sources=(
        seed("000", *Q3_000, quote="SGD: 从0.1开始"),
        seed("001", *PITFALLS_001, quote="SGD: 0.01 ~ 0.1 Adam: 0.001 ~ 0.0001"),
    ),
)

TUNING_ORDER = Rule(
    id="ranges.tuning_order",
    topic=Topic.RANGES,
    summary="Tuning order: lr first, then batch size, then the rest at their defaults.",
    effect=Effect(
        notes=(
            "Tune the learning rate first (it matters most); then the batch size: 32–128 trains "
            "steadier, 256–1024 faster (rescale an SGD lr linearly with it); leave momentum, "
            "betas and weight decay at their defaults until those two are settled.",
        ),
    ),
    sources=(seed("000", *Q3_000, quote="学习率（最重要！）"),),
)

RULES: tuple[Rule, ...] = (SEED_LR_RANGES, TUNING_ORDER)
