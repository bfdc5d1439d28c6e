"""Warm start from similar finished jobs (issue 11): trials to within 1% of a known best.

For each workload and seed, in-process through the real app (FastAPI's TestClient on a SQLite
file, our migrations, Optuna's storage, one user token per workload and seed):

1. a first job, cold (no evidence yet), ``N`` trials;
2. a second job on the same workload with another job seed, with warm start (its evidence is
   the first job only) and without (``warm_start: false``: today's static advice);
3. a related task: the same workload at ``size=2`` (twice the data and twice the width, the
   task saying a dataset twice as large), with warm start (evidence: the first two jobs, both
   at size 1) and without.

Every trial is leased from the job, trained with ``run_trial`` (the harness a worker uses, the
trial's number as its seed, as a worker does) and completed with its final value; a diverged
trial is completed as failed (the service retries it; it counts as a trial here). Epoch
reports are not sent, so nothing is pruned: each arm trains exactly ``N`` trials.

"Trials to reach" is the 1-based number of the first trial within 1% of a reference value:
the first job's best for the same workload; for the related task, where the first job's
values do not apply, the best either related arm found. A job that never gets there counts
as ``N + 1`` (shown as ">N"). Run: ``nice -n 10 .venv/bin/python bench/warm_start.py``.
"""

from __future__ import annotations

import argparse
import json
import math
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import torch  # noqa: E402
from fastapi.testclient import TestClient  # noqa: E402
from pydantic import SecretStr  # noqa: E402

from advisor import TrainConfig  # noqa: E402
from bench.report import loaded_machine_line, write_section  # noqa: E402
from service.app import create_app  # noqa: E402
from service.auth import issue_token  # noqa: E402
from service.settings import ServiceSettings  # noqa: E402
from tunewise.wire.models import TokenScope  # noqa: E402
from workers.runner import TrialState, run_trial  # noqa: E402
from workers.workloads import WorkloadRegistry  # noqa: E402

WORKLOADS = ("tabular-mlp", "digits-cnn", "sequence-lstm")
TOLERANCE = 0.01
Headers = dict[str, str]


class Bench:
    def __init__(self, client: TestClient, registry: WorkloadRegistry, epochs: int) -> None:
        self.client = client
        self.registry = registry
        self.epochs = epochs
        self.trials_trained = 0

    def token(self) -> Headers:
        context = self.client.app.state.context  # type: ignore[attr-defined]
        with context.database.unit_of_work() as session:
            secret = issue_token(session, TokenScope.USER, label="bench warm start")
        return {"Authorization": f"Bearer {secret.get_secret_value()}"}

    def run_job(
        self,
        headers: Headers,
        workload: str,
        *,
        size: int,
        seed: int,
        n_trials: int,
        warm_start: bool,
    ) -> dict[str, Any]:
        spec = self.registry.get(workload).spec
        data = self.registry.get(workload).make_data(size, 0)
        task = {
            "domain": spec.domain.value,
            "architecture": spec.architecture.value,
            "dataset_size": len(data.train),
            "batch_size": spec.default_batch_size,
        }
        body = {
            "task": task,
            "workload": workload,
            "objective": {"metric": spec.metric, "direction": spec.direction},
            "budget": {"n_trials": n_trials, "max_epochs": self.epochs},
            "seed": seed,
            "warm_start": warm_start,
        }
        created = self.client.post("/v1/jobs", json=body, headers=headers)
        assert created.status_code == 201, created.text
        job = created.json()
        trials: list[dict[str, Any]] = []
        while len(trials) < n_trials:
            leased = self.client.post(f"/v1/jobs/{job['id']}/lease", headers=headers)
            if leased.status_code == 204:
                break
            lease = leased.json()
            value = self.train(workload, lease["params"], lease["number"], size)
            done = {"value": value} if value is not None else {"failed": "diverged"}
            answer = self.client.post(
                f"/v1/trials/{lease['trial_id']}/complete", json=done, headers=headers
            )
            assert answer.status_code == 200, answer.text
            trials.append(
                {"number": lease["number"], "value": value, "warm_start": lease.get("warm_start")}
            )
        final = self.client.get(f"/v1/jobs/{job['id']}", headers=headers).json()
        listed = self.client.get(
            f"/v1/jobs/{job['id']}/trials", params={"limit": 500}, headers=headers
        ).json()["items"]
        marks = {t["number"]: t.get("warm_start") for t in listed}
        for trial in trials:
            trial["warm_start"] = marks.get(trial["number"])
        return {
            "id": job["id"],
            "direction": spec.direction,
            "trials": trials,
            "state": final["state"],
            "changes": [
                r["text"] for r in final["advice"]["search"]["rationale"] if "evidence" in r["rule"]
            ],
        }

    def train(self, workload: str, params: dict[str, Any], number: int, size: int) -> float | None:
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore")
            outcome = run_trial(
                workload,
                TrainConfig.model_validate(params),
                max_epochs=self.epochs,
                device="cpu",
                seed=number,
                size=size,
                registry=self.registry,
            )
        self.trials_trained += 1
        value = outcome.value
        if outcome.state is not TrialState.COMPLETE or value is None or not math.isfinite(value):
            return None
        return value


