"""The current config: which optimizer the person uses, with the values they state."""

from __future__ import annotations

from typing import Any

import pytest

from tests.advisor.text.reading_of import said

CASES: list[tuple[str, dict[str, Any], str]] = [
    (
        "I use SGD with lr 0.1 and momentum 0.9",
        {"optimizer": "momentum", "lr": 0.1, "momentum": 0.9},
        "SGD with lr 0.1 and momentum 0.9",
    ),
    ("currently Adam lr=1e-3", {"optimizer": "adam", "lr": 1e-3}, "Adam lr=1e-3"),
    ("目前用 Adam，学习率 0.001", {"optimizer": "adam", "lr": 1e-3}, "Adam，学习率 0.001"),
    (
        "AdamW, lr 3e-4, weight decay 0.05, betas (0.9, 0.95)",
        {"optimizer": "adamw", "lr": 3e-4, "weight_decay": 0.05, "beta1": 0.9, "beta2": 0.95},
        "AdamW, lr 3e-4, weight decay 0.05, betas (0.9, 0.95)",
    ),
    (
        "optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)",
        {"optimizer": "nesterov", "lr": 0.1, "momentum": 0.9},
        "SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov",
    ),
    (
        "I train with RMSprop, alpha 0.99, eps 1e-8",
        {"optimizer": "rmsprop", "alpha": 0.99, "eps": 1e-8},
        "RMSprop, alpha 0.99, eps 1e-8",
    ),
    ("Adagrad lr 0.01", {"optimizer": "adagrad", "lr": 0.01}, "Adagrad lr 0.01"),
    ("用带动量的SGD，动量0.9", {"optimizer": "momentum", "momentum": 0.9}, "带动量的SGD，动量0.9"),
    (
        "Adam（β1=0.9，β2=0.98），学习率3e-4",
        {"optimizer": "adam", "lr": 3e-4, "beta1": 0.9, "beta2": 0.98},
        "Adam（β1=0.9，β2=0.98），学习率3e-4",
    ),
    ("我现在用SGD，想换成Adam", {"optimizer": "sgd"}, "SGD"),
    ("switching from Adam to SGD", {"optimizer": "adam"}, "Adam"),
    ("fine-tune BERT with AdamW", {"optimizer": "adamw"}, "AdamW"),
    ("optimizer: Adam", {"optimizer": "adam"}, "Adam"),
    ("batch 64, lr 0.1 SGD", {"optimizer": "sgd", "lr": 0.1}, "lr 0.1 SGD"),
    # Values without a named optimizer are still what the person uses.
    (
        "学习率设为1e-4，使用余弦退火",
        {"lr": 1e-4, "schedule": "cosine"},
        "学习率设为1e-4，使用余弦退火",
    ),
    ("warmup + cosine", {"schedule": "warmup_cosine"}, "warmup + cosine"),
    ("StepLR every 30 epochs", {"schedule": "step"}, "StepLR"),
    # A value outside its range is ignored, the others kept.
    ("SGD, lr 0.1, momentum 1.5", {"optimizer": "sgd", "lr": 0.1}, "SGD, lr 0.1"),
]


@pytest.mark.parametrize(("text", "current", "evidence"), CASES, ids=[c[0] for c in CASES])
def test_current_config(text: str, current: dict[str, Any], evidence: str) -> None:
    assert said(text, ["current"]) == {"current": (current, evidence)}


@pytest.mark.parametrize(
    "text",
    [
        "Should I use Adam or SGD?",
        "Adam还是SGD？",
        "推荐新手用Adam",
        "Is AdamW better than SGD for ViT?",
        "compare SGD with Adam",
    ],
)
def test_optimizers_asked_about_are_not_the_current_one(text: str) -> None:
    assert said(text, ["current"]) == {}
