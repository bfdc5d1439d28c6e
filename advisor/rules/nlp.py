"""Language and Transformers: AdamW with warmup and cosine, Adagrad for sparse features, and
the separate lr ranges of fine-tuning and pre-training."""

from __future__ import annotations

from advisor.config import ScheduleName, ScheduleSpec
from advisor.families import ParamName
from advisor.rules.adjustments import seed_schedule
from advisor.rules.base import (
    Condition,
    ConfigSetting,
    Effect,
    ParamSetting,
    Rule,
    ScheduleSetting,
    Topic,
    at_least,
)
from advisor.rules.kinds import ADAM_FAMILY, ALL, DENSE, O
from advisor.rules.sources import (
    ADAGRAD_PAPER,
    ADAMW_003,
    BERT,
    CHOICE_001,
    CHOOSING_004,
    CLOSING_004,
    CONCRETE_ADVICE_000,
    GPT3,
    GUIDE_002,
    LORA,
    NANOGPT,
    SUMMARY_004,
    TABLE_001,
    seed,
)
from advisor.task import Architecture, Domain, Regime

P = ParamName
TRANSFORMERS = frozenset({Architecture.TRANSFORMER})
NLP = frozenset({Domain.NLP})
#: A Transformer, or language work whose architecture was not said (today, a Transformer).
TRANSFORMER_LIKE = Condition(
    any_of=(
        Condition(architectures=TRANSFORMERS),
        Condition(domains=NLP, unknown=frozenset({"architecture"})),
    )
)
PRETRAINING_LARGE_TRANSFORMER = Condition(
    architectures=TRANSFORMERS,
    regimes=frozenset({Regime.FROM_SCRATCH}),
    model_params=at_least(1e8),
)

TRANSFORMER_ADAMW = Rule(
    id="nlp.transformer_adamw",
    topic=Topic.NLP,
    summary=(
        "Transformers and NLP: AdamW (or Adam), lr about 1e-4 within 5e-5 to 3e-4, with warmup "
        "then cosine decay."
    ),
    condition=TRANSFORMER_LIKE,
    effect=Effect(
        scores={O.ADAMW: 2.0, O.ADAM: 1.0},
        params=(ParamSetting(families=ADAM_FAMILY, param=P.LR, default=1e-4, low=5e-5, high=3e-4),),
        schedules=(seed_schedule(ALL, ScheduleName.WARMUP_COSINE),),
    ),
    sources=(
        BERT,
        seed("000", *CONCRETE_ADVICE_000, quote="自然语言处理 (Transformer)：Adam或AdamW"),
        seed("001", *CHOICE_001, quote="NLP / TransformerAdamW5e-5 ~ 3e-4"),
        seed("002", *GUIDE_002, quote="Warmup + Cosine"),
        seed("004", *SUMMARY_004, quote="AdamW** 適合 Transformer 類模型"),
    ),
)

SPARSE_FEATURES_ADAGRAD = Rule(
    id="nlp.sparse_features_adagrad",
    topic=Topic.NLP,
    summary=(
        "NLP with sparse features: Adagrad, whose per-parameter lr gives rare features large "
        "steps; the other families hand the sparse embeddings to an Adagrad group."
    ),
    condition=Condition(domains=NLP, sparse_features=True),
    effect=Effect(
        scores={O.ADAGRAD: 1.6},
        config=(
            ConfigSetting(families=DENSE - {O.ADAGRAD}, sparse_optimizer=O.ADAGRAD, sparse_lr=0.01),
        ),
    ),
    sources=(
        ADAGRAD_PAPER,
        seed("001", *TABLE_001, quote="对稀疏特征友好NLP、稀疏数据"),
        seed("004", *CHOOSING_004, quote="Adagrad 適合稀疏數據"),
    ),
)

LARGE_TRANSFORMER_PRETRAINING = Rule(
    id="nlp.large_transformer_pretraining",
    topic=Topic.NLP,
    summary=(
        "Large Transformer pre-training: AdamW, which converges faster on these hard-to-converge "
        "models; SGD generalizes slightly better only when given much longer training."
    ),
    condition=PRETRAINING_LARGE_TRANSFORMER,
    effect=Effect(scores={O.ADAMW: 1.0, O.SGD: -0.5, O.MOMENTUM: -0.5, O.NESTEROV: -0.5}),
    sources=(
        seed("004", *CLOSING_004, quote="AdamW收敛得更快，更容易过拟合一点点"),
        seed("003", *ADAMW_003, quote="现代大模型几乎清一色使用 AdamW"),
    ),
)

BERT_FINE_TUNING = Rule(
    id="nlp.bert_fine_tuning_lr",
    topic=Topic.NLP,
    summary=(
        "Fine-tuning a pretrained Transformer needs its own, lower lr range: BERT fine-tuning "
        "2e-5 to 5e-5 with one lr for all layers and a linear schedule after a 10% warmup "
        "(LoRA adapters train higher, about 1e-4 to 3e-4). Refines nlp.transformer_adamw "
        "and fine_tuning.per_group_lr."
    ),
    condition=Condition(regimes=frozenset({Regime.FINE_TUNING}), any_of=TRANSFORMER_LIKE.any_of),
    effect=Effect(
        params=(ParamSetting(families=ADAM_FAMILY, param=P.LR, default=3e-5, low=2e-5, high=5e-5),),
        config=(ConfigSetting(families=DENSE, backbone_lr_ratio=1.0),),
        schedules=(
            ScheduleSetting(
                families=ALL,
                schedule=ScheduleSpec(name=ScheduleName.WARMUP_LINEAR, warmup_fraction=0.1),
            ),
        ),
    ),
    sources=(BERT, LORA),
    refines=("nlp.transformer_adamw", "fine_tuning.per_group_lr"),
)

GPT_PRETRAINING = Rule(
    id="nlp.gpt_pretraining_lr",
    topic=Topic.NLP,
    summary=(
        "GPT-2-size pre-training runs higher than fine-tuning: AdamW lr about 6e-4, a short "
        "warmup, then cosine decay to a tenth. Refines nlp.transformer_adamw."
    ),
    condition=PRETRAINING_LARGE_TRANSFORMER,
    effect=Effect(
        params=(ParamSetting(families=ADAM_FAMILY, param=P.LR, default=6e-4, low=1e-4, high=1e-3),),
        schedules=(
            ScheduleSetting(
                families=ADAM_FAMILY,
                schedule=ScheduleSpec(
                    name=ScheduleName.WARMUP_COSINE, warmup_fraction=0.01, min_lr_fraction=0.1
                ),
            ),
        ),
    ),
    sources=(NANOGPT, GPT3),
    refines=("nlp.transformer_adamw",),
)

RULES: tuple[Rule, ...] = (
    TRANSFORMER_ADAMW,
    SPARSE_FEATURES_ADAGRAD,
    LARGE_TRANSFORMER_PRETRAINING,
    BERT_FINE_TUNING,
    GPT_PRETRAINING,
)
