"""Divergence detection: NaN, inf and explosions caught within a few steps, steady runs left
alone, at one host sync per 32 steps once past the start."""

from __future__ import annotations

import itertools
import math

import pytest
import torch

from workers.runner.guard import MAX_CHECK_INTERVAL, DivergenceGuard


def _guard(factor: float = 100.0) -> DivergenceGuard:
    return DivergenceGuard(torch.device("cpu"), factor)


def _feed(guard: DivergenceGuard, losses: list[float]) -> tuple[int, str] | None:
    for step, loss in enumerate(losses, start=1):
        reason = guard.observe(torch.tensor(loss))
        if reason:
            return step, reason
    return None


def test_a_nan_first_loss_stops_at_step_one() -> None:
    assert _feed(_guard(), [math.nan, 1.0]) == (1, "loss became nan by step 1")


@pytest.mark.parametrize("bad", [math.nan, math.inf])
def test_a_non_finite_loss_is_caught_at_the_next_check(bad: float) -> None:
    caught = _feed(_guard(), [1.0] * 20 + [bad] + [1.0] * 100)

    assert caught is not None
    step, reason = caught
    assert 21 <= step <= 21 + MAX_CHECK_INTERVAL
    assert "loss became" in reason


def test_an_explosion_past_the_factor_is_caught_within_the_first_steps() -> None:
    caught = _feed(_guard(factor=10.0), [2.0, 3.0, 1e4, 1e8])

    assert caught is not None
    step, reason = caught
    assert step <= 4
    assert "exploded" in reason and "10 × the first step's 2" in reason


def test_a_single_spike_shows_in_the_mean_of_its_window() -> None:
    losses = [1.0] * 64 + [50_000.0] + [1.0] * 63
    caught = _feed(_guard(factor=100.0), losses)

    assert caught is not None and caught[0] <= 96


def test_a_noisy_but_steady_run_is_never_stopped() -> None:
    gen = torch.Generator().manual_seed(0)
    losses = (2.0 * torch.rand(1000, generator=gen) + 0.5).tolist()
    assert _feed(_guard(factor=10.0), losses) is None


def test_host_syncs_thin_out_to_one_per_32_steps() -> None:
    guard = _guard()
    reads = []
    for step in range(1, 200):
        guard.observe(torch.tensor(1.0))
        if guard._window_steps == 0:  # the window is reset exactly when it is read
            reads.append(step)

    assert reads[:8] == [1, 2, 4, 8, 16, 32, 64, 96]
    assert all(b - a == MAX_CHECK_INTERVAL for a, b in itertools.pairwise(reads[5:]))


def test_the_epoch_mean_counts_every_step_once() -> None:
    guard = _guard()
    for loss in [1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0]:
        guard.observe(torch.tensor(loss))

    mean, reason = guard.end_epoch()
    assert (mean, reason) == (4.0, None)
    guard.observe(torch.tensor(10.0))
    assert guard.end_epoch() == (10.0, None)


def test_the_last_steps_of_an_epoch_are_checked_at_its_end() -> None:
    guard = _guard()
    # Reads happen after steps 32 and 64: a NaN at step 41 is still unread when the epoch ends.
    for loss in [1.0] * 40 + [math.nan]:
        assert guard.observe(torch.tensor(loss)) is None

    _, reason = guard.end_epoch()
    assert reason is not None and "nan" in reason