def best_of(job: dict[str, Any]) -> float | None:
    values = [t["value"] for t in job["trials"] if t["value"] is not None]
    if not values:
        return None
    return min(values) if job["direction"] == "minimize" else max(values)


def trials_to_reach(job: dict[str, Any], reference: float, n_trials: int) -> int:
    slack = abs(reference) * TOLERANCE
    for index, trial in enumerate(job["trials"], start=1):
        value = trial["value"]
        if value is None:
            continue
        if job["direction"] == "minimize" and value <= reference + slack:
            return index
        if job["direction"] == "maximize" and value >= reference - slack:
            return index
    return n_trials + 1


def one_seed(bench: Bench, workload: str, seed: int, n_trials: int) -> dict[str, Any]:
    headers = bench.token()
    first = bench.run_job(headers, workload, size=1, seed=seed, n_trials=n_trials, warm_start=True)
    same_seed = seed + 1000
    same_warm = bench.run_job(
        headers, workload, size=1, seed=same_seed, n_trials=n_trials, warm_start=True
    )
    related_warm = bench.run_job(
        headers, workload, size=2, seed=same_seed, n_trials=n_trials, warm_start=True
    )
    same_cold = bench.run_job(
        headers, workload, size=1, seed=same_seed, n_trials=n_trials, warm_start=False
    )
    related_cold = bench.run_job(
        headers, workload, size=2, seed=same_seed, n_trials=n_trials, warm_start=False
    )
    reference = best_of(first)
    assert reference is not None, f"{workload} seed {seed}: the first job completed no trial"
    related = [v for v in (best_of(related_warm), best_of(related_cold)) if v is not None]
    related_ref = (min if first["direction"] == "minimize" else max)(related)
    return {
        "workload": workload,
        "seed": seed,
        "first_best": reference,
        "related_reference": related_ref,
        "same": {
            "warm": trials_to_reach(same_warm, reference, n_trials),
            "cold": trials_to_reach(same_cold, reference, n_trials),
            "warm_best": best_of(same_warm),
            "cold_best": best_of(same_cold),
        },
        "related": {
            "warm": trials_to_reach(related_warm, related_ref, n_trials),
            "cold": trials_to_reach(related_cold, related_ref, n_trials),
            "warm_best": best_of(related_warm),
            "cold_best": best_of(related_cold),
        },
        "jobs": {
            "first": first,
            "same_warm": same_warm,
            "same_cold": same_cold,
            "related_warm": related_warm,
            "related_cold": related_cold,
        },
    }


def shown(count: float, n_trials: int) -> str:
    return f">{n_trials}" if count > n_trials else f"{count:g}"


