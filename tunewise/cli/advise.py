"""``tunewise advise [TEXT] [--json]``: the advisor on the command line.

Reads a TaskDescription JSON on stdin when no TEXT is given, else reads TEXT as a free-text
description (English or Chinese). Imports the advisor only: no torch, no service. ``--learned``
asks a running service over HTTP for the advice learned from your ended jobs.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import IO, Any

import click
from pydantic import SecretStr, ValidationError
from rich.console import Console, Group
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from advisor import Advice, Candidate, NormalisedTask, TaskDescription
from advisor import advise as run_advisor
from advisor.advice import Range
from tunewise.cli.advice_summary import limits_text, render_short

#: Exit status for input the advisor cannot use (as click uses for usage errors).
BAD_INPUT = 2
#: How many of the best candidates get their full config, ranges, groups and reasons shown.
DETAILED = 3
#: Longest echo of a refused value (a 5000-character description is not worth repeating).
MAX_SHOWN = 60
EXAMPLE = """echo '{"domain": "vision", "architecture": "resnet"}' | tunewise advise"""


class BadInput(click.ClickException):
    """Input the advisor cannot use; one line per problem, naming the field."""

    exit_code = BAD_INPUT

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems

    def show(self, file: IO[Any] | None = None) -> None:
        for problem in self.problems:
            click.echo(f"error: {problem}", err=True)


def _describe(error: Any) -> str:
    """One readable line for one pydantic error: the field, what is wrong, what was given."""
    where = ".".join(str(part) for part in error["loc"]) or "task"
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        fields = ", ".join(TaskDescription.model_fields)
        return f"{where}: not a task field; the fields are {fields}"
    if error["type"] == "json_invalid":
        return f"input is not valid JSON ({message.removeprefix('Invalid JSON: ')})"
    given = error.get("input")
    if given is None or isinstance(given, dict | list):
        return f"{where}: {message}"
    shown = repr(given)
    if len(shown) > MAX_SHOWN:
        shown = shown[: MAX_SHOWN - 1] + "…"
    return f"{where}: {message} (got {shown})"


def read_task(text: str | None, stdin: IO[str]) -> TaskDescription:
    """The task from TEXT, else from the JSON on stdin; BadInput when it cannot be used."""
    try:
        if text is not None:
            return TaskDescription(description=text)
        if stdin.isatty():
            raise BadInput([f"no task given: pass a description as TEXT, or pipe JSON: {EXAMPLE}"])
        raw = stdin.read()
        if not raw.strip():
            raise BadInput([f"stdin is empty: pipe a TaskDescription JSON, e.g. {EXAMPLE}"])
        return TaskDescription.model_validate_json(raw)
    except ValidationError as error:
        raise BadInput([_describe(e) for e in error.errors()]) from error


@click.command("advise")
@click.argument("text", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the Advice JSON only.")
@click.option(
    "--full",
    is_flag=True,
    help="Every family's config and ranges, every reason with its source, the nearest "
    "published recipes and the notes (the default is a short summary).",
)
@click.option(
    "--learned",
    is_flag=True,
    help="Ask the API (--api) for the advice learned from your similar ended jobs and show it "
    "beside the static advice, with every change and the job it came from.",
)
@click.option("--workload", default=None, help="With --learned: the workload a job would run.")
@click.option("--api", "api_url", envvar="TUNEWISE_API_URL", default="http://127.0.0.1:8000")
@click.option("--token", envvar="TUNEWISE_API_TOKEN", default=None, help="API token.")
@click.option(
    "--data-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="TUNEWISE_DATA_DIR",
    default=Path(".tunewise"),
    help="Where `tunewise serve` keeps its token (used when no token is given).",
)
def advise(
    text: str | None,
    as_json: bool,
    *,
    full: bool,
    learned: bool,
    workload: str | None,
    api_url: str,
    token: str | None,
    data_dir: Path,
) -> None:
    """Recommend optimizers, ranges and a schedule for a training task.

    TEXT is a free-text description in English or Chinese ("fine-tune BERT for sentiment");
    without TEXT, a TaskDescription JSON is read from stdin.
    """
    task = read_task(text, sys.stdin)
    if learned:
        comparison = fetch_learned(task, workload, api_url, token, data_dir)
        if as_json:
            click.echo(json.dumps(comparison, indent=2))
            return
        render_learned(comparison, Console(highlight=False))
        return
    result = run_advisor(task)
    if as_json:
        click.echo(result.model_dump_json(indent=2))
        return
    console = Console(highlight=False)
    if full:
        render(result, console)
    else:
        render_short(result, console)


def fetch_learned(
    task: TaskDescription, workload: str | None, api_url: str, token: str | None, data_dir: Path
) -> dict[str, Any]:
    """``POST /v1/advice?learned=true``: learning needs the service's record of your jobs."""
    import httpx  # only here: the plain advisor needs no HTTP

    from tunewise.sdk.client import default_token

    # The lookup every client command uses: --token, else the file `tunewise serve` wrote.
    secret = SecretStr(token) if token else default_token(data_dir)
    headers = {"Authorization": f"Bearer {secret.get_secret_value()}"} if secret else {}
    params: dict[str, str] = {"learned": "true"}
    if workload:
        params["workload"] = workload
    try:
        response = httpx.post(
            api_url.rstrip("/") + "/v1/advice",
            params=params,
            json=task.model_dump(mode="json", exclude_none=True),
            headers=headers,
            timeout=30.0,
        )
    except httpx.TransportError as exc:
        raise click.ClickException(
            f"cannot reach the API at {api_url} ({exc}); is `tunewise serve` running there?"
        ) from exc
    if response.status_code != 200:
        raise click.ClickException(
            f"the API answered {response.status_code}: {response.text[:300]}"
        )
    body: dict[str, Any] = response.json()
    return body


