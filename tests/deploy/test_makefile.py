"""``make run`` passes the port and host a person picks on to ``tunewise serve``, as options the
command really accepts; left unset, serve's own defaults (and TUNEWISE_* variables) apply."""

from __future__ import annotations

import shlex
import subprocess
from pathlib import Path

import click

from tunewise.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def serve_command(*variables: str) -> list[str]:
    """The ``tunewise serve`` line ``make run`` would run (a dry run: nothing installs)."""
    printed = subprocess.run(
        ["make", "--no-print-directory", "-n", "run", *variables],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [line for line in printed.splitlines() if "tunewise serve" in line]
    assert len(lines) == 1, printed
    words = shlex.split(lines[0])
    return words[words.index("serve") + 1 :]


def test_make_run_passes_the_chosen_port_and_host_to_serve() -> None:
    args = serve_command("PORT=8123", "HOST=127.0.0.1")
    assert args[args.index("--port") + 1] == "8123"
    assert args[args.index("--host") + 1] == "127.0.0.1"
    serve = cli.get_command(click.Context(cli), "serve")
    assert serve is not None
    parsed = serve.make_context("serve", args).params
    assert parsed["port"] == 8123 and parsed["host"] == "127.0.0.1"


def test_make_run_without_port_or_host_leaves_them_to_serve() -> None:
    args = serve_command()
    assert "--port" not in args and "--host" not in args
