"""Regenerates docs/images/pareto.png (the Pareto page at 1280 wide) from a real
multi-objective job: the one the Pareto page's browser test uses
(``tunewise.testing.jobs.trade_off_job``).

    .venv/bin/python bench/pareto_screenshot.py [--out docs/images/pareto.png]

A real server on a loopback port; a job with two objectives (val_loss and train_seconds,
both lower is better) and a limit on peak_memory_mb, created over HTTP; a client with its
own training loop leases each trial and completes it with ``values`` from a smooth synthetic
trade-off, so the job has a front of several trials and a few that break the memory limit.
Then headless Chromium signs in and photographs the job's Pareto page.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tunewise.testing.browser import signed_in_page
from tunewise.testing.jobs import trade_off_job
from tunewise.testing.servers import local_server

ROOT = Path(__file__).resolve().parents[1]


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
