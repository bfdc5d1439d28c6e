"""``tunewise serve``: refuses a public bind without auth, tells where the token is without
printing it, answers on the URL it announces, and stops cleanly on SIGTERM."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import httpx
from click.testing import CliRunner

from service.settings import ServiceSettings
from tunewise.cli import cli


def test_serve_refuses_a_public_bind_without_auth(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        cli, ["serve", "--host", "0.0.0.0", "--no-auth", "--data-dir", str(tmp_path)]
    )
    assert result.exit_code == 2
    assert "refusing to serve on 0.0.0.0 with auth off" in result.output
    assert not (tmp_path / "tunewise.db").exists(), "nothing is opened before the check"


def test_loopback_hosts_are_recognised() -> None:
    for host, loopback in [
        ("127.0.0.1", True),
        ("::1", True),
        ("localhost", True),
        ("0.0.0.0", False),
        ("10.1.2.3", False),
        ("example.org", False),
    ]:
        assert ServiceSettings(host=host).binds_loopback_only is loopback, host


def test_serve_answers_then_stops_cleanly_on_sigterm(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("TUNEWISE_")}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "tunewise",
            "serve",
            "--port",
            "0",
            "--workers",
            "0",
            "--data-dir",
            str(tmp_path),
            "--log-level",
            "warning",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    assert process.stdout is not None
    lines = []
    try:
        for line in process.stdout:
            lines.append(line)
            if "tunewise API on" in line:
                break
        match = re.search(r"tunewise API on (http://\S+)", "".join(lines))
        assert match, "".join(lines)
        url = match.group(1)
        token = (tmp_path / "token").read_text().strip()
        assert token not in "".join(lines), "the secret goes to the file, not the output"

        assert httpx.get(f"{url}/healthz").status_code == 200
        headers = {"Authorization": f"Bearer {token}"}
        assert httpx.get(f"{url}/v1/jobs", headers=headers).status_code == 200
        assert httpx.get(f"{url}/v1/jobs").status_code == 401

        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
