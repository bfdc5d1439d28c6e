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
    # a count per device is a per-device batch: the batch is it times the devices stated
    ("8 GPUs with 128 images each", {"batch_size": (1024, "8 GPUs with 128 images each")}),
    ("64 images per GPU on 4 GPUs", {"batch_size": (256, "64 images per GPU on 4 GPUs")}),
    ("32 samples per device", {"batch_size": (32, "32 samples per device")}),
    ("16 per GPU on 8 80GB GPUs", {"batch_size": (128, "16 per GPU on 8 80GB GPUs")}),
    ("batch 16 (2 per GPU on 8 GPUs)", {"batch_size": (16, "batch 16")}),
    ("8张卡，每卡64张", {"batch_size": (512, "8张卡，每卡64张")}),
    ("per-device batch 8 on 4 GPUs", {"batch_size": (32, "per-device batch 8 on 4 GPUs")}),
    (
        "train on 8 V100s, 32 images per GPU",
        {"batch_size": (256, "8 V100s, 32 images per GPU")},
    ),
    ("每卡batch 32，8卡", {"batch_size": (256, "每卡batch 32，8卡")}),
    ("batch size 32 on 1 GPU", {"batch_size": (32, "batch size 32")}),
    # ... and a count per optimizer step is the batch
    ("2048 sequences per step", {"batch_size": (2048, "2048 sequences per step")}),
    # gradient accumulation multiplies the batch, unless the batch said is already the whole
    (
        "batch 4 with 2-step accumulation",
        {"batch_size": (8, "batch 4 with 2-step accumulation")},
    ),
    (
        "batch 1 with 4 gradient accumulation steps",
        {"batch_size": (4, "batch 1 with 4 gradient accumulation steps")},
    ),
    (
        "bs=16, gradient_accumulation_steps=4",
        {"batch_size": (64, "bs=16, gradient_accumulation_steps=4")},
    ),
    (
        "batch 256 with 8 gradient accumulations (effective batch 2048)",
        {"batch_size": (2048, "effective batch 2048")},
    ),
    ("梯度累积4步，批大小16", {"batch_size": (64, "梯度累积4步，批大小16")}),
    (
        "micro-batch 4, gradient accumulation 16, 8 GPUs",
        {"batch_size": (512, "micro-batch 4, gradient accumulation 16, 8 GPUs")},
    ),
    # a ghost batch norm's virtual batch is not the training batch
    (
        "ghost batch norm with virtual batches of 512, batch 16384",
        {"batch_size": (16_384, "batch 16384")},
    ),
    # a pass over the data is the data set; a unit glued to a run's length is still one
    ("1.28M images per epoch", {"dataset_size": (1_280_000, "1.28M images")}),
    ("50k images each epoch", {"dataset_size": (50_000, "50k images")}),
    ("a 20-epoch fine-tuning", {"epochs": (20, "20-epoch")}),
    # a warm-up is a phase of the run, not its length
    ("2000 warmup steps, 100k steps total", {"steps": (100_000, "100k steps")}),
    ("5 warmup epochs then 90 epochs", {"epochs": (90, "90 epochs")}),
    ("1000-step warmup, 50k steps", {"steps": (50_000, "50k steps")}),
    ("a 90-epoch schedule", {"epochs": (90, "90-epoch")}),
    ("a 100k-step cosine run", {"steps": (100_000, "100k-step")}),
    # a scaled number glued to a name still gives its size
    ("ShopLog-20M ratings", {"dataset_size": (20_000_000, "20M ratings")}),
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
    "fine-tune on flowers-102 images",  # a number glued to a name is part of the name
    "Caltech-256 photos",
    "25 million real images shown",  # a training length in images seen, not the data set
    "trained for 10M images seen",
    "1000 diffusion steps",  # noise levels, discriminator updates: no optimizer steps
    "1000 noise steps",
    "5 critic steps per generator step",
    "5 discriminator steps",
    "timesteps=1000",
    "diffusion_steps: 1000",
    "扩散1000步",
    "判别器训练5步",
    "6 decision steps",  # TabNet's architecture, not the run
    "10M environment steps",  # an RL run's length in frames, not in optimizer updates
    "250k agent steps",
    "4 gradient accumulation steps",
    "200 iterations of 250k agent steps",  # a count of groups of steps
    "20-step unrolling",  # a number glued to its unit describes the word after it
    "3-step returns",
    "5-step rollouts",
    "up to 40M rows each",  # a count per part is no total
    "1.4M audio samples per GPU per batch",  # a length of audio, not examples
    "16M-element batches",
    "4 negatives per positive",
    "100 images per class",
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[text for text, _ in CASES])
def test_a_number_fills_the_field_its_words_name(
    text: str, expected: dict[str, tuple[Any, str]]
) -> None:
    assert said(text, QUANTITIES) == expected


@pytest.mark.parametrize("text", NO_AMOUNTS)
def test_numbers_that_are_no_amount_fill_nothing(text: str) -> None:
    assert said(text, QUANTITIES) == {}
