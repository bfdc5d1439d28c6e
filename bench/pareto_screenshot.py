"""Regenerates docs/images/pareto.png (the Pareto page at 1280 wide) from a real
multi-objective job, and is where the Pareto page's browser test gets its job.

    .venv/bin/python bench/pareto_screenshot.py [--out docs/images/pareto.png]

A real server on a loopback port; a job with two objectives (val_loss and train_seconds,
both lower is better) and a limit on peak_memory_mb, created over HTTP; a client with its
own training loop leases each trial and completes it with ``values``, from a smooth
synthetic trade-off (``trade_off``: a larger batch, which the service searches when time is
an objective, is faster but ends worse; an lr near 1e-3 is best; Adam's two moment buffers
cost the most memory), so the job has a front of several trials and a few that break the
memory limit. Then headless Chromium signs in and
photographs the job's Pareto page.
"""

from __future__ import annotations

import argparse
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

import httpx

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.dashboard import signed_in_page
from bench.dashboard_jobs import OwnLoop, create_job, local_server

ROOT = Path(__file__).resolve().parents[1]
#: Peak memory by family: no state (sgd), one buffer (momentum), two moments (adam).
STATE_MB = {"sgd": 300.0, "momentum": 420.0, "adam": 860.0}
#: Seconds per run by family (a step of adam costs more than one of sgd).
SECONDS = {"sgd": 4.0, "momentum": 5.0, "adam": 8.0}
MEMORY_LIMIT_MB = 900.0
TRADE_OFF_JOB: dict[str, Any] = {
    "name": "val_loss against train_seconds, under 900 MB",
    "task": {"description": "small MLP on a tabular table", "domain": "tabular"},
    "objectives": [
        {"metric": "val_loss", "direction": "minimize"},
        {"metric": "train_seconds", "direction": "minimize"},
    ],
    "constraints": [{"metric": "peak_memory_mb", "max": MEMORY_LIMIT_MB}],
    "families": ["adam", "sgd", "momentum"],
    "budget": {"n_trials": 36},
    "seed": 7,
}


def trade_off(family: str, lr: float, number: int, batch_size: int = 32) -> dict[str, float]:
    """What a trial reports: a larger batch trains faster but ends at a higher loss and needs
    more memory, an lr near 1e-3 is best, sgd ends a little worse, and memory is the family's
    optimizer state plus the batch's activations."""
    spread = ((number * 7919) % 100) / 100
    seconds = SECONDS[family] * (32 / batch_size) ** 0.5 * (1 + spread)
    loss = (
        abs(math.log10(lr) + 3) * 0.15
        + 0.04 * math.log2(batch_size / 8)
        + 0.3 * spread
        + (0.05 if family == "sgd" else 0.0)
    )
    return {
        "val_loss": round(loss, 4),
        "train_seconds": round(seconds, 2),
        "peak_memory_mb": STATE_MB[family] + batch_size + 8 * ((number * 31) % 10),
    }


class TradeOffLoop(OwnLoop):
    """A client with its own loop for a multi-objective job: lease, complete with values."""

    def run_one(self) -> bool:
        """False when the job has no trial due."""
        lease = self.next_lease()
        if lease is None:
            return False
        params = lease["params"]
        values = trade_off(
            params["optimizer"], params["lr"], lease["number"], params.get("batch_size") or 32
        )
        self._complete(lease["trial_id"], {"values": values})
        return True


def trade_off_job(client: httpx.Client) -> dict[str, Any]:
    """Create the job and run all its trials; returns the finished job."""
    job = create_job(client, TRADE_OFF_JOB)
    loop = TradeOffLoop(client, job["id"])
    while loop.run_one():
        pass
    finished: dict[str, Any] = client.get(f"/v1/jobs/{job['id']}").json()
    return finished


def photograph(url: str, token: str, job_id: str, out: Path) -> None:
    with signed_in_page(url, token) as page:
        page.goto(f"{url}/ui/jobs/{job_id}/pareto")
        page.wait_for_selector("#plot-pareto[data-rendered=true]", timeout=30_000)
        page.screenshot(path=str(out), full_page=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "images" / "pareto.png")
    args = parser.parse_args()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as folder,
        local_server(Path(folder)) as server,
        server.client() as client,
    ):
        job = trade_off_job(client)
        front = client.get(f"/v1/jobs/{job['id']}/pareto").json()
        print(f"{job['progress']['complete']} trials, {len(front['trials'])} on the front")
        photograph(server.url, server.token, job["id"], args.out)
    print(f"screenshot in {args.out}")


if __name__ == "__main__":
    main()
