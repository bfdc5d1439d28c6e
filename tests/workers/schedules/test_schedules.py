"""Each schedule's lr multiplier at chosen steps, and agreement with torch's own schedulers
where torch has one."""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest
import torch

from advisor.config import ScheduleName, ScheduleSpec
from workers.schedules import SCHEDULES, ScheduleClock, lr_multiplier

CLOCK = ScheduleClock(total_steps=100, steps_per_epoch=10)


def at(spec: ScheduleSpec, *steps: int, clock: ScheduleClock = CLOCK) -> list[float]:
    return [lr_multiplier(spec, s, clock) for s in steps]


def test_every_schedule_name_has_a_schedule() -> None:
    assert set(SCHEDULES) == set(ScheduleName)


def test_constant() -> None:
    assert at(ScheduleSpec(name="constant"), 0, 50, 99) == [1.0, 1.0, 1.0]


def test_step_multiplies_by_gamma_every_step_epochs() -> None:
    spec = ScheduleSpec(name="step", step_epochs=3, gamma=0.5)
    # Epoch 0-2 → 1, epoch 3-5 → 0.5, epoch 6-8 → 0.25; the change lands on the epoch's first step.
    assert at(spec, 0, 29, 30, 59, 60, 99) == [1.0, 1.0, 0.5, 0.5, 0.25, 0.125]


def test_step_defaults_to_the_seeds_tenfold_drop() -> None:
    spec = ScheduleSpec(name="step", step_epochs=5)
    assert at(spec, 49, 50) == pytest.approx([1.0, 0.1])


def test_exponential_multiplies_by_gamma_every_epoch() -> None:
    assert at(ScheduleSpec(name="exponential"), 0, 9, 10, 25) == pytest.approx(
        [1.0, 1.0, 0.95, 0.95**2]
    )


def test_cosine_falls_from_one_to_the_floor() -> None:
    spec = ScheduleSpec(name="cosine", min_lr_fraction=0.1)
    start, middle, late = at(spec, 0, 50, 100)
    assert (start, middle, late) == pytest.approx((1.0, 0.55, 0.1))


def test_warmup_cosine_rises_linearly_then_follows_a_cosine() -> None:
    spec = ScheduleSpec(name="warmup_cosine", warmup_fraction=0.1)
    warm = at(spec, 0, 4, 9)
    after = at(spec, 10, 55, 99)

    assert warm == pytest.approx([0.1, 0.5, 1.0])
    assert after == pytest.approx([1.0, 0.5, 0.5 * (1 + math.cos(math.pi * 89 / 90))])


def test_warmup_linear_rises_then_decays_linearly_to_the_floor() -> None:
    spec = ScheduleSpec(name="warmup_linear", warmup_fraction=0.2, min_lr_fraction=0.2)
    assert at(spec, 0, 19, 20, 60, 100) == pytest.approx([0.05, 1.0, 1.0, 0.6, 0.2])


def test_warmup_of_zero_is_plain_decay() -> None:
    assert at(ScheduleSpec(name="warmup_cosine"), 0, 50) == pytest.approx([1.0, 0.5])
    assert at(ScheduleSpec(name="warmup_linear"), 0, 50) == pytest.approx([1.0, 0.5])


def test_one_cycle_peaks_at_the_warmup_fraction() -> None:
    spec = ScheduleSpec(name="one_cycle", warmup_fraction=0.25)
    values = at(spec, *range(100))

    assert values[0] == pytest.approx(1 / 25)
    assert max(values) == pytest.approx(1.0)
    assert values.index(max(values)) == 24
    assert values[-1] == pytest.approx(1 / 25 / 1e4)


def _torch_lrs(
    make: Callable[[torch.optim.Optimizer], object], steps: int, per_epoch: int
) -> list[float]:
    """lrs torch's scheduler gives, stepped per step (per_epoch=1) or per epoch."""
    optimizer = torch.optim.SGD([torch.nn.Parameter(torch.zeros(1))], lr=1.0)
    scheduler = make(optimizer)
    lrs = []
    for step in range(steps):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()
        if (step + 1) % per_epoch == 0:
            scheduler.step()  # type: ignore[attr-defined]
    return lrs


S = torch.optim.lr_scheduler


@pytest.mark.parametrize(
    ("spec", "make", "per_epoch"),
    [
        (ScheduleSpec(name="step", step_epochs=3, gamma=0.3), lambda o: S.StepLR(o, 3, 0.3), 10),
        (ScheduleSpec(name="exponential", gamma=0.8), lambda o: S.ExponentialLR(o, 0.8), 10),
        (ScheduleSpec(name="cosine"), lambda o: S.CosineAnnealingLR(o, T_max=100), 1),
        (
            ScheduleSpec(name="cosine", min_lr_fraction=0.05),
            lambda o: S.CosineAnnealingLR(o, T_max=100, eta_min=0.05),
            1,
        ),
        (
            ScheduleSpec(name="one_cycle"),
            lambda o: S.OneCycleLR(o, max_lr=1.0, total_steps=100, cycle_momentum=False),
            1,
        ),
        (
            ScheduleSpec(name="one_cycle", warmup_fraction=0.1, min_lr_fraction=0.01),
            lambda o: S.OneCycleLR(
                o,
                max_lr=1.0,
                total_steps=100,
                pct_start=0.1,
                final_div_factor=4.0,
                cycle_momentum=False,
            ),
            1,
        ),
    ],
    ids=["step", "exponential", "cosine", "cosine-floor", "one-cycle", "one-cycle-custom"],
)
def test_agrees_with_torchs_scheduler_at_every_step(
    spec: ScheduleSpec, make: Callable[[torch.optim.Optimizer], object], per_epoch: int
) -> None:
    ours = at(spec, *range(100))
    assert ours == pytest.approx(_torch_lrs(make, 100, per_epoch), rel=1e-9, abs=1e-12)


def test_a_clock_needs_steps() -> None:
    with pytest.raises(ValueError, match="at least one step"):
        ScheduleClock(total_steps=0, steps_per_epoch=1)
