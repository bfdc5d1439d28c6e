"""Which language a description is in."""

from __future__ import annotations

import pytest

from advisor.text.language import detect_language


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("fine-tune BERT on 20k reviews", "en"),
        ("微调BERT做情感分类", "zh"),  # English model names do not make Chinese mixed
        ("推荐系统，用户ID和商品ID做embedding，5千万条样本", "zh"),
        ("訓練ResNet-18做圖像分類", "zh"),
        ("I'm training BERT for 情感分类 and 文本分类", "mixed"),
        ("", "unknown"),
        ("12345 🙂", "unknown"),
    ],
)
def test_language(text: str, language: str) -> None:
    assert detect_language(text) == language