def render_learned(comparison: dict[str, Any], console: Console) -> None:
    static = Advice.model_validate(comparison["static"])
    learned = Advice.model_validate(comparison["learned"])
    table = Table(title="Static and learned family order", title_justify="left")
    for column in ("#", "static", "score", "learned", "score "):
        table.add_column(column, justify="right" if column.strip() in ("#", "score") else "left")
    for rank, (before, after) in enumerate(
        zip(static.candidates, learned.candidates, strict=True), start=1
    ):
        table.add_row(
            str(rank),
            before.optimizer.value,
            f"{before.score:.2f}",
            after.optimizer.value,
            f"{after.score:.2f}",
        )
    console.print(table)
    changes = comparison.get("changes", [])
    if not changes:
        console.print("No similar ended job of yours: the learned advice is the static advice.")
        return
    console.print(Text("Changes from the static advice:", style="bold"))
    for item in changes:
        console.print(Text.assemble(("  " + item["rule"], "cyan"), f"  {item['text']}"))
        console.print(Text(f"      {item['source']}", style="dim"))
    for warm in comparison.get("warm_starts", []):
        console.print(Text(f"  first trial: {warm['label']}", style="dim"))


# --- the readable view -----------------------------------------------------------------------


def _number(value: float) -> str:
    return f"{value:.4g}"


def _task_line(task: NormalisedTask) -> Text:
    line = Text("Task: ", style="bold")
    shown = task.model_dump(exclude={"inferred", "description"}, exclude_none=True, mode="json")
    for name, value in shown.items():
        if value in ((), []):
            continue
        origin = task.inferred.get(name)
        mark = f" ({origin.origin})" if origin else ""
        line.append(f"{name}={value}{mark}  ", style="dim" if origin else "")
    return line


def _ranking(result: Advice) -> Table:
    table = Table(title="Ranked optimizer families", title_justify="left")
    for column in ("#", "optimizer", "score", "lr", "schedule", "searched"):
        table.add_column(column, justify="right" if column in ("#", "score", "lr") else "left")
    portfolio = set(result.search.families)
    for rank, candidate in enumerate(result.candidates, start=1):
        name = candidate.optimizer.value + (" (newer)" if candidate.origin == "newer" else "")
        table.add_row(
            str(rank),
            name,
            f"{candidate.score:.2f}",
            _number(candidate.defaults.lr),
            candidate.schedule.name.value,
            "yes" if candidate.optimizer in portfolio else "",
        )
    return table


