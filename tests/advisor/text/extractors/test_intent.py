"""Regime, sparse ID features and priority: the cue words, their weights and negations."""

from __future__ import annotations

import pytest

from tests.advisor.text.reading_of import said

FINE, SCRATCH = "fine_tuning", "from_scratch"


@pytest.mark.parametrize(
    ("text", "regime", "evidence"),
    [
        ("fine-tune BERT", FINE, "fine-tune"),
        ("finetuning a ViT", FINE, "finetuning"),
        ("fine tuning on my data", FINE, "fine tuning"),
        ("LoRA on LLaMA", FINE, "LoRA"),
        ("QLoRA, 4-bit", FINE, "QLoRA"),
        ("train adapters only", FINE, "adapters"),
        ("transfer learning from ImageNet", FINE, "transfer learning"),
        ("a pretrained backbone", FINE, "pretrained backbone"),
        ("微调BERT", FINE, "微调"),
        ("迁移学习", FINE, "迁移学习"),
        ("微調預訓練模型", FINE, "微調"),
        ("from scratch", SCRATCH, "from scratch"),
        ("pre-training a model", SCRATCH, "pre-training"),
        ("GPT pretraining", SCRATCH, "pretraining"),
        ("从头训练", SCRATCH, "从头训练"),
        ("从零训练一个ResNet", SCRATCH, "从零训练"),
        ("预训练一个GPT", SCRATCH, "预训练"),
        # The stronger cue wins: fine-tuning a pre-trained model is fine-tuning...
        ("fine-tune a pre-trained model", FINE, "fine-tune"),
        ("微调预训练的BERT", FINE, "微调"),
        # ...and "pretrained" before a model (weaker than "from scratch") still says so alone.
        ("用预训练的ResNet", FINE, "预训练的"),
        ("not from scratch: we fine-tune", FINE, "fine-tune"),
    ],
)
def test_regime_cues(text: str, regime: str, evidence: str) -> None:
    assert said(text, ["regime"]) == {"regime": (regime, evidence)}


@pytest.mark.parametrize(
    "text",
    ["fine-tune or train from scratch?", "微调还是从头训练", "no fine-tuning"],
)
def test_regime_is_unset_when_equal_cues_disagree_or_the_cue_is_denied(text: str) -> None:
    assert said(text, ["regime"]) == {}


@pytest.mark.parametrize(
    ("text", "sparse", "evidence"),
    [
        ("sparse features", True, "sparse features"),
        ("user id and item id embeddings", True, "user id and item id embeddings"),
        ("one-hot ids", True, "one-hot ids"),
        ("categorical features", True, "categorical features"),
        ("稀疏特征很多", True, "稀疏特征"),
        ("用户ID和商品ID", True, "用户ID和商品ID"),
        ("ID类特征", True, "ID类特征"),
        ("稀疏特徵", True, "稀疏特徵"),
        ("no sparse features", False, "sparse features"),
        ("没有稀疏特征", False, "稀疏特征"),
    ],
)
def test_sparse_id_features(text: str, sparse: bool, evidence: str) -> None:
    assert said(text, ["sparse_features"]) == {"sparse_features": (sparse, evidence)}


FAST, BEST, BALANCED = "fast_convergence", "best_generalization", "balanced"


@pytest.mark.parametrize(
    ("text", "priority", "evidence"),
    [
        ("I need it to train quickly", FAST, "quickly"),
        ("there is a deadline", FAST, "deadline"),
        ("time is short", FAST, "time is short"),
        ("fast convergence matters", FAST, "fast convergence"),
        ("时间紧", FAST, "时间紧"),
        ("希望快速收敛", FAST, "快速收敛"),
        ("尽快出结果", FAST, "尽快"),
        ("best accuracy", BEST, "best accuracy"),
        ("I care about final accuracy", BEST, "final accuracy"),
        ("chasing SOTA", BEST, "SOTA"),
        ("for the leaderboard", BEST, "leaderboard"),
        ("刷榜", BEST, "刷榜"),
        ("追求最优", BEST, "追求最优"),
        ("要最好效果", BEST, "最好效果"),
        ("更关注泛化", BEST, "泛化"),
        ("unsure", BALANCED, "unsure"),
        ("both matter", BALANCED, "both"),
        ("不确定", BALANCED, "不确定"),
        ("兼顾速度和效果", BALANCED, "兼顾"),
        # Speed and final quality both asked for: balanced.
        ("quickly, but the best accuracy too", BALANCED, "quickly, but the best accuracy"),
    ],
)
def test_priority_cues(text: str, priority: str, evidence: str) -> None:
    assert said(text, ["priority"]) == {"priority": (priority, evidence)}


@pytest.mark.parametrize("text", ["no deadline", "not in a hurry", "the quick brown fox"])
def test_denied_or_idle_words_set_no_priority(text: str) -> None:
    assert said(text, ["priority"]) == {}
