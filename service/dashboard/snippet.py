"""The best config as PyTorch code: placeholder until the snippet writer lives in advisor."""

from __future__ import annotations

from advisor import TrainConfig


def snippet_of(config: TrainConfig) -> str | None:
    return None
