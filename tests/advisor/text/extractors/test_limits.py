"""Limits on one training run, read from the text: memory_limit_gb, time_limit_s and
time_tradeoff, in English and Chinese, and the near misses that are no limits."""

from __future__ import annotations

from typing import Any

import pytest

from advisor.corpus import ALL_RECIPES
from tests.advisor.text.reading_of import said

LIMITS = ("memory_limit_gb", "time_limit_s", "time_tradeoff")

CASES: list[tuple[str, dict[str, tuple[Any, str]]]] = [
    # memory: an amount beside a GPU or its memory
    ("I have an 8 GB GPU", {"memory_limit_gb": (8.0, "8 GB GPU")}),
    ("16GB of VRAM", {"memory_limit_gb": (16.0, "16GB of VRAM")}),
    ("24 GB GPU memory", {"memory_limit_gb": (24.0, "24 GB GPU memory")}),
    ("on one 32GB V100", {"memory_limit_gb": (32.0, "32GB V100")}),
    ("a 12GB RTX 3060 card", {"memory_limit_gb": (12.0, "12GB RTX 3060")}),
    ("an A100 80GB", {"memory_limit_gb": (80.0, "A100 80GB")}),
    ("a GPU with 24 GB", {"memory_limit_gb": (24.0, "GPU with 24 GB")}),
    ("4 x 16GB GPUs", {"memory_limit_gb": (16.0, "16GB GPUs")}),
    ("a 512 MB GPU", {"memory_limit_gb": (0.5, "512 MB GPU")}),
    # ... or a limit word
    ("memory limit of 6 GB", {"memory_limit_gb": (6.0, "memory limit of 6 GB")}),
    ("VRAM: 10GB", {"memory_limit_gb": (10.0, "VRAM: 10GB")}),
    ("it must fit in 8 GB", {"memory_limit_gb": (8.0, "fit in 8 GB")}),
    ("peak memory under 6 GB", {"memory_limit_gb": (6.0, "peak memory under 6 GB")}),
    # ... in Chinese, "G" included
    ("我只有8G显存", {"memory_limit_gb": (8.0, "8G显存")}),
    ("显存只有 12 GB", {"memory_limit_gb": (12.0, "显存只有 12 GB")}),
    ("显存12G", {"memory_limit_gb": (12.0, "显存12G")}),
    ("一张 8G 的显卡", {"memory_limit_gb": (8.0, "8G 的显卡")}),
    ("顯存只有 6GB", {"memory_limit_gb": (6.0, "顯存只有 6GB")}),
    ("显存不能超过10GB", {"memory_limit_gb": (10.0, "显存不能超过10GB")}),
    # the tightest of several binds
    (
        "a 24GB GPU, but it must fit in 8 GB",
        {"memory_limit_gb": (8.0, "fit in 8 GB")},
    ),
    # time per run: a run and a bound
    ("must train in 10 minutes", {"time_limit_s": (600.0, "train in 10 minutes")}),
    ("each run under 30 s", {"time_limit_s": (30.0, "run under 30 s")}),
    ("one hour per run", {"time_limit_s": (3600.0, "one hour per run")}),
    ("30 seconds per trial", {"time_limit_s": (30.0, "30 seconds per trial")}),
    (
        "training should finish within 2 hours",
        {"time_limit_s": (7200.0, "training should finish within 2 hours")},
    ),
    (
        "each trial must take at most 5 minutes",
        {"time_limit_s": (300.0, "each trial must take at most 5 minutes")},
    ),
    ("a time budget of 90 s per run", {"time_limit_s": (90.0, "90 s per run")}),
    ("training time under 15 min", {"time_limit_s": (900.0, "training time under 15 min")}),
    ("5-minute runs", {"time_limit_s": (300.0, "5-minute runs")}),
    ("half an hour per run", {"time_limit_s": (1800.0, "half an hour per run")}),
    ("fine-tune in under an hour", {"time_limit_s": (3600.0, "fine-tune in under an hour")}),
    # ... in Chinese
    ("训练时间不能超过10分钟", {"time_limit_s": (600.0, "训练时间不能超过10分钟")}),
    ("10分钟内训练完", {"time_limit_s": (600.0, "10分钟内训练")}),
    ("一个半小时以内跑完", {"time_limit_s": (5400.0, "一个半小时以内跑")}),
    ("每次训练最多半小时", {"time_limit_s": (1800.0, "训练最多半小时")}),
    ("训练要在1小时内完成", {"time_limit_s": (3600.0, "训练要在1小时")}),
    ("單次實驗不超過三十秒", {"time_limit_s": (30.0, "實驗不超過三十秒")}),
    # a trade-off rather than a limit
    ("as fast as possible", {"time_tradeoff": (True, "as fast as possible")}),
    (
        "a trade-off between accuracy and training time",
        {"time_tradeoff": (True, "trade-off between accuracy and training time")},
    ),
    ("accuracy vs. speed", {"time_tradeoff": (True, "accuracy vs. speed")}),
    ("minimize training time", {"time_tradeoff": (True, "minimize training time")}),
    ("尽量快", {"time_tradeoff": (True, "尽量快")}),
    ("速度和精度之间的权衡", {"time_tradeoff": (True, "速度和精度之间的权衡")}),
    ("兼顾训练速度", {"time_tradeoff": (True, "兼顾训练速度")}),
    # a limit and a trade-off together, with the task's other fields read as before
    (
        "ResNet-18 on CIFAR-10, 8GB GPU, each run under 10 minutes, as fast as possible",
        {
            "memory_limit_gb": (8.0, "8GB GPU"),
            "time_limit_s": (600.0, "run under 10 minutes"),
            "time_tradeoff": (True, "as fast as possible"),
        },
    ),
]


