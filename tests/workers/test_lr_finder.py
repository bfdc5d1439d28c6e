"""The lr range test: an exponential sweep, a smoothed curve, an early stop, a suggestion."""

from __future__ import annotations

import math

import numpy as np
import pytest
from pydantic import ValidationError

from advisor.config import TrainConfig
from tests.workers.runner.workloads import Line, NanAt
from workers.lr_finder import SweepSettings, find_lr, suggest


def test_digits_with_adam_suggests_a_sensible_lr_and_returns_its_curve() -> None:
    result = find_lr("digits-cnn", TrainConfig(optimizer="adam", lr=1e-3), device="cpu")

    assert result.suggested_lr is not None
    assert 1e-5 <= result.suggested_lr <= 1e-1
    lrs = [p.lr for p in result.curve]
    assert lrs[0] == pytest.approx(1e-7)
    assert len(lrs) <= 100
    # Exponential: a constant ratio between neighbours, 1e-7 to 10 over 100 steps.
    assert np.diff(np.log10(lrs)) == pytest.approx([8 / 99] * (len(lrs) - 1))
    # It stops when the loss explodes, well before lr 10.
    assert "passed 4 × its minimum" in result.stop_reason
    assert lrs[-1] < 10
    smoothed = [p.smoothed for p in result.curve]
    assert min(smoothed) < 0.5 * smoothed[0]


def test_the_sweep_follows_its_settings() -> None:
    sweep = SweepSettings(start_lr=1e-4, end_lr=1e-2, steps=12)
    result = find_lr(Line(), TrainConfig(optimizer="sgd", lr=0.1), sweep=sweep, device="cpu")

    assert [p.lr for p in result.curve] == pytest.approx(np.geomspace(1e-4, 1e-2, 12).tolist())
    assert result.stop_reason == "reached end_lr"


def test_a_nan_loss_ends_the_sweep_at_that_step() -> None:
    result = find_lr(NanAt(40), TrainConfig(optimizer="sgd", lr=0.1), device="cpu")

    assert len(result.curve) == 40
    assert math.isnan(result.curve[-1].loss)
    assert result.stop_reason.startswith("loss became nan at lr")


def test_settings_are_validated() -> None:
    with pytest.raises(ValidationError, match="must be below end_lr"):
        SweepSettings(start_lr=1.0, end_lr=0.1)
    with pytest.raises(ValidationError):
        SweepSettings(steps=3)


def test_the_suggestion_is_the_steepest_fall_before_the_minimum() -> None:
    lrs = np.geomspace(1e-6, 1.0, 61).tolist()
    x = np.log10(lrs)
    # Flat, then a fall centred on 1e-3, a floor, and a blow-up past 1e-1.
    losses = (
        2.0 - 1.5 / (1 + np.exp(-4 * (x + 3))) + np.where(x > -1, 10 * (x + 1) ** 2, 0)
    ).tolist()

    assert suggest(lrs, losses) == pytest.approx(1e-3, rel=0.3)


def test_no_suggestion_when_the_loss_never_falls() -> None:
    lrs = np.geomspace(1e-6, 1.0, 40).tolist()
    flat = [1.0 + 0.01 * ((i * 7) % 3) for i in range(40)]

    assert suggest(lrs, flat) is None
    assert suggest(lrs, np.linspace(1.0, 5.0, 40).tolist()) is None
