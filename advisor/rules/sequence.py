"""Recurrent nets and non-stationary objectives: RMSProp or Adam, and AdamW at higher lr."""

from __future__ import annotations

from advisor.families import ParamName
from advisor.rules.base import Condition, Effect, ParamSetting, Reference, Rule, Topic
from advisor.rules.kinds import O, of
from advisor.rules.sources import COMPARISON_TABLE_000, CONCRETE_ADVICE_000, TABLE_001, seed
from advisor.task import Architecture, Domain

P = ParamName
RECURRENT = Condition(
    architectures=frozenset({Architecture.RNN, Architecture.LSTM, Architecture.GRU})
)

RNN_RMSPROP_OR_ADAM = Rule(
    id="sequence.rnn_rmsprop_or_adam",
    topic=Topic.SEQUENCE,
    summary="RNN/LSTM/GRU: RMSProp or Adam at lr 1e-3.",
    condition=RECURRENT,
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

# Published recurrent recipes that train with Adam-type methods, each read at a pinned commit.
PTF_DEEPAR = Reference(
    name=(
        "pytorch-forecasting, Autoregressive modelling with DeepAR (a 2-layer LSTM "
        "forecaster): Adam at lr 1e-2, the lr finder suggesting 0.022"
    ),
    url=(
        "https://github.com/sktime/pytorch-forecasting/blob/"
        "062aeb47b75d589dcce621c04572181e3584a301/docs/source/tutorials/deepar.ipynb"
    ),
)
FASTAI_WIKITEXT = Reference(
    name=(
        "fastai, Tutorial - wikitext: AWD-LSTM language model from scratch with "
        "Adam(wd=0.1) and a one-cycle peak lr of 5e-3"
    ),
    url=(
        "https://github.com/fastai/fastai/blob/015931b8ee05df76bafbb7ce43326677e5e340e6/"
        "nbs/35_tutorial.wikitext.ipynb"
    ),
)
FASTAI_ADAM = Reference(
    name="fastai optimizer.py: its Adam decouples weight decay (decouple_wd=True), i.e. AdamW",
    url=(
        "https://github.com/fastai/fastai/blob/0a20fa1b1c221cb7665d07f6362bfbfa3ffaa87c/"
        "fastai/optimizer.py"
    ),
)
AWD_LSTM_ADAM = Reference(
    name=(
        "salesforce/awd-lstm-lm README: character-level LSTMs trained with Adam at lr 1e-3 "
        "(enwik8) and 2e-3 (Penn Treebank)"
    ),
    url=(
        "https://github.com/salesforce/awd-lstm-lm/blob/"
        "1d466ec5875675ca6b6f0caacbb741240a29da9e/README.md"
    ),
)

RNN_ADAMW_HIGHER_LR = Rule(
    id="sequence.rnn_adamw_higher_lr",
    topic=Topic.SEQUENCE,
    summary=(
        "Recurrent nets train with Adam-type methods well above 1e-3 (Adam at 1e-3 to 2e-3 for "
        "AWD-LSTM, 5e-3 with decoupled weight decay 0.1 in fastai's AWD-LSTM, 1e-2 for "
        "DeepAR's LSTM): search Adam and AdamW up to 3e-2, and keep AdamW beside RMSProp and "
        "Adam. Refines sequence.rnn_rmsprop_or_adam."
    ),
    condition=RECURRENT,
    effect=Effect(
        # Below Adam's 1.0, so the seed's RMSProp-or-Adam order stands, yet enough to keep
        # decoupled decay in a recurrent net's portfolio.
        scores={O.ADAMW: 0.8},
        params=(ParamSetting(families=of(O.ADAM, O.ADAMW), param=P.LR, low=2e-4, high=3e-2),),
    ),
    sources=(PTF_DEEPAR, FASTAI_WIKITEXT, FASTAI_ADAM, AWD_LSTM_ADAM),
    refines=("sequence.rnn_rmsprop_or_adam",),
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

RULES: tuple[Rule, ...] = (RNN_RMSPROP_OR_ADAM, RNN_ADAMW_HIGHER_LR, NON_STATIONARY_RMSPROP)
