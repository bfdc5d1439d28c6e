"""Helpers the built-in workloads share to turn arrays into deterministic splits."""

from __future__ import annotations

import torch
from torch import Tensor


def generator(seed: int) -> torch.Generator:
    return torch.Generator().manual_seed(seed)


def holdout(n: int, valid_fraction: float, gen: torch.Generator) -> tuple[Tensor, Tensor]:
    """Shuffled train and validation indices."""
    order = torch.randperm(n, generator=gen)
    n_valid = max(1, round(n * valid_fraction))
    return order[n_valid:], order[:n_valid]


def standardize(train: Tensor, *others: Tensor) -> tuple[Tensor, ...]:
    """Scale every column by the train split's mean and spread (never the validation's)."""
    mean = train.mean(dim=0, keepdim=True)
    std = train.std(dim=0, keepdim=True).clamp_min(1e-6)
    return tuple((t - mean) / std for t in (train, *others))


def with_noisy_copies(
    features: Tensor, target: Tensor, copies: int, noise: float, gen: torch.Generator
) -> tuple[Tensor, Tensor]:
    """The data plus ``copies - 1`` jittered copies: how a bundled data set of fixed size
    grows with a workload's size knob."""
    if copies <= 1:
        return features, target
    extra = features.repeat(copies - 1, *([1] * (features.dim() - 1)))
    extra = extra + noise * torch.randn(extra.shape, generator=gen)
    return torch.cat([features, extra]), target.repeat(copies)
