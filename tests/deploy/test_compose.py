"""docker-compose.yml and the Dockerfile are correct without a Docker engine: the Compose file
validates against the Compose specification's JSON schema, and the properties the scale-out
story depends on hold (database not published, API replicas that can be scaled behind one
proxy published on loopback only, secrets required, GPU workers that can be scaled and have
their own healthcheck, commands the CLI really accepts)."""

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
NGINX_CONF = ROOT / "deploy" / "nginx.conf"
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


def test_api_requires_its_secrets_and_publishes_no_host_port_so_it_can_be_scaled() -> None:
    api = compose()["services"]["api"]
    # `--scale api=2` fails when replicas ask for the same host port or container name.
    assert "ports" not in api and "container_name" not in api
    assert [str(p) for p in api["expose"]] == ["8000"]
    env = api["environment"]
    assert env["TUNEWISE_API_TOKEN"].startswith("${TUNEWISE_API_TOKEN:?")
    assert env["TUNEWISE_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "${POSTGRES_PASSWORD:?" in env["TUNEWISE_DATABASE_URL"]
    assert api["depends_on"]["postgres"]["condition"] == "service_healthy"


def nginx_conf() -> str:
    return re.sub(r"#.*", "", NGINX_CONF.read_text())


def proxy_port() -> int:
    """The port the proxy listens on inside its container (its config's ``listen``)."""
    (port,) = re.findall(r"\blisten\s+(\d+)\s*;", nginx_conf())
    return int(port)


def test_one_proxy_is_the_apis_address_published_on_loopback_only() -> None:
    proxy = compose()["services"]["proxy"]
    image, _, tag = proxy["image"].partition(":")
    assert image == "nginx"
    # `server ... resolve` is in open-source nginx from 1.27.3 on.
    version = tuple(int(part) for part in re.findall(r"\d+", tag)[:2])
    assert version >= (1, 28), proxy["image"]
    (published,) = proxy["ports"]
    host, host_port, container_port = str(published).split(":")
    assert (host, int(host_port), int(container_port)) == ("127.0.0.1", 8000, proxy_port())
    (mount,) = proxy["volumes"]
    source, target, mode = mount.split(":")
    assert (ROOT / source).resolve() == NGINX_CONF and mode == "ro"
    assert target.startswith("/etc/nginx/conf.d/") and target.endswith(".conf")
    assert proxy["depends_on"]["api"]["condition"] == "service_healthy"
    assert f"http://127.0.0.1:{proxy_port()}/healthz" in proxy["healthcheck"]["test"]


def test_the_proxy_spreads_requests_over_every_api_replica_and_follows_them() -> None:
    conf = nginx_conf()
    (upstream,) = re.findall(r"upstream\s+(\w+)\s*\{([^}]*)\}", conf)
    name, body = upstream
    api_port = int(compose()["services"]["api"]["expose"][0])
    # The service name resolves to every replica; `resolve` (with the group in a shared
    # zone) re-reads that list from Docker's DNS as replicas come and go.
    assert re.search(rf"\bserver\s+api:{api_port}\s+resolve\s*;", body)
    assert re.search(r"\bzone\s+\w+\s+\d+k\s*;", body)
    assert re.search(r"\bresolver\s+127\.0\.0\.11\b", conf)
    assert re.search(rf"\bproxy_pass\s+http://{name}\s*;", conf)
    # Never resend a POST that may have reached a replica (a lease must not be taken twice).
    assert "non_idempotent" not in conf


def test_worker_reserves_an_nvidia_gpu_and_can_be_scaled() -> None:
    worker = compose()["services"]["worker"]
    devices = worker["deploy"]["resources"]["reservations"]["devices"]
    assert devices == [{"driver": "nvidia", "count": 1, "capabilities": ["gpu"]}]
    # A fixed container name or published port would make `--scale worker=N` fail.
    assert "container_name" not in worker and "ports" not in worker
    assert worker["environment"]["TUNEWISE_API_TOKEN"].startswith("${TUNEWISE_API_TOKEN:?")


def worker_api_url(args: list[str]) -> str:
    return args[args.index("--api") + 1]


def test_worker_talks_to_the_proxy_and_has_a_healthcheck_of_its_own() -> None:
    worker = compose()["services"]["worker"]
    proxy_url = f"http://proxy:{proxy_port()}"
    assert worker_api_url(command_args("worker")) == proxy_url
    assert worker["depends_on"]["proxy"]["condition"] == "service_healthy"
    # Not the image's HEALTHCHECK (an API on 127.0.0.1 inside the worker's container): a
    # check of its own, through the proxy, with its token.
    test = worker["healthcheck"]["test"]
    assert test[0] == "CMD" and "/healthz" not in " ".join(test)
    assert test[1:3] == ["tunewise", "worker"] and "--check" in test
    assert worker_api_url(test[1:]) == proxy_url
    parse_cli(test[1:])


def command_args(service: str) -> list[str]:
    command = compose()["services"][service]["command"]
    return shlex.split(command) if isinstance(command, str) else [str(a) for a in command]


def parse_cli(args: list[str]) -> None:
    assert args[0] == "tunewise"
    sub = cli.get_command(click.Context(cli), args[1])
    assert sub is not None, f"tunewise has no command {args[1]!r}"
    # Parsing (not running) the arguments proves every option exists and takes its value.
    sub.make_context(args[1], args[2:])


@pytest.mark.parametrize("service", ["api", "worker"])
def test_service_commands_are_ones_the_cli_accepts(service: str) -> None:
    parse_cli(command_args(service))


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
