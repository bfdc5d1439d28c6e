"""``tunewise submit`` and ``tunewise jobs``: create tuning jobs, follow them, read the best
config as PyTorch code. Plain HTTP through the workers' client: no torch, no database."""

from __future__ import annotations

import json
import re
import sys
import threading
import time
from functools import partial
from pathlib import Path
from typing import IO, TypeVar

import click
from pydantic import ValidationError
from rich import box
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from advisor.snippet import pytorch_snippet
from tunewise.cli.connection import api_options, connect
from tunewise.cli.dims import HELP as DIM_HELP
from tunewise.cli.dims import with_dims
from tunewise.wire.client import ServiceClient
from tunewise.wire.models import MAX_OBJECTIVES, Job, JobCreate, JobState, ParetoFront, TrialState
from workers.agent.backoff import Backoff, Retrier

T = TypeVar("T")


def _read_job(
    source: IO[str], objectives: tuple[str, ...] = (), constraints: tuple[str, ...] = ()
) -> JobCreate:
    """The job file, with ``--objective`` replacing its objective(s) and ``--constraint``
    adding to its constraints."""
    text = source.read()
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise click.UsageError(f"{source.name} is not JSON: {exc}") from exc
    if isinstance(data, dict) and objectives:
        data.pop("objective", None)
        data["objectives"] = [_objective(o) for o in objectives]
    if isinstance(data, dict) and constraints:
        data["constraints"] = [*data.get("constraints", []), *map(_constraint, constraints)]
    try:
        return JobCreate.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc']) or 'job'}: {e['msg']}" for e in exc.errors()
        )
        raise click.UsageError(f"{source.name} is not a valid job: {problems}") from exc


_BOUND = re.compile(r"^\s*([A-Za-z0-9_.:\-]+)\s*(<=|>=)\s*([-+0-9.eE]+)\s*$")


def _objective(text: str) -> dict[str, str]:
    metric, _, direction = text.partition(":")
    direction = direction or "minimize"
    if not metric or direction not in ("minimize", "maximize"):
        raise click.BadParameter(
            f"{text!r}: give metric:direction, direction minimize or maximize "
            "(e.g. val_loss:minimize)",
            param_hint="--objective",
        )
    return {"metric": metric, "direction": direction}


def _constraint(text: str) -> dict[str, str | float]:
    found = _BOUND.match(text)
    try:
        bound = float(found.group(3)) if found else None
    except ValueError:
        bound = None
    if found is None or bound is None:
        raise click.BadParameter(
            f"{text!r}: give metric<=number or metric>=number (e.g. 'train_seconds<=60')",
            param_hint="--constraint",
        )
    return {"metric": found.group(1), "max" if found.group(2) == "<=" else "min": bound}


@click.command("submit", help="Submit a tuning job (a JobCreate JSON file, or - for stdin).")
@click.argument("job_file", type=click.File("r"), metavar="FILE|-")
@click.option(
    "--objective",
    "objectives",
    multiple=True,
    metavar="METRIC:DIRECTION",
    help="An objective (repeat for up to 3, e.g. --objective val_loss:minimize "
    "--objective train_seconds:minimize); replaces the file's objective(s).",
)
@click.option(
    "--constraint",
    "constraints",
    multiple=True,
    metavar="'METRIC<=N'|'METRIC>=N'",
    help="A bound a trial must meet to count (repeatable), e.g. 'train_seconds<=60'.",
)
@click.option("--follow", is_flag=True, help="Show progress until the job ends, then the best.")
@click.option("--json", "as_json", is_flag=True, help="Print the Job JSON only.")
@click.option("--dim", "dims", multiple=True, metavar="NAME=SPEC", help=DIM_HELP)
@click.option(
    "--poll",
    type=click.FloatRange(min=0.1),
    default=1.0,
    show_default=True,
    help="Seconds between progress updates with --follow.",
)
@api_options
def submit(
    *,
    job_file: IO[str],
    objectives: tuple[str, ...],
    constraints: tuple[str, ...],
    follow: bool,
    as_json: bool,
    dims: tuple[str, ...],
    poll: float,
    api_url: str,
    token: str | None,
    data_dir: Path,
) -> None:
    if len(objectives) > MAX_OBJECTIVES:
        raise click.BadParameter(
            f"at most {MAX_OBJECTIVES} objectives, got {len(objectives)}",
            param_hint="--objective",
        )
    spec = with_dims(_read_job(job_file, objectives, constraints), dims)
    console = Console(stderr=as_json)
    with connect(api_url, token, data_dir) as client:
        job = client.create_job(spec)
        if not as_json:
            console.print(_created_line(job), soft_wrap=True, markup=False)
        if follow:
            job = _follow(client, job, console, poll)
    if as_json:
        click.echo(job.model_dump_json(indent=2))
    elif follow:
        _print_result(job, console)
    else:
        console.print(f"follow it with `tunewise jobs {job.id}`")
    if follow and job.state is JobState.FAILED:
        sys.exit(1)


