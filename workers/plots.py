"""PNG plots of an lr range test and of a family comparison (matplotlib, Agg backend)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.compare import FamilyRun
    from workers.lr_finder import LrFinderResult


def _pyplot() -> Any:
    import matplotlib

    matplotlib.use("Agg")  # files only: no display, and safe in worker processes
    import matplotlib.pyplot as plt

    return plt


def plot_lr_finder(result: LrFinderResult, path: Path) -> None:
    plt = _pyplot()
    lrs = [p.lr for p in result.curve]
    fig, ax = plt.subplots(figsize=(7, 4.5), dpi=120)
    ax.plot(lrs, [p.loss for p in result.curve], color="0.75", linewidth=1, label="loss")
    ax.plot(lrs, [p.smoothed for p in result.curve], color="C0", linewidth=2, label="smoothed")
    if result.suggested_lr is not None:
        ax.axvline(
            result.suggested_lr,
            color="C3",
            linestyle="--",
            label=f"suggested lr {result.suggested_lr:.2g}",
        )
    finite = [p.smoothed for p in result.curve if math.isfinite(p.smoothed)]
    if finite:
        # The exploding tail would flatten everything else; show up to a bit over the start.
        ax.set_ylim(min(finite) * 0.9, max(finite[0] * 1.5, min(finite) * 1.1))
    ax.set_xscale("log")
    ax.set_xlabel("learning rate")
    ax.set_ylabel("training loss")
    ax.set_title(f"LR range test: {result.workload}, {result.optimizer.value}")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend()
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)


def plot_comparison(runs: Sequence[FamilyRun], path: Path) -> None:
    """Training loss (left) and validation metric (right) per epoch, one line per family."""
    plt = _pyplot()
    fig, (loss_ax, metric_ax) = plt.subplots(1, 2, figsize=(12, 4.5), dpi=120)
    for run in runs:
        outcome = run.outcome
        label = f"{run.family.value} (lr {run.config.lr:.2g})"
        epochs = range(1, len(outcome.train_loss) + 1)
        loss_ax.plot(epochs, outcome.train_loss, marker="o", markersize=3, label=label)
        metric_ax.plot(
            [p.epoch for p in outcome.curve],
            [p.value for p in outcome.curve],
            marker="o",
            markersize=3,
            label=label,
        )
    if runs:
        first = runs[0].outcome
        loss_ax.set_title(f"{first.workload}: training loss")
        metric_ax.set_title(f"{first.workload}: validation {first.metric} ({first.direction})")
        metric_ax.set_ylabel(first.metric)
    loss_ax.set_xlabel("epoch")
    loss_ax.set_ylabel("mean training loss")
    loss_ax.set_yscale("log")
    metric_ax.set_xlabel("epoch")
    from matplotlib.ticker import MaxNLocator

    for ax in (loss_ax, metric_ax):
        ax.grid(True, alpha=0.3)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    loss_ax.legend(fontsize="small")
    fig.tight_layout()
    fig.savefig(path, format="png")
    plt.close(fig)