def _evidence(result: Advice) -> Table:
    """The published recipes most like the task: what they trained, with what, and where."""
    table = Table(title="Nearest published recipes", title_justify="left")
    table.add_column("similarity", justify="right")
    for column in ("recipe", "settings"):
        table.add_column(column)
    # Folded, never cut with an ellipsis: the address is there to be opened.
    table.add_column("source", overflow="fold")
    for recipe in result.evidence:
        citation = recipe.citation
        table.add_row(
            f"{recipe.similarity:.2f}",
            Text.assemble((recipe.id, "bold"), "\n", (recipe.task, "dim")),
            recipe.settings(),
            Text.assemble(citation.title, "\n", (citation.where, "dim"), "\n", citation.url),
        )
    return table


def _config_table(candidate: Candidate) -> Table:
    table = Table(show_header=True, box=None, pad_edge=False)
    for column in ("parameter", "default", "search range"):
        table.add_column(column)
    defaults = candidate.defaults.hyperparameters()
    for name in dict.fromkeys([*defaults, *candidate.search_space]):
        dimension = candidate.search_space.get(name)
        if isinstance(dimension, Range):
            searched = f"{_number(dimension.low)} … {_number(dimension.high)}" + (
                " (log)" if dimension.log else ""
            )
        else:
            searched = ", ".join(map(str, dimension.choices)) if dimension else "—"
        default = _number(defaults[name]) if name in defaults else "torch default"
        table.add_row(name, default, searched)
    return table


def _details(candidate: Candidate) -> Panel:
    schedule = candidate.schedule
    extras = candidate.defaults.model_dump(
        include={"grad_clip_norm", "backbone_lr_ratio", "sparse_optimizer", "sparse_lr"},
        exclude_none=True,
        mode="json",
    )
    parts: list[Any] = [
        _config_table(candidate),
        Text(f"schedule: {schedule.model_dump_json(exclude_defaults=True)}"),
    ]
    if extras:
        parts.append(Text("also: " + ", ".join(f"{k}={v}" for k, v in extras.items())))
    for group in candidate.param_groups:
        parts.append(Text(f"group {group.name}: {group.applies_to} → {group.settings}"))
    parts.append(Text("why:", style="bold"))
    for item in candidate.rationale:
        parts.append(Text.assemble(("  " + item.rule, "cyan"), f"  {item.text}"))
        parts.append(Text(f"      {item.source}", style="dim"))
    title = f"{candidate.optimizer.value}  score {candidate.score:.2f}"
    return Panel(Group(*parts), title=title, title_align="left")


def render(result: Advice, console: Console) -> None:
    """The full view (``--full``): every family, every reason with its source."""
    if result.default_answer:
        console.print(Panel(result.notes[0].text, title="Default answer", style="yellow"))
    console.print(_task_line(result.task))
    console.print(_ranking(result))
    if result.evidence:
        console.print(_evidence(result))
    for candidate in result.candidates[:DETAILED]:
        console.print(_details(candidate))
    search = result.search
    console.print(
        Text.assemble(
            ("Search plan: ", "bold"),
            f"{search.n_trials} trials, sampler {search.sampler}, pruner {search.pruner}; "
            f"families {', '.join(f.value for f in search.families)}; "
            f"tune {', '.join(search.tuned_params) or 'nothing'}",
        )
    )
    for item in search.rationale:
        console.print(Text.assemble(("  " + item.rule, "cyan"), f"  {item.text}"))
    limits = limits_text(result)
    if limits is not None:
        console.print(limits)
    notes = result.notes[1:] if result.default_answer else result.notes
    if notes:
        console.print(Text("Notes:", style="bold"))
    for note in notes:
        console.print(Text.assemble(("  • ", "bold"), note.text, (f"  [{note.source}]", "dim")))
