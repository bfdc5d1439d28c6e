"""The embedded default: ``tunewise serve`` alone gives the API, a SQLite file, a token file
only its owner can read, and a local worker that trains over loopback HTTP; ``tunewise submit
--follow`` then ends with the best config. Stopping serve stops its worker too."""

from __future__ import annotations

import json
import signal
import stat
from pathlib import Path

from tests.integration.conftest import ClusterFactory
from tunewise.testing.processes import wait_for


def running_commands_mentioning(text: str) -> list[str]:
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            command = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:
            continue
        if text in command and "pytest" not in command:
            found.append(command)
    return found


def test_serve_runs_a_local_worker_and_submit_follow_ends_with_the_best_config(
    cluster_factory: ClusterFactory, tmp_path: Path
) -> None:
    cluster = cluster_factory(token_in_environment=False)
    api = cluster.start_api(workers=None)  # the default: one CPU worker on this machine
    token_file = cluster.data_dir / "token"
    assert stat.S_IMODE(token_file.stat().st_mode) == 0o600
    assert str(token_file.resolve()) in api.log()
    assert (cluster.data_dir / "tunewise.db").exists()
    assert cluster.api_url is not None
    wait_for(lambda: " leasing " in api.log(), 180, "serve's local worker to lease")

    job = tmp_path / "job.json"
    job.write_text(
        json.dumps(
            {
                "task": {"domain": "tabular", "architecture": "mlp"},
                "workload": "tw-instant",
                "objective": {"metric": "mse", "direction": "minimize"},
                "budget": {"n_trials": 3, "max_epochs": 2},
            }
        )
    )
    args = ["--api", cluster.api_url, "--data-dir", str(cluster.data_dir)]
    followed = cluster.run("submit", str(job), "--follow", "--poll", "0.3", *args)
    assert followed.returncode == 0, followed.stdout + followed.stderr
    assert "completed: budget reached: 3 finished trials" in followed.stdout
    assert "optimizer = torch.optim." in followed.stdout
    listed = cluster.run("jobs", "--json", *args)
    (only,) = json.loads(listed.stdout)["items"]
    assert only["progress"]["finished"] == 3

    assert running_commands_mentioning(f"worker --api {cluster.api_url}")
    api.signal(signal.SIGTERM)
    assert api.wait() == 0
    wait_for(
        lambda: not running_commands_mentioning(f"worker --api {cluster.api_url}"),
        30,
        "the local worker to stop with serve",
    )
