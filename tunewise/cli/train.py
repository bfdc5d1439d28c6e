"""``tunewise workloads``, ``train``, ``lr-find`` and ``compare``: the training harness by hand.

Mistakes in what was asked (an unknown workload, a bad config, a missing device) end with a
message and exit status 2, never a traceback. A run that diverges is a result, not an error:
it prints its outcome and exits 0. A run that fails (out of memory, a bug in a workload)
prints its outcome and exits 1.
"""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import click
from pydantic import ValidationError
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Column, Table

from advisor.config import ScheduleName, TrainConfig
from advisor.families import SEED_FAMILIES, OptimizerName
from workers.compare import FamilyRun, compare_families
from workers.defaults import FamilyDefaults
from workers.device import resolve_device
from workers.errors import HarnessError
from workers.lr_finder import SweepSettings, find_lr
from workers.runner import TrialOutcome, TrialState, run_trial
from workers.workloads import Workload, WorkloadRegistry

F = TypeVar("F", bound=Callable[..., Any])
FAMILIES = [f.value for f in OptimizerName]


class UsageProblem(click.ClickException):
    """What was asked cannot be run; exit status 2 like click's own usage errors."""

    exit_code = 2


@contextmanager
def _usage_errors() -> Iterator[None]:
    warnings.filterwarnings("ignore", message="Sparse invariant checks are implicitly disabled")
    try:
        yield
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'config'}: {e['msg']}" for e in exc.errors()
        )
        raise UsageProblem(f"invalid config: {problems}") from None
    except (HarnessError, ValueError) as exc:
        raise UsageProblem(str(exc)) from None


def _stderr() -> Console:
    return Console(stderr=True)


def _workload_options(func: F) -> F:
    for option in reversed(
        [
            click.option(
                "--workload", "-w", required=True, help="Workload name (see `tunewise workloads`)."
            ),
            click.option(
                "--device",
                default="auto",
                show_default=True,
                help="auto (CUDA when available), cpu, cuda or cuda:N.",
            ),
            click.option(
                "--seed",
                type=int,
                default=0,
                show_default=True,
                help="Seed of the model's initialisation and batch order.",
            ),
            click.option(
                "--size",
                type=click.IntRange(min=1),
                default=1,
                show_default=True,
                help="Workload scale: 1 trains an epoch in seconds on a CPU; raise it for a GPU.",
            ),
            click.option(
                "--json", "as_json", is_flag=True, help="Print the result as JSON on stdout."
            ),
        ]
    ):
        func = option(func)
    return func


def _workload(registry: WorkloadRegistry, name: str) -> Workload:
    for broken, why in registry.broken.items():
        _stderr().print(f"[yellow]warning:[/] workload {broken} left out: {why}")
    return registry.get(name)


def _print_json(payload: object) -> None:
    click.echo(json.dumps(payload, indent=2))


@click.command("workloads")
@click.option("--json", "as_json", is_flag=True, help="Print the workloads as JSON.")
def workloads(as_json: bool) -> None:
    """List the built-in and installed workloads."""
    with _usage_errors():
        registry = WorkloadRegistry.discover()
    specs = registry.specs()
    if as_json:
        _print_json([s.model_dump(mode="json") for s in specs])
    else:
        table = Table(
            Column("name", no_wrap=True),
            "domain",
            "architecture",
            Column("metric", no_wrap=True),
            "direction",
            "epochs",
            "batch",
        )
        for s in specs:
            table.add_row(
                s.name,
                s.domain.value,
                s.architecture.value,
                s.metric,
                s.direction,
                str(s.default_epochs),
                str(s.default_batch_size),
            )
        Console().print(table)
    for name, why in registry.broken.items():
        _stderr().print(f"[yellow]warning:[/] workload {name} left out: {why}")


