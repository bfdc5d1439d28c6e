"""End to end: whole descriptions, every field read and the words that set it, exactly.

The family tables (tests/advisor/text/extractors/) pin each extractor's phrasings; these pin
how the pipeline puts them together: precedence between stated and implied sizes, the
ambiguity rules, and that nothing else is read.
"""

from __future__ import annotations

from typing import Any

import pytest

from advisor.task import TaskDescription
from advisor.text import read_description
from tests.advisor.text.reading_of import fields_set, said

CASES: list[tuple[str, dict[str, tuple[Any, str]]]] = [
    (
        "fine-tune BERT on 20k reviews",
        {
            "domain": ("nlp", "BERT"),
            "architecture": ("transformer", "BERT"),
            "regime": ("fine_tuning", "fine-tune"),
            "model_params": (110_000_000, "BERT"),
            "dataset_size": (20_000, "20k reviews"),
        },
    ),
    (
        "ResNet-50 on ImageNet, batch 1024, 90 epochs, I care about final accuracy",
        {
            "domain": ("vision", "ResNet-50"),
            "architecture": ("resnet", "ResNet-50"),
            "model_params": (25_600_000, "ResNet-50"),
            "dataset_size": (1_281_167, "ImageNet"),
            "batch_size": (1024, "batch 1024"),
            "epochs": (90, "90 epochs"),
            "priority": ("best_generalization", "final accuracy"),
        },
    ),
    (
        "微调BERT做情感分类",
        {
            "domain": ("nlp", "情感分类"),
            "architecture": ("transformer", "BERT"),
            "regime": ("fine_tuning", "微调"),
            "model_params": (110_000_000, "BERT"),
        },
    ),
    (
        "推荐系统，用户ID和商品ID做embedding，5千万条样本",
        {
            "domain": ("recsys", "推荐系统"),
            "architecture": ("embedding", "embedding"),
            "sparse_features": (True, "用户ID和商品ID"),
            "dataset_size": (50_000_000, "5千万条"),
        },
    ),
    (
        "用LSTM预测股票价格，loss不下降",
        {
            "domain": ("timeseries", "股票"),
            "architecture": ("lstm", "LSTM"),
            "symptoms": (["loss_not_decreasing"], "loss不下降"),
        },
    ),
    (
        "訓練ResNet-18做圖像分類，5萬張圖片，批大小128，100輪，時間緊",
        {
            "domain": ("vision", "圖像分類"),
            "architecture": ("resnet", "ResNet-18"),
            "model_params": (11_700_000, "ResNet-18"),
            "dataset_size": (50_000, "5萬張"),
            "batch_size": (128, "批大小128"),
            "epochs": (100, "100輪"),
            "priority": ("fast_convergence", "時間緊"),
        },
    ),
    (
        "用Transformer做机器翻译，从头训练，1.2亿参数，10万步，试 20 次",
        {
            "domain": ("nlp", "机器翻译"),
            "architecture": ("transformer", "Transformer"),
            "regime": ("from_scratch", "从头训练"),
            "model_params": (120_000_000, "1.2亿参数"),
            "steps": (100_000, "10万步"),
            "budget_trials": (20, "试 20 次"),
        },
    ),
    (
        # Stated numbers beat the sizes names imply; the generic Transformer of a vision
        # task is a ViT.
        "Transformer for image classification on CIFAR-10, 5k images, 86M params",
        {
            "domain": ("vision", "image classification"),
            "architecture": ("vit", "Transformer for image classification"),
            "dataset_size": (5_000, "5k images"),
            "model_params": (86_000_000, "86M params"),
        },
    ),
    (
        "LLaMA-7B with QLoRA on 三千条 instruction samples, 50 trials, loss spikes",
        {
            "domain": ("nlp", "LLaMA"),
            "architecture": ("transformer", "LLaMA"),
            "regime": ("fine_tuning", "QLoRA"),
            "model_params": (7_000_000_000, "LLaMA-7B"),
            "dataset_size": (3_000, "三千条"),
            "budget_trials": (50, "50 trials"),
            "symptoms": (["loss_spikes"], "loss spikes"),
        },
    ),
    (
        "GPT-2 124M pretraining on OpenWebText with AdamW lr 6e-4, weight decay 0.1, "
        "warmup and cosine decay, 600k steps, bs=480",
        {
            "domain": ("nlp", "GPT-2"),
            "architecture": ("transformer", "GPT-2"),
            "regime": ("from_scratch", "pretraining"),
            "model_params": (124_000_000, "GPT-2 124M"),
            "steps": (600_000, "600k steps"),
            "batch_size": (480, "bs=480"),
            "current": (
                {
                    "optimizer": "adamw",
                    "lr": 6e-4,
                    "weight_decay": 0.1,
                    "schedule": "warmup_cosine",
                },
                "AdamW lr 6e-4, weight decay 0.1, warmup and cosine decay",
            ),
        },
    ),
    (
        "I'm fine-tuning a pretrained BERT-base on 20k product reviews for sentiment "
        "classification. Currently I use AdamW with lr 3e-5, batch size 32, 3 epochs. "
        "No overfitting, but the loss oscillates. 时间紧，希望尽快收敛。No sparse features.",
        {
            "domain": ("nlp", "sentiment"),
            "architecture": ("transformer", "BERT-base"),
            "regime": ("fine_tuning", "fine-tuning"),
            "model_params": (110_000_000, "BERT-base"),
            "dataset_size": (20_000, "20k product reviews"),
            "batch_size": (32, "batch size 32"),
            "epochs": (3, "3 epochs"),
            "sparse_features": (False, "sparse features"),
            "priority": ("fast_convergence", "时间紧，希望尽快"),
            "symptoms": (["oscillation"], "oscillates"),
            "current": ({"optimizer": "adamw", "lr": 3e-5}, "AdamW with lr 3e-5"),
        },
    ),
    (
        "GAN训练不稳定，判别器loss震荡，用的Adam lr 2e-4 beta1 0.5",
        {
            "domain": ("gan", "GAN"),
            "symptoms": (["oscillation"], "不稳定，判别器loss震荡"),
            "current": (
                {"optimizer": "adam", "lr": 2e-4, "beta1": 0.5},
                "Adam lr 2e-4 beta1 0.5",
            ),
        },
    ),
    (
        "wide & deep CTR model with sparse features, 45M examples, batch size 4096",
        {
            "domain": ("recsys", "wide & deep"),
            "architecture": ("embedding", "wide & deep"),
            "sparse_features": (True, "sparse features"),
            "dataset_size": (45_000_000, "45M examples"),
            "batch_size": (4096, "batch size 4096"),
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text[:40] for text, _ in CASES])
def test_a_description_is_read_field_by_field_with_its_evidence(
    text: str, expected: dict[str, tuple[Any, str]]
) -> None:
    assert said(text) == expected


@pytest.mark.parametrize("text", [text for text, _ in CASES], ids=[t[:40] for t, _ in CASES])
def test_every_reading_fits_a_task_description(text: str) -> None:
    reading = read_description(text)
    task = TaskDescription.model_validate({"description": text, **fields_set(reading)})
    assert task.description == text


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "hello world",
        "the quick brown fox",
        "今天天气不错",
        "🙂🙂🙂",
        "12345",
        "\x00\x01",
    ],
)
def test_text_with_nothing_recognisable_is_not_recognised(text: str) -> None:
    reading = read_description(text)
    assert not reading.recognised()
    assert fields_set(reading) == {}