@click.command("jobs", help="List tuning jobs, or show one (with its best config) by id.")
@click.argument("job_id", required=False)
@click.option("--state", type=click.Choice([s.value for s in JobState]), default=None)
@click.option("--limit", type=click.IntRange(1, 500), default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Print JSON only.")
@api_options
def jobs(
    *,
    job_id: str | None,
    state: str | None,
    limit: int,
    as_json: bool,
    api_url: str,
    token: str | None,
    data_dir: Path,
) -> None:
    console = Console()
    with connect(api_url, token, data_dir) as client:
        if job_id is not None:
            job = client.job(job_id)
            if as_json:
                click.echo(job.model_dump_json(indent=2))
            else:
                front = client.pareto(job_id) if len(job.objectives) > 1 else None
                _print_result(job, console, front)
            return
        page = client.jobs(limit=limit, state=JobState(state) if state else None)
    if as_json:
        click.echo(page.model_dump_json(indent=2))
        return
    if not page.items:
        console.print("no jobs yet: `tunewise submit examples/tabular-mlp.json --follow`")
        return
    print_jobs_table(console, page.items, page.total)


def _created_line(job: Job) -> str:
    families = ", ".join(f.value for f in job.families)
    runs = f"workload {job.workload}" if job.workload else "your own training loop"
    return (
        f"job {job.id} ({job.name}): {job.progress.n_trials} trials on {runs}, "
        f"searching {families} with {job.sampler}/{job.pruner}"
    )


def _best_text(job: Job) -> str:
    if job.best is None:
        return "–"
    return f"{job.best.value:.4g} {job.best.params.optimizer.value} #{job.best.number}"


def _follow(client: ServiceClient, job: Job, console: Console, poll_s: float) -> Job:
    """Polls the job until it ends; the API may restart meanwhile (the wait says so)."""
    retrier = Retrier(
        Backoff(initial=poll_s, maximum=max(poll_s, 10.0)),
        threading.Event(),
        _StatusLog(console),
    )
    columns = (
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("best {task.fields[best]}"),
        TextColumn("now {task.fields[family]}"),
        TimeElapsedColumn(),
    )
    try:
        with Progress(*columns, console=console, transient=False) as progress:
            task = progress.add_task(
                job.objective.metric, total=job.progress.n_trials, best="–", family="–"
            )
            job_id = job.id
            while True:
                running = retrier.call(
                    "follow the job", lambda: client.trials(job_id, state=TrialState.RUNNING)
                )
                families = sorted({t.params.optimizer.value for t in running.items})
                progress.update(
                    task,
                    completed=job.progress.finished,
                    total=job.progress.n_trials,
                    best=_best_text(job),
                    family=", ".join(families) or "–",
                )
                if not job.state.is_open:
                    return job
                time.sleep(poll_s)
                job = retrier.call("follow the job", lambda: client.job(job_id))
    except KeyboardInterrupt:
        console.print(f"stopped following; the job goes on (`tunewise jobs {job.id}`)")
        sys.exit(130)


class _StatusLog:
    """The retrier's log, shown on the console while following."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def warning(self, message: str, *args: object) -> None:
        self._console.print(f"[yellow]{message % args}")


def _print_result(job: Job, console: Console, front: ParetoFront | None = None) -> None:
    p = job.progress
    # Plain lines, never folded at the console's width: they are read, copied and grepped.
    say = partial(console.print, soft_wrap=True, markup=False, highlight=False)
    say(
        f"job {job.id} {job.state.value}"
        + (f": {job.ended_reason}" if job.ended_reason else "")
        + f"\n  trials: {p.finished}/{p.n_trials} finished ({p.complete} complete, "
        f"{p.pruned} pruned), {p.failed} failed, {p.running} running"
    )
    if len(job.objectives) > 1 or job.constraints:
        named = ", ".join(f"{o.metric} ({o.direction})" for o in job.objectives)
        bounds = ", ".join(c.describe() for c in job.constraints)
        say(f"  objectives: {named}" + (f"; constraints: {bounds}" if bounds else ""))
    if front is not None:
        say(
            f"  front: {len(front.trials)} trials "
            f"(`GET /v1/jobs/{job.id}/pareto`; best below is by {job.objectives[0].metric})"
        )
    if job.best is None:
        say("  no complete trial yet")
        return
    best = job.best
    several = len(job.objectives) > 1 or bool(job.constraints)
    others = ", ".join(
        f"{m} = {v:.6g}"
        for m, v in (best.values or {}).items()
        if several and m != job.objective.metric
    )
    say(
        f"  best: {job.objective.metric} = {best.value:.6g} ({job.objective.direction}), "
        f"trial #{best.number}, {best.params.optimizer.value}" + (f"; {others}" if others else "")
    )
    config = best.params.model_dump(mode="json", exclude_none=True)
    say("\nready config (`tunewise train --config`):")
    say(json.dumps(config))
    heading = f"Best of tunewise job {job.id}: {job.objective.metric} {best.value:.6g}"
    say("\nin PyTorch:")
    snippet = pytorch_snippet(best.params, heading=heading)
    if console.is_terminal:
        console.print(Syntax(snippet, "python", theme="ansi_dark", word_wrap=True))
    else:  # piped or redirected: the code exactly, never cropped to a width
        say(snippet)


#: Cells a person copies or acts on: never cut, whatever the terminal's width.
_WHOLE_COLUMNS = ("id", "state", "trials", "created")
#: Cells that give way, with an ellipsis, when the terminal is narrow.
_SHORTENED_COLUMNS = ("name", "workload", "best")
#: Below this width the creation time leaves out its year.
_WIDE_ENOUGH_FOR_YEAR = 100


def print_jobs_table(console: Console, items: tuple[Job, ...], total: int) -> None:
    console.print(_jobs_table(items, total, console.width))


def _jobs_table(items: tuple[Job, ...], total: int, width: int) -> Table:
    created_format = "%Y-%m-%d %H:%M" if width >= _WIDE_ENOUGH_FOR_YEAR else "%m-%d %H:%M"
    rows = [
        {
            "id": job.id,
            "name": job.name,
            "state": job.state.value,
            "workload": job.workload or "(own loop)",
            "trials": f"{job.progress.finished}/{job.progress.n_trials}",
            "best": _best_text(job),
            "created": f"{job.created_at:{created_format}}",
        }
        for job in items
    ]
    columns = ("id", "name", "state", "workload", "trials", "best", "created")
    natural = {c: max([len(c)] + [len(row[c]) for row in rows]) for c in columns}
    # A rule under the header only: one divider between columns, one space of padding inside.
    frame = (len(columns) - 1) + 2 * len(columns) - 2
    room = width - frame - sum(natural[c] for c in _WHOLE_COLUMNS)
    widths = {**natural, **_share(room, {c: natural[c] for c in _SHORTENED_COLUMNS})}
    table = Table(
        title=f"{len(items)} of {total} jobs, newest first (trials: finished/budget)",
        box=box.SIMPLE_HEAD,
        show_edge=False,
        pad_edge=False,
    )
    for column in columns:
        table.add_column(column, no_wrap=True, width=widths[column], overflow="ellipsis")
    for row in rows:
        table.add_row(*(Text(row[c], no_wrap=True, overflow="ellipsis") for c in columns))
    return table


def _share(room: int, wanted: dict[str, int]) -> dict[str, int]:
    """Splits ``room`` characters among columns: each gets what it needs up to an even share,
    and what a short one leaves over goes to the longer ones (at least 1 each)."""
    given: dict[str, int] = {}
    for position, (column, need) in enumerate(sorted(wanted.items(), key=lambda kv: kv[1])):
        share = max(room, 0) // (len(wanted) - position)
        given[column] = max(1, min(need, share))
        room -= given[column]
    return given