class _ProgressReporter:
    """Moves a rich progress bar per epoch; never prunes or stops."""

    def __init__(self, progress: Progress, task: Any, label: str, metric: str) -> None:
        self._progress, self._task, self._label, self._metric = progress, task, label, metric

    def report(self, epoch: int, value: float) -> bool:
        self._progress.update(
            self._task, advance=1, description=f"{self._label} {self._metric} {value:.4g}"
        )
        return False

    def heartbeat(self) -> None:
        self._progress.refresh()

    def should_stop(self) -> bool:
        return False


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("epochs"),
        TimeElapsedColumn(),
        console=_stderr(),
    )


def _config_from_flags(
    workload: Workload, config_json: str | None, optimizer: str | None, overrides: dict[str, Any]
) -> tuple[TrainConfig, str]:
    given = {k: v for k, v in overrides.items() if v is not None}
    if config_json is not None:
        if optimizer is not None or given:
            raise UsageProblem("give either --config or --optimizer with its values, not both")
        text = Path(config_json[1:]).read_text() if config_json.startswith("@") else config_json
        return TrainConfig.model_validate_json(text), "given"
    if optimizer is None:
        raise UsageProblem(
            "give --config JSON (or @file), or --optimizer with any values to change"
        )
    schedule = {
        field: given.pop(flag)
        for flag, field in (("schedule", "name"), ("warmup_fraction", "warmup_fraction"))
        if flag in given
    }
    if schedule:
        given["schedule"] = schedule
    config, origin = FamilyDefaults.ask(workload.spec).with_overrides(
        OptimizerName(optimizer), given
    )
    return config, origin


def _exit_for(outcome: TrialOutcome) -> None:
    if outcome.state is TrialState.FAILED:
        raise SystemExit(1)


@click.command("train")
@_workload_options
@click.option(
    "--config", "config_json", metavar="JSON", help="A full TrainConfig as JSON, or @file."
)
@click.option(
    "--optimizer",
    type=click.Choice(FAMILIES),
    help="Family; values not given come from the advisor's defaults.",
)
@click.option("--lr", type=float)
@click.option("--momentum", type=float)
@click.option("--weight-decay", type=float)
@click.option("--beta1", type=float)
@click.option("--beta2", type=float)
@click.option("--eps", type=float)
@click.option("--alpha", type=float, help="RMSProp's smoothing constant.")
@click.option("--dampening", type=float, help="Momentum's dampening.")
@click.option("--initial-accumulator-value", type=float, help="Adagrad's starting accumulator.")
@click.option("--schedule", type=click.Choice([s.value for s in ScheduleName]))
@click.option("--warmup-fraction", type=float)
@click.option("--grad-clip-norm", type=float)
@click.option("--batch-size", type=int)
@click.option("--epochs", type=click.IntRange(min=1), help="Default: the workload's.")
def train(
    *,
    workload: str,
    device: str,
    seed: int,
    size: int,
    as_json: bool,
    config_json: str | None,
    optimizer: str | None,
    epochs: int | None,
    **overrides: Any,
) -> None:
    """Train one workload once with one config, with a progress bar on stderr."""
    with _usage_errors():
        resolve_device(device)  # refused before any progress is drawn
        chosen = _workload(WorkloadRegistry.discover(), workload)
        config, origin = _config_from_flags(chosen, config_json, optimizer, overrides)
        epochs = epochs or chosen.spec.default_epochs
        with _progress() as progress:
            task = progress.add_task(chosen.spec.name, total=epochs)
            reporter = _ProgressReporter(progress, task, chosen.spec.name, chosen.spec.metric)
            outcome = run_trial(
                chosen,
                config,
                max_epochs=epochs,
                device=device,
                seed=seed,
                size=size,
                reporter=reporter,
            )
    if as_json:
        _print_json(
            outcome.model_dump(mode="json")
            | {"config": config.model_dump(mode="json", exclude_none=True), "config_origin": origin}
        )
    else:
        value = "-" if outcome.value is None else f"{outcome.value:.4g}"
        click.echo(
            f"{outcome.state.value}: {outcome.metric} {value} after {outcome.epochs_run} epoch(s) "
            f"on {outcome.device} in {outcome.seconds:.1f}s"
            + (f" ({outcome.reason})" if outcome.reason else "")
        )
        click.echo(f"config ({origin}): {config.model_dump_json(exclude_none=True)}")
    _exit_for(outcome)


