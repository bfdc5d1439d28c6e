"""Numbers and the field each fills, decided by the words around it."""

from __future__ import annotations

from typing import Any

import pytest

from tests.advisor.text.reading_of import said

QUANTITIES = ("model_params", "dataset_size", "batch_size", "epochs", "steps", "budget_trials")

CASES: list[tuple[str, dict[str, tuple[Any, str]]]] = [
    # sizes: the unit word after the number decides parameters or examples
    ("1.28M images", {"dataset_size": (1_280_000, "1.28M images")}),
    ("1,281,167 training images", {"dataset_size": (1_281_167, "1,281,167 training images")}),
    ("124M parameters", {"model_params": (124_000_000, "124M parameters")}),
    ("a 124M-param model", {"model_params": (124_000_000, "124M-param")}),
    ("1.5 billion params", {"model_params": (1_500_000_000, "1.5 billion params")}),
    ("a 7B model", {"model_params": (7_000_000_000, "7B model")}),
    ("7B", {"model_params": (7_000_000_000, "7B")}),
    ("LLaMA-2 7B", {"model_params": (7_000_000_000, "LLaMA-2 7B")}),
    ("50k samples", {"dataset_size": (50_000, "50k samples")}),
    ("20k reviews", {"dataset_size": (20_000, "20k reviews")}),
    ("dataset of 50k", {"dataset_size": (50_000, "dataset of 50k")}),
    ("5万张", {"dataset_size": (50_000, "5万张")}),
    ("10万条数据", {"dataset_size": (100_000, "10万条")}),
    ("5千万条样本", {"dataset_size": (50_000_000, "5千万条")}),
    ("三千条", {"dataset_size": (3_000, "三千条")}),
    ("两千张图片", {"dataset_size": (2_000, "两千张")}),
    ("训练集5万", {"dataset_size": (50_000, "训练集5万")}),
    ("1.2亿参数", {"model_params": (120_000_000, "1.2亿参数")}),
    ("参数量 7B", {"model_params": (7_000_000_000, "参数量 7B")}),
    ("70亿参数的模型", {"model_params": (7_000_000_000, "70亿参数")}),
    # batch size
    ("batch size 256", {"batch_size": (256, "batch size 256")}),
    ("bs=64", {"batch_size": (64, "bs=64")}),
    ("batch of 32", {"batch_size": (32, "batch of 32")}),
    ("batch_size: 512", {"batch_size": (512, "batch_size: 512")}),
    ("批大小128", {"batch_size": (128, "批大小128")}),
    ("批量大小为 64", {"batch_size": (64, "批量大小为 64")}),
    ("256 images per batch", {"batch_size": (256, "256 images per batch")}),
    # epochs and steps
    ("90 epochs", {"epochs": (90, "90 epochs")}),
    ("训练 100 个 epoch", {"epochs": (100, "100 个 epoch")}),
    ("100轮", {"epochs": (100, "100轮")}),
    ("一百轮", {"epochs": (100, "一百轮")}),
    ("epochs=50", {"epochs": (50, "epochs=50")}),
    ("100k steps", {"steps": (100_000, "100k steps")}),
    ("10万步", {"steps": (100_000, "10万步")}),
    ("十万步", {"steps": (100_000, "十万步")}),
    ("1e5 iterations", {"steps": (100_000, "1e5 iterations")}),
    ("迭代2万次", {"steps": (20_000, "迭代2万")}),
    # budget
    ("50 trials", {"budget_trials": (50, "50 trials")}),
    ("试 20 次", {"budget_trials": (20, "试 20 次")}),
    ("budget of 30 trials", {"budget_trials": (30, "budget of 30 trials")}),
    ("budget: 40", {"budget_trials": (40, "budget: 40")}),
    ("n_trials=100", {"budget_trials": (100, "n_trials=100")}),
    # several at once: each number to its own field, Chinese commas between them
    (
        "批大小128，100轮，5万张",
        {
            "batch_size": (128, "批大小128"),
            "epochs": (100, "100轮"),
            "dataset_size": (50_000, "5万张"),
        },
    ),
    (
        "batch size 32 for 10 epochs",
        {
            "batch_size": (32, "batch size 32"),
            "epochs": (10, "10 epochs"),
        },
    ),
    # the first statement of a field wins
    ("90 epochs, maybe 120 epochs", {"epochs": (90, "90 epochs")}),
    # numbers inside names are no amounts; the names imply their own sizes
    (
        "ResNet-50 on CIFAR-10",
        {
            "model_params": (25_600_000, "ResNet-50"),
            "dataset_size": (50_000, "CIFAR-10"),
        },
    ),
    # a keyword before the number beats a unit word after it
    ("batch size 256 images", {"batch_size": (256, "batch size 256")}),
]

NO_AMOUNTS = [
    "lr decays every 30 epochs",  # a point in training, not its length
    "loss spikes at epoch 30",
    "第10轮开始震荡",
    "每10个epoch学习率衰减",
    "warmup 5 epochs",
    "trained on 7B tokens",  # counts of something no field holds
    "8 GPUs",
    "8张卡",
    "1000 classes",
    "budget of 8 hours",
    "lr 0.001",
    "0.5 epochs",
    "三条建议",  # a Chinese numeral needs 十百千万亿 to be read
    "1e999 images",
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_a_number_fills_the_field_its_words_name(
    text: str, expected: dict[str, tuple[Any, str]]
) -> None:
    assert said(text, QUANTITIES) == expected


@pytest.mark.parametrize("text", NO_AMOUNTS)
def test_numbers_that_are_no_amount_fill_nothing(text: str) -> None:
    assert said(text, QUANTITIES) == {}
