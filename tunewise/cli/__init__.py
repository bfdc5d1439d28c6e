"""The ``tunewise`` command. Subcommands load their layer only when run, so ``tunewise advise``
never imports torch and ``tunewise serve`` never imports the training harness."""

from __future__ import annotations

import importlib
from typing import Any

import click

from tunewise import __version__

#: command name → "module:attribute" of a click.Command, imported on first use.
COMMANDS: dict[str, str] = {
    "advise": "tunewise.cli.advise:advise",
    "workloads": "tunewise.cli.train:workloads",
    "train": "tunewise.cli.train:train",
    "lr-find": "tunewise.cli.train:lr_find",
    "compare": "tunewise.cli.train:compare",
    "serve": "tunewise.cli.serve:serve",
    "token": "tunewise.cli.serve:token",
    "worker": "tunewise.cli.worker:worker",
    "submit": "tunewise.cli.jobs:submit",
    "jobs": "tunewise.cli.jobs:jobs",
    "cancel": "tunewise.cli.cancel:cancel",
    "recommendations": "tunewise.cli.recommendations:recommendations",
}

HELP = {
    "advise": "Recommend optimizers, ranges and a schedule for a task (text or JSON).",
    "workloads": "List the built-in and installed workloads.",
    "train": "Train one workload once with one config.",
    "lr-find": "Run the learning-rate range test on a workload.",
    "compare": "Train a workload with each seed family at its defaults and compare.",
    "serve": "Start the API (and local workers).",
    "token": "Manage API tokens.",
    "worker": "Lease trials from an API and train them.",
    "submit": "Submit a tuning job (JobCreate JSON).",
    "jobs": "List tuning jobs.",
    "cancel": "Cancel a tuning job (running trials may still finish).",
    "recommendations": "Best-known configs for a kind of task (your jobs, then the advisor).",
}


class LazyGroup(click.Group):
    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = COMMANDS.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            return _not_built(cmd_name)
        command: click.Command = getattr(module, attr)
        return command

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # Listing help must not import every layer (torch takes seconds).
        rows = [(name, HELP.get(name, "")) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


def _not_built(name: str) -> click.Command:
    @click.command(name=name, help=f"{HELP.get(name, '')} (not built yet)")
    def stub() -> None:
        raise click.ClickException(f"'tunewise {name}' is not built yet in this version.")

    return stub


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="tunewise")
def cli() -> None:
    """tunewise: tune PyTorch training with an optimizer advisor that cites its rules."""


def main(argv: list[str] | None = None) -> Any:
    return cli.main(args=argv, prog_name="tunewise")
