"""The PNGs: written, real PNG files, of a plausible size."""

from __future__ import annotations

from pathlib import Path

from advisor.config import TrainConfig
from advisor.families import OptimizerName
from workers.compare import FamilyRun
from workers.lr_finder import LrFinderResult, LrPoint
from workers.plots import plot_comparison, plot_lr_finder
from workers.runner import CurvePoint, TrialOutcome, TrialState

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def _is_png(path: Path) -> bool:
    return path.read_bytes()[:8] == PNG_MAGIC and path.stat().st_size > 10_000


def test_the_lr_finder_plot_is_a_png(tmp_path: Path) -> None:
    falling = [
        LrPoint(lr=10 ** (-7 + i / 10), loss=2.0 - i / 100, smoothed=2.0 - i / 100)
        for i in range(60)
    ]
    curve = (*falling, LrPoint(lr=1.0, loss=float("nan"), smoothed=float("nan")))
    result = LrFinderResult(
        workload="digits-cnn",
        optimizer=OptimizerName.ADAM,
        suggested_lr=1e-3,
        min_loss_lr=1e-2,
        curve=curve,
        stop_reason="loss became nan at lr 1",
        device="cpu",
        seconds=1.0,
    )
    path = tmp_path / "lr.png"
    plot_lr_finder(result, path)

    assert _is_png(path)


def test_the_comparison_plot_is_a_png(tmp_path: Path) -> None:
    def run(family: str, losses: tuple[float, ...], state: TrialState) -> FamilyRun:
        outcome = TrialOutcome(
            workload="tabular-mlp",
            state=state,
            value=None,
            metric="val_loss",
            direction="minimize",
            curve=tuple(CurvePoint(epoch=i + 1, value=v) for i, v in enumerate(losses)),
            train_loss=losses,
            reason=None,
            epochs_run=len(losses),
            steps_run=10,
            seconds=1.0,
            epoch_seconds=(0.5,) * len(losses),
            device="cpu",
            precision="fp32",
        )
        config = TrainConfig(optimizer=family, lr=0.01)
        return FamilyRun(
            family=OptimizerName(family), config=config, origin="built-in", outcome=outcome
        )

    path = tmp_path / "compare.png"
    plot_comparison(
        [run("sgd", (0.7, 0.5, 0.4), TrialState.COMPLETE), run("adam", (), TrialState.DIVERGED)],
        path,
    )

    assert _is_png(path)