def summarise(
    runs: list[dict[str, Any]],
    workloads: list[str],
    n_trials: int,
    epochs: int,
    seconds: float,
    *,
    machine: str | None = None,
) -> str:
    lines = [
        "## Warm start from similar finished jobs",
        "",
        f"`bench/warm_start.py`: {len(workloads)} workloads x {len(runs) // len(workloads)} "
        f"seeds, {n_trials} trials per job, {epochs} epochs per trial, in-process through the "
        "real app (SQLite, one user token per workload and seed), each trial trained with "
        "`run_trial` on the CPU (1 thread), no epoch reports (nothing pruned). Trials to reach: "
        "the first trial within 1% of the first job's best (same workload, other job seed), or "
        "of the best either arm found (related task: `size=2`, twice the data and width). "
        f">{n_trials} means never within the budget, counted as {n_trials + 1}. "
        f"Whole run: {seconds / 60:.1f} min on {machine or loaded_machine_line()}.",
        "",
        "| workload | task | warm start: trials to reach (per seed) | cold | mean warm | "
        "mean cold | cold / warm | best in the budget: warm / cold (mean) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    totals: dict[str, list[float]] = {"same": [1.0, 1.0], "related": [1.0, 1.0]}
    means: dict[str, list[tuple[float, float]]] = {"same": [], "related": []}
    for workload in workloads:
        mine = [r for r in runs if r["workload"] == workload]
        for kind in ("same", "related"):
            warm = [r[kind]["warm"] for r in mine]
            cold = [r[kind]["cold"] for r in mine]
            mean_warm, mean_cold = statistics.mean(warm), statistics.mean(cold)
            means[kind].append((mean_warm, mean_cold))
            best_warm = statistics.mean(r[kind]["warm_best"] for r in mine)
            best_cold = statistics.mean(r[kind]["cold_best"] for r in mine)
            lines.append(
                f"| {workload} | {'same workload' if kind == 'same' else 'related (size 2)'} | "
                f"{', '.join(shown(v, n_trials) for v in warm)} | "
                f"{', '.join(shown(v, n_trials) for v in cold)} | {mean_warm:.1f} | "
                f"{mean_cold:.1f} | {mean_cold / mean_warm:.2f}x | "
                f"{best_warm:.4g} / {best_cold:.4g} |"
            )
    for kind in ("same", "related"):
        warm = statistics.mean(w for w, _ in means[kind])
        cold = statistics.mean(c for _, c in means[kind])
        totals[kind] = [warm, cold]
    same_ratio = totals["same"][1] / totals["same"][0]
    related_ratio = totals["related"][1] / totals["related"][0]
    lines += [
        "",
        f"All workloads: same workload {totals['same'][0]:.1f} trials warm against "
        f"{totals['same'][1]:.1f} cold (**{same_ratio:.2f}x fewer**, goal >= 3x: "
        f"{'met' if same_ratio >= 3 else 'missed'}); related task "
        f"{totals['related'][0]:.1f} warm against {totals['related'][1]:.1f} cold "
        f"({related_ratio:.2f}x; goal: no slower than cold: "
        f"{'met' if related_ratio >= 1 else 'missed'}).",
    ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--trials", type=int, default=16)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--workloads", nargs="*", default=list(WORKLOADS))
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--summarise",
        type=Path,
        default=None,
        help="re-render the section from a results JSON this script wrote, without training",
    )
    args = parser.parse_args()
    if args.summarise is not None:
        saved = json.loads(args.summarise.read_text())
        runs = saved["runs"]
        workloads = list(dict.fromkeys(r["workload"] for r in runs))
        markdown = summarise(
            runs,
            workloads,
            saved["n_trials"],
            saved["epochs"],
            saved["seconds"],
            machine=saved.get("machine"),
        )
        print(markdown)
        if not args.no_write:
            write_section("warm-start", markdown, saved)
        return
    torch.set_num_threads(1)
    registry = WorkloadRegistry.discover()
    started = time.perf_counter()
    runs: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as data_dir:
        settings = ServiceSettings(
            data_dir=Path(data_dir),
            database_url=SecretStr(f"sqlite:///{data_dir}/tunewise.db"),
            api_token=None,
            auth=True,
        )
        with TestClient(create_app(settings)) as client:
            bench = Bench(client, registry, args.epochs)
            for workload in args.workloads:
                for seed in range(args.seeds):
                    run = one_seed(bench, workload, seed, args.trials)
                    runs.append(run)
                    print(
                        f"{workload} seed {seed}: same {run['same']['warm']} warm / "
                        f"{run['same']['cold']} cold; related {run['related']['warm']} warm / "
                        f"{run['related']['cold']} cold ({time.perf_counter() - started:.0f} s)",
                        flush=True,
                    )
    seconds = time.perf_counter() - started
    markdown = summarise(runs, args.workloads, args.trials, args.epochs, seconds)
    print(markdown)
    example = runs[0]["jobs"]["same_warm"]
    print("example warm-started job:", json.dumps(example["changes"], indent=1))
    print("its first trials:", [t["warm_start"] for t in example["trials"][:5]])
    if not args.no_write:
        write_section(
            "warm-start",
            markdown,
            {
                "n_trials": args.trials,
                "epochs": args.epochs,
                "seconds": seconds,
                "machine": loaded_machine_line(),
                "runs": runs,
            },
        )


if __name__ == "__main__":
    main()