@pytest.mark.parametrize(("text", "expected"), CASES, ids=[c[0] for c in CASES])
def test_a_stated_limit_is_read_with_its_words(
    text: str, expected: dict[str, tuple[Any, str]]
) -> None:
    assert said(text, LIMITS) == expected


#: Sizes, counts and durations that are no limit on a run; each still reads as what it is.
NEAR_MISSES: list[tuple[str, dict[str, Any]]] = [
    ("fine-tune LLaMA-7B on 50GB of text", {"model_params": 7_000_000_000}),
    ("a 7B model", {"model_params": 7_000_000_000}),
    ("a 14GB checkpoint", {}),
    ("the dataset is 100GB", {}),
    ("数据集 100G", {}),
    ("模型文件 13G", {}),
    ("a 2 TB corpus", {}),
    ("batch size 8 for 16 epochs", {"batch_size": 8, "epochs": 16}),
    ("8 GPUs", {}),
    ("8张卡", {}),
    ("16 GB of RAM for data loading", {}),
    ("10 minutes per epoch", {}),
    ("each epoch runs in 30 s", {}),
    ("每个epoch 10分钟", {}),
    ("a 2-hour tuning budget", {}),
    ("the search may take 8 hours in total", {}),
    ("调参总共8小时", {}),
    ("trained for 3 days on 8 GPUs", {}),
    ("训练了3天", {}),
    ("考了90分", {}),
    ("warm up for 5 minutes", {}),
    ("about 8 hours of audio", {}),
    ("2000 warmup steps, 100k steps total", {"steps": 100_000}),
    ("not as fast as possible", {}),
    ("as soon as possible", {}),
]


@pytest.mark.parametrize(("text", "fields"), NEAR_MISSES, ids=[c[0] for c in NEAR_MISSES])
def test_sizes_counts_and_other_durations_are_no_limits(text: str, fields: dict[str, Any]) -> None:
    assert said(text, LIMITS) == {}
    read = {name: value for name, (value, _) in said(text, tuple(fields)).items()}
    assert read == fields


def test_published_recipes_state_no_run_limit_and_their_memory_is_a_gpus() -> None:
    """The corpus's descriptions report how long runs took, never a per-run limit or a
    trade-off; a memory amount they state is the GPU each run had ("one 32GB V100")."""
    memories = []
    for recipe in ALL_RECIPES:
        reading = said(recipe.task.description or "", LIMITS)
        assert "time_limit_s" not in reading, recipe.id
        assert "time_tradeoff" not in reading, recipe.id
        if "memory_limit_gb" in reading:
            memories.append(reading["memory_limit_gb"][1].lower())
    assert memories
    assert all("gpu" in words or "v100" in words for words in memories)
