"""``make run`` passes the port and host a person picks on to ``tunewise serve``, as options the
command really accepts; left unset, serve's own defaults (and TUNEWISE_* variables) apply. And
``make install`` installs the torch the README says, when it says."""

from __future__ import annotations

import re
import shlex
import subprocess
import tomllib
from pathlib import Path

import click
from packaging.requirements import Requirement

from tunewise.cli import cli

ROOT = Path(__file__).resolve().parents[2]


def dry_run_line(marker: str, *arguments: str) -> str:
    """The one line holding ``marker`` that ``make -n ARGUMENTS`` prints (nothing runs)."""
    printed = subprocess.run(
        ["make", "--no-print-directory", "-n", *arguments],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    lines = [line for line in printed.splitlines() if marker in line]
    assert len(lines) == 1, printed
    return lines[0]


def serve_command(*variables: str) -> list[str]:
    """The ``tunewise serve`` line ``make run`` would run."""
    words = shlex.split(dry_run_line("tunewise serve", "run", *variables))
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


def torch_install(*variables: str) -> tuple[str, list[str]]:
    """The torch step of ``make install`` in a new venv: the guard before ``||`` and the pip
    command after it."""
    line = dry_run_line("import torch", "-B", "install", "VENV=/nonexistent/venv", *variables)
    guard, install = line.split("||")
    return guard, shlex.split(install)


def test_the_readme_says_which_torch_make_install_installs_and_when() -> None:
    readme = (ROOT / "README.md").read_text()
    guard, install = torch_install()
    assert 'python -c "import torch"' in guard  # only when the venv has no torch yet
    spec = install[-1]
    assert install[-5:-1] == ["-m", "pip", "install", "-q"]  # no index of its own: pip's config
    assert f'runs `pip install "{spec}"` (the Makefile\'s `TORCH_SPEC`)' in readme
    # The README's recipe for the CPU build installs that same version, which tunewise's own
    # torch range (quoted there) then keeps.
    version = spec.removeprefix("torch==")
    assert (
        f"pip install torch=={version} --index-url https://download.pytorch.org/whl/cpu" in readme
    )
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    declared = next(d for d in project["dependencies"] if Requirement(d).name == "torch")
    assert Requirement(declared).specifier.contains(version)
    assert f"whose range (`{declared}`)" in readme
    # TORCH_SPEC is what the README says it is, and the image installs the same default.
    assert torch_install("TORCH_SPEC=torch==2.14.1")[1][-1] == "torch==2.14.1"
    dockerfile = (ROOT / "Dockerfile").read_text()
    assert re.search(r'^ARG TORCH_SPEC="(.+)"$', dockerfile, re.M)[1] == spec  # type: ignore[index]
