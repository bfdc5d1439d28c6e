"""Weight decay: decoupled (AdamW-style) versus coupled L2, and which parameters never decay."""

from __future__ import annotations

from advisor.advice import ParamGroupAdvice
from advisor.families import ParamName
from advisor.rules.base import Effect, GroupSetting, ParamSetting, Rule, Topic
from advisor.rules.kinds import COUPLED, DECAYING, DECOUPLED
from advisor.rules.sources import ADAMW_002, ADAMW_PAPER, ALGOPERF, PARAMS_002, PLAYBOOK, seed

P = ParamName

NO_DECAY_GROUP = ParamGroupAdvice(
    name="no_decay",
    applies_to="biases, normalization-layer weights (BatchNorm, LayerNorm) and embeddings",
    settings={"weight_decay": 0.0},
    rule="decay.decoupled_no_decay_on_norm_and_bias",
)

DECOUPLED_NO_NORM_BIAS = Rule(
    id="decay.decoupled_no_decay_on_norm_and_bias",
    topic=Topic.DECAY,
    summary=(
        "AdamW decouples weight decay from the gradient; typical values 1e-4 to 1e-1. Biases "
        "and normalization layers get no weight decay."
    ),
    effect=Effect(
        params=(
            ParamSetting(
                families=DECOUPLED, param=P.WEIGHT_DECAY, default=0.01, low=1e-4, high=0.1
            ),
        ),
        groups=(GroupSetting(families=DECAYING, group=NO_DECAY_GROUP),),
    ),
    sources=(
        ADAMW_PAPER,
        seed("002", *ADAMW_002, quote="通常除了Normalization层和Bias"),
        seed("002", *PARAMS_002, quote="典型值范围 1e-4 到 1e-1"),
    ),
)

COUPLING_RANGES = Rule(
    id="decay.ranges_by_coupling",
    topic=Topic.DECAY,
    summary=(
        "Weight decay lives on different scales by coupling: coupled L2 (SGD, Adam, RMSProp, "
        "Adagrad) around 1e-5 to 5e-4; decoupled decay (AdamW, NAdamW, Adafactor, Muon) around "
        "1e-3 to 0.3 (AlgoPerf searched 5e-3 to 1, log scale). Refines "
        "decay.decoupled_no_decay_on_norm_and_bias."
    ),
    effect=Effect(
        params=(
            ParamSetting(families=COUPLED, param=P.WEIGHT_DECAY, low=1e-5, high=5e-4),
            ParamSetting(
                families=DECOUPLED, param=P.WEIGHT_DECAY, default=0.01, low=1e-3, high=0.3
            ),
        ),
    ),
    sources=(ADAMW_PAPER, ALGOPERF, PLAYBOOK),
    refines=("decay.decoupled_no_decay_on_norm_and_bias",),
)

RULES: tuple[Rule, ...] = (DECOUPLED_NO_NORM_BIAS, COUPLING_RANGES)
