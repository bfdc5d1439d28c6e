"""Fine-tuning a pretrained model: the backbone learns slower than the new head."""

from __future__ import annotations

from advisor.rules.base import Condition, ConfigSetting, Effect, Rule, Topic
from advisor.rules.kinds import DENSE
from advisor.rules.sources import ADVANCED_001, seed
from advisor.task import Regime

PER_GROUP_LR = Rule(
    id="fine_tuning.per_group_lr",
    topic=Topic.FINE_TUNING,
    summary=(
        "Fine-tuning: give parameter groups different lrs — the pretrained backbone a tenth of "
        "the new head's (e.g. backbone 1e-4, head 1e-3)."
    ),
    condition=Condition(regimes=frozenset({Regime.FINE_TUNING})),
    effect=Effect(config=(ConfigSetting(families=DENSE, backbone_lr_ratio=0.1),)),
    sources=(seed("001", *ADVANCED_001, quote="不同参数组不同学习率"),),
)

RULES: tuple[Rule, ...] = (PER_GROUP_LR,)
