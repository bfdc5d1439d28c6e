"""read_description is total, deterministic, fast, and its evidence quotes the text.

Properties over arbitrary text and over texts assembled from the reader's own vocabulary
(where extractors fire, overlap and disagree), not just the phrasings in the tables.
"""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from advisor.task import TaskDescription
from advisor.text import TextReading, read_description
from tests.advisor.text.reading_of import fields_set

FRAGMENTS = [
    "fine-tune",
    "from scratch",
    "LoRA",
    "微调",
    "從頭訓練",
    "预训练的",
    "pre-training",
    "BERT",
    "ResNet-50",
    "ViT-B/16",
    "LLaMA-7B",
    "GPT-2 124M",
    "transformer",
    "LSTM",
    "CNN",
    "卷积",
    "图神经网络",
    "推荐",
    "推荐系统",
    "embedding",
    "CTR",
    "PPO",
    "GAN",
    "语音识别",
    "tabular",
    "时间序列",
    "image classification",
    "情感分类",
    "ImageNet",
    "CIFAR-10",
    "ImageNet-pretrained",
    "1.28M images",
    "7B",
    "124M parameters",
    "5万张",
    "1.2亿参数",
    "三千条",
    "batch size 256",
    "bs=64",
    "批大小128",
    "90 epochs",
    "100轮",
    "10万步",
    "100k steps",
    "8G显存",
    "an 8 GB GPU",
    "each run under 30 s",
    "训练时间不能超过10分钟",
    "as fast as possible",
    "尽量快",
    "50 trials",
    "试 20 次",
    "every 30 epochs",
    "8 GPUs",
    "sparse features",
    "用户ID",
    "no",
    "not",
    "没有",
    "不",
    "是不是",
    "overfitting",
    "过拟合",
    "震荡",
    "loss不下降",
    "loss spikes",
    "梯度消失",
    "converges slowly",
    "quickly",
    "SOTA",
    "时间紧",
    "unsure",
    "both",
    "I use",
    "目前用",
    "should I use",
    "还是",
    "SGD",
    "Adam",
    "AdamW",
    "lr=1e-3",
    "学习率 0.001",
    "momentum 0.9",
    "momentum 1.5",
    "betas (0.9, 0.999)",
    "nesterov",
    "cosine",
    "warmup",
    "1e999",
    "9" * 40,
    "，",
    "。",
    ", ",
    ". ",
    "(",
    ")",
]
SEPARATORS = st.sampled_from(["", " ", ", ", "，", "。", "\n", " and ", "但是"])


def check_reading(text: str, reading: TextReading) -> None:
    """What every reading must satisfy, whatever the text."""
    values = fields_set(reading)
    assert set(reading.evidence) == set(values)
    for evidence in reading.evidence.values():
        assert evidence
        assert all(piece in text for piece in evidence.split("; "))
    TaskDescription.model_validate({"description": "-", **values})
    assert reading.recognised() == bool(values)


@settings(max_examples=300, deadline=None)
@given(st.text())
@example("\ud800 lone surrogate overfitting")
@example("a" * 100_000)
@example("批大小" + "1" * 5000)
@example("亿" * 5000)
def test_any_text_gives_a_valid_reading(text: str) -> None:
    reading = read_description(text)
    check_reading(text, reading)
    assert read_description(text) == reading


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(FRAGMENTS), SEPARATORS), max_size=14))
def test_texts_made_of_vocabulary_give_valid_readings(parts: list[tuple[str, str]]) -> None:
    text = "".join(fragment + separator for fragment, separator in parts)
    check_reading(text, read_description(text))
