"""The best config as PyTorch code, ready to paste: optimizer, parameter groups, schedule."""

from __future__ import annotations

from advisor import TrainConfig
from advisor.snippet import pytorch_snippet


def snippet_of(config: TrainConfig) -> str:
    return pytorch_snippet(config, heading="the best trial's config (tunewise)")
