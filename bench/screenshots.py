"""Regenerates docs/screenshots/*.png (1280×800) from real runs of the built-in workloads.

    .venv/bin/python bench/screenshots.py [--out docs/screenshots]

A real server on a loopback port; tabular-mlp and digits-cnn jobs (examples/*.json) trained
through the full path (lease → harness → report → complete, over HTTP, on CPU or CUDA), a
third job left half-done so the list shows one running; then headless Chromium signs in and
photographs the jobs page, a job page (its top and its plots) and the advise page.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tunewise.testing.browser import FIGURES, signed_in_page
from tunewise.testing.jobs import create_job, train_job
from tunewise.testing.servers import local_server

ROOT = Path(__file__).resolve().parents[1]
ADVISE_TEXT = "在两万条评论上微调 BERT，batch size 32，关心最终准确率"


def example(name: str) -> dict[str, object]:
    spec: dict[str, object] = json.loads((ROOT / "examples" / f"{name}.json").read_text())
    return spec


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    with (
        tempfile.TemporaryDirectory() as folder,
        local_server(Path(folder)) as server,
        server.client() as client,
    ):
        jobs = {}
        for name in ("digits-cnn", "tabular-mlp"):
            started = time.perf_counter()
            jobs[name] = create_job(client, example(name))
            trained = train_job(client, jobs[name]["id"], device=args.device)
            print(f"{name}: {trained} trials in {time.perf_counter() - started:.1f} s")
        half = {**example("tabular-mlp"), "name": "tabular-mlp: a longer search, half-way"}
        half["budget"] = {"n_trials": 24, "max_epochs": 10}
        running = create_job(client, half)
        # Ten of its 24 trials: the job stays running, as it would between two leases.
        train_job(client, running["id"], device=args.device, limit=10)
        print("photographing")
        photograph(server.url, server.token, jobs["tabular-mlp"]["id"], args.out)
    print(f"screenshots in {args.out}")


def photograph(url: str, token: str, job_id: str, out: Path) -> None:
    with signed_in_page(url, token) as page:
        page.screenshot(path=str(out / "jobs.png"))
        page.goto(f"{url}/ui/jobs/{job_id}")
        for key in FIGURES:
            page.wait_for_selector(f"#plot-{key}[data-rendered=true]", timeout=30_000)
        page.screenshot(path=str(out / "job.png"))
        page.evaluate("document.getElementById('plots').scrollIntoView()")
        page.screenshot(path=str(out / "job-plots.png"))
        page.goto(f"{url}/ui/advise")
        page.fill("textarea[name=description]", ADVISE_TEXT)
        page.click("#advise-form button[type=submit]")
        page.wait_for_selector("#advice")
        page.screenshot(path=str(out / "advise.png"))


if __name__ == "__main__":
    main()
