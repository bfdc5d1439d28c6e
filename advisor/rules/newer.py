"""Families the seeds do not discuss, offered on public evidence and always marked as newer."""

from __future__ import annotations

from advisor.advice import ParamGroupAdvice
from advisor.families import ParamName
from advisor.rules.base import (
    Condition,
    Effect,
    GroupSetting,
    ParamSetting,
    Rule,
    SearchEffect,
    Topic,
    at_least,
)
from advisor.rules.kinds import O, of
from advisor.rules.sources import (
    ADAFACTOR,
    ALGOPERF,
    ALGOPERF_RESULTS,
    MUON,
    MUON_SCALE,
    NADAM,
    RADAM,
    TORCH_OPTIM,
)
from advisor.task import Architecture, Regime

P = ParamName
NEWER = "Newer, not in the seeds: "


def _adam_like(family: O) -> tuple[ParamSetting, ...]:
    return (ParamSetting(families=of(family), param=P.LR, default=1e-3, low=1e-4, high=3e-3),)


NADAMW = Rule(
    id="newer.nadamw",
    topic=Topic.NEWER,
    summary=NEWER
    + (
        "NAdam (Adam with Nesterov momentum), used with decoupled weight decay (NAdamW), was "
        "among the strongest baselines of the AlgoPerf benchmark."
    ),
    effect=Effect(scores={O.NADAM: 0.7}, params=_adam_like(O.NADAM)),
    sources=(NADAM, ALGOPERF, ALGOPERF_RESULTS),
)

RADAM_RULE = Rule(
    id="newer.radam",
    topic=Topic.NEWER,
    summary=NEWER
    + (
        "RAdam rectifies the variance of Adam's adaptive lr in the first steps, so it leans "
        "less on warmup."
    ),
    effect=Effect(scores={O.RADAM: 0.6}, params=_adam_like(O.RADAM)),
    sources=(RADAM, TORCH_OPTIM),
)

ADAFACTOR_RULE = Rule(
    id="newer.adafactor",
    topic=Topic.NEWER,
    summary=NEWER
    + (
        "Adafactor factors the second moment into row and column statistics: Adam-like "
        "adaptivity at a fraction of the memory. Its beta2 decay and eps pair keep torch's "
        "defaults."
    ),
    effect=Effect(
        scores={O.ADAFACTOR: 0.2},
        params=(
            ParamSetting(families=of(O.ADAFACTOR), param=P.LR, default=1e-2, low=1e-3, high=3e-2),
        ),
    ),
    sources=(ADAFACTOR, TORCH_OPTIM),
)

MUON_GROUP = ParamGroupAdvice(
    name="muon_hidden_matrices",
    applies_to=(
        "Muon trains 2-D hidden weight matrices only; embeddings, the output head, biases and "
        "norms train on AdamW"
    ),
    settings={"optimizer": "adamw", "lr": 3e-4, "weight_decay": 0.01},
    rule="newer.muon",
)

MUON_RULE = Rule(
    id="newer.muon",
    topic=Topic.NEWER,
    summary=NEWER
    + (
        "Muon orthogonalises the momentum of 2-D hidden weight matrices (Newton–Schulz); "
        "everything else stays on AdamW. lr 0.02 and momentum 0.95 with torch's 'original' lr "
        "adjustment."
    ),
    effect=Effect(
        scores={O.MUON: 0.1},
        params=(
            ParamSetting(families=of(O.MUON), param=P.LR, default=0.02, low=2e-3, high=0.1),
            ParamSetting(families=of(O.MUON), param=P.MOMENTUM, default=0.95, low=0.85, high=0.99),
        ),
        groups=(GroupSetting(families=of(O.MUON), group=MUON_GROUP),),
    ),
    sources=(MUON, TORCH_OPTIM),
)

MUON_PRETRAINING = Rule(
    id="newer.muon_for_transformer_pretraining",
    topic=Topic.NEWER,
    summary=NEWER
    + (
        "Muon matched AdamW's loss with about half the compute when pre-training large "
        "Transformers, so it is worth a place in the portfolio there."
    ),
    condition=Condition(
        architectures=frozenset({Architecture.TRANSFORMER}),
        regimes=frozenset({Regime.FROM_SCRATCH}),
        model_params=at_least(1e8),
    ),
    effect=Effect(scores={O.MUON: 1.5}),
    sources=(MUON_SCALE, MUON),
)

SPARSE_ADAM_RULE = Rule(
    id="newer.sparse_adam",
    topic=Topic.NEWER,
    summary=NEWER
    + (
        "SparseAdam updates only the rows of nn.Embedding(sparse=True) that a batch touched; it "
        "cannot train dense parameters, so it serves as the sparse group's optimizer, never on "
        "its own."
    ),
    effect=Effect(
        scores={O.SPARSE_ADAM: -1.0},
        params=_adam_like(O.SPARSE_ADAM),
        search=SearchEffect(portfolio_excludes=of(O.SPARSE_ADAM)),
    ),
    sources=(TORCH_OPTIM,),
)

RULES: tuple[Rule, ...] = (
    NADAMW,
    RADAM_RULE,
    ADAFACTOR_RULE,
    MUON_RULE,
    SPARSE_ADAM_RULE,
)

ADAFACTOR_MEMORY_BOUND = Rule(
    id="newer.adafactor_when_memory_bound",
    topic=Topic.NEWER,
    summary=NEWER
    + (
        "When memory binds, Adafactor keeps Adam-like adaptivity with factored second moments "
        "(memory sublinear in the matrix size). Refines scale.memory_bound."
    ),
    condition=Condition(model_params=at_least(1e9)),
    effect=Effect(scores={O.ADAFACTOR: 1.5}),
    sources=(ADAFACTOR,),
    refines=("scale.memory_bound",),
)

#: Rules that need task facts; they run with the scale rules.
SCALE_RULES: tuple[Rule, ...] = (MUON_PRETRAINING, ADAFACTOR_MEMORY_BOUND)
