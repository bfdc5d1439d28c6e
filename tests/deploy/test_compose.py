"""docker-compose.yml and the Dockerfile are correct without a Docker engine: the Compose file
validates against the Compose specification's JSON schema, and the properties the scale-out
story depends on hold (database not published, API on loopback only, secrets required, GPU
workers that can be scaled, commands the CLI really accepts)."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml

from tunewise.cli import cli

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
CHECK_JSONSCHEMA = Path(sys.executable).with_name("check-jsonschema")


def compose() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(COMPOSE.read_text())
    return data


def validate_against_compose_spec(path: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.compose-spec", str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_compose_file_matches_the_compose_specification() -> None:
    result = validate_against_compose_spec(COMPOSE)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_schema_check_rejects_a_broken_compose_file(tmp_path: Path) -> None:
    broken = tmp_path / "compose.yml"
    broken.write_text("services:\n  api:\n    ports: 8000\n    restart: sometimes\n")
    assert validate_against_compose_spec(broken).returncode != 0


def test_postgres_is_not_published_and_needs_a_password() -> None:
    postgres = compose()["services"]["postgres"]
    assert "ports" not in postgres
    password = postgres["environment"]["POSTGRES_PASSWORD"]
    assert re.fullmatch(r"\$\{POSTGRES_PASSWORD:\?.+\}", password)


def test_api_is_published_on_loopback_only_and_requires_its_secrets() -> None:
    api = compose()["services"]["api"]
    assert api["ports"] and all(str(p).startswith("127.0.0.1:") for p in api["ports"])
    env = api["environment"]
    assert env["TUNEWISE_API_TOKEN"].startswith("${TUNEWISE_API_TOKEN:?")
    assert env["TUNEWISE_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "${POSTGRES_PASSWORD:?" in env["TUNEWISE_DATABASE_URL"]
    assert api["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_worker_reserves_an_nvidia_gpu_and_can_be_scaled() -> None:
    worker = compose()["services"]["worker"]
    devices = worker["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}]
    # A fixed container name or published port would make `--scale worker=N` fail.
    assert "container_name" not in worker and "ports" not in worker
    assert worker["environment"]["TUNEWISE_API_TOKEN"].startswith("${TUNEWISE_API_TOKEN:?")


@pytest.mark.parametrize("service", ["api", "worker"])
def test_service_commands_are_ones_the_cli_accepts(service: str) -> None:
    command = compose()["services"][service]["command"]
    args = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
    assert args[0] == "tunewise"
    sub = cli.get_command(click.Context(cli), args[1])
    assert sub is not None, f"tunewise has no command {args[1]!r}"
    # Parsing (not running) the arguments proves every option exists and takes its value.
    sub.make_context(args[1], args[2:])


def dockerfile_instructions() -> list[tuple[str, str]]:
    text = DOCKERFILE.read_text().replace("\\\n", " ")
    rows = []
    for raw in text.splitlines():
        line = raw.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            rows.append((keyword.upper(), rest.strip()))
    return rows


def test_dockerfile_copies_only_files_that_exist_and_runs_as_a_user() -> None:
    rows = dockerfile_instructions()
    for keyword, rest in rows:
        if keyword == "COPY":
            *sources, _dest = rest.split()
            for source in sources:
                assert (ROOT / source).exists(), f"Dockerfile copies missing {source}"
    users = [rest for keyword, rest in rows if keyword == "USER"]
    assert users and users[-1] not in ("root", "0")


def test_dockerfile_default_command_is_the_served_api_with_a_health_check() -> None:
    rows = dict(dockerfile_instructions())
    assert "/healthz" in rows["HEALTHCHECK"]
    assert rows["CMD"].startswith('["tunewise", "serve"')


def test_image_installs_every_top_level_package_the_cli_needs() -> None:
    copied = {rest.split()[0] for keyword, rest in dockerfile_instructions() if keyword == "COPY"}
    assert {"advisor", "service", "workers", "migrations", "tunewise"} <= copied
