"""Recurrent nets and non-stationary objectives: RMSProp or Adam."""

from __future__ import annotations

from advisor.families import ParamName
from advisor.rules.base import Condition, Effect, ParamSetting, Rule, Topic
from advisor.rules.kinds import O, of
from advisor.rules.sources import COMPARISON_TABLE_000, CONCRETE_ADVICE_000, TABLE_001, seed
from advisor.task import Architecture, Domain

P = ParamName

RNN_RMSPROP_OR_ADAM = Rule(
    id="sequence.rnn_rmsprop_or_adam",
    topic=Topic.SEQUENCE,
    summary="RNN/LSTM/GRU: RMSProp or Adam at lr 1e-3.",
    condition=Condition(
        architectures=frozenset({Architecture.RNN, Architecture.LSTM, Architecture.GRU})
    ),
    effect=Effect(
        scores={O.RMSPROP: 2.1, O.ADAM: 1.0},
        params=(ParamSetting(families=of(O.RMSPROP, O.ADAM), param=P.LR, default=1e-3),),
    ),
    sources=(
        seed("000", *CONCRETE_ADVICE_000, quote="循环神经网络 (RNN/LSTM)：RMSprop或Adam"),
        seed("001", *TABLE_001, quote="适合非稳态目标RNN"),
        seed("004", "🔹 總結", quote="適合 NLP、RNN"),
    ),
)

NON_STATIONARY_RMSPROP = Rule(
    id="sequence.non_stationary_rmsprop",
    topic=Topic.SEQUENCE,
    summary=(
        "RMSProp's moving average of squared gradients follows non-stationary objectives, such "
        "as time series whose statistics drift."
    ),
    condition=Condition(domains=frozenset({Domain.TIMESERIES})),
    effect=Effect(scores={O.RMSPROP: 0.6}),
    sources=(
        seed("000", *COMPARISON_TABLE_000, quote="RNN、非平稳数据"),
        seed("001", *TABLE_001, quote="适合非稳态目标"),
    ),
)

RULES: tuple[Rule, ...] = (RNN_RMSPROP_OR_ADAM, NON_STATIONARY_RMSPROP)