@click.command("lr-find")
@_workload_options
@click.option("--optimizer", type=click.Choice(FAMILIES), required=True)
@click.option("--start-lr", type=float, default=1e-7, show_default=True)
@click.option("--end-lr", type=float, default=10.0, show_default=True)
@click.option("--steps", type=int, default=100, show_default=True)
@click.option(
    "--plot", type=click.Path(dir_okay=False, path_type=Path), help="Write the curve as a PNG."
)
def lr_find(
    *,
    workload: str,
    device: str,
    seed: int,
    size: int,
    as_json: bool,
    optimizer: str,
    start_lr: float,
    end_lr: float,
    steps: int,
    plot: Path | None,
) -> None:
    """Run the learning-rate range test on a workload and suggest an lr."""
    with _usage_errors():
        chosen = _workload(WorkloadRegistry.discover(), workload)
        config, _ = FamilyDefaults.ask(chosen.spec).config(OptimizerName(optimizer))
        sweep = SweepSettings(start_lr=start_lr, end_lr=end_lr, steps=steps)
        with _stderr().status(f"sweeping lr on {chosen.spec.name}"):
            result = find_lr(chosen, config, sweep=sweep, device=device, seed=seed, size=size)
    if plot is not None:
        from workers.plots import plot_lr_finder

        plot_lr_finder(result, plot)
    if as_json:
        _print_json(result.model_dump(mode="json"))
        return
    suggested = (
        "none (the loss never fell)"
        if result.suggested_lr is None
        else f"{result.suggested_lr:.3g}"
    )
    click.echo(
        f"suggested lr: {suggested}; lowest loss at lr {result.min_loss_lr:.3g}; "
        f"{len(result.curve)} steps, {result.stop_reason}"
    )
    if plot is not None:
        click.echo(f"plot: {plot}")


@click.command("compare")
@_workload_options
@click.option("--epochs", type=click.IntRange(min=1), help="Default: the workload's.")
@click.option(
    "--families",
    default=",".join(f.value for f in SEED_FAMILIES),
    show_default=True,
    help="Comma-separated families to compare.",
)
@click.option(
    "--plot",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the loss curves as a PNG.",
)
def compare(
    *,
    workload: str,
    device: str,
    seed: int,
    size: int,
    as_json: bool,
    epochs: int | None,
    families: str,
    plot: Path | None,
) -> None:
    """Train a workload with each seed family at its defaults and compare."""
    with _usage_errors():
        resolve_device(device)
        chosen = _workload(WorkloadRegistry.discover(), workload)
        picked = [OptimizerName(f.strip()) for f in families.split(",") if f.strip()]
        epochs = epochs or chosen.spec.default_epochs
        with _progress() as progress:

            def reporter_for(family: OptimizerName) -> _ProgressReporter:
                task = progress.add_task(family.value, total=epochs)
                return _ProgressReporter(progress, task, family.value, chosen.spec.metric)

            runs = compare_families(
                chosen,
                epochs=epochs,
                families=picked,
                device=device,
                seed=seed,
                size=size,
                reporter_for=reporter_for,
            )
    if plot is not None:
        from workers.plots import plot_comparison

        plot_comparison(runs, plot)
    if as_json:
        _print_json([r.model_dump(mode="json") for r in runs])
    else:
        Console().print(_comparison_table(runs))


def _comparison_table(runs: tuple[FamilyRun, ...]) -> Table:
    first = runs[0].outcome if runs else None
    metric = f"{first.metric} ({first.direction})" if first else "metric"
    table = Table(
        "family", "defaults from", "lr", "state", f"final {metric}", "final train loss", "seconds"
    )
    for run in runs:
        o = run.outcome
        table.add_row(
            run.family.value,
            run.origin,
            f"{run.config.lr:.3g}",
            o.state.value,
            "-" if o.value is None else f"{o.value:.4g}",
            f"{o.train_loss[-1]:.4g}" if o.train_loss else "-",
            f"{o.seconds:.1f}",
        )
    return table
