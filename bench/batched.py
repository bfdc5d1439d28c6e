"""Trials per second of K trials trained together (``workers.batched.run_batched``) against
the same K trials one at a time through ``run_trial``, for K = 1, 8 and 32, in one run.

Both sides train the same trials (AdamW, lr and weight decay drawn log-uniformly from a fixed
seed, each trial its own init seed) for the same epochs, and both pay what a worker pays per
trial or batch: the workload's data, the models, every epoch's validation metric. Trials/s is
K over the wall time of all K. Repeats interleave the two sides (which goes first alternates)
and medians compare. A warm-up run of each side comes first and is not timed.

    nice -n 10 python bench/batched.py [--repeats 3] [--epochs 3] [--threads 1] [--device cpu]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
# Run as a script (`python bench/batched.py`), bench/ comes first on the path and its
# service.py and workers.py would shadow the packages, even with the root on PYTHONPATH.
sys.path.insert(0, str(ROOT))

from advisor.config import TrainConfig  # noqa: E402
from bench.report import RESULTS_DIR, loaded_machine_line, write_section  # noqa: E402
from workers.batched.runner import BatchedTrial, run_batched  # noqa: E402
from workers.device import resolve_device  # noqa: E402
from workers.runner import TrialState, run_trial  # noqa: E402
from workers.workloads import WorkloadRegistry  # noqa: E402

WORKLOADS = ("tabular-mlp", "digits-cnn", "sequence-lstm")
SIZES = (1, 8, 32)
#: The issue's goals at K = 32: on the CPU for tabular-mlp, and on a GPU.
CPU_GOAL, GPU_GOAL = 4.0, 10.0


def trials(k: int, epochs: int) -> list[BatchedTrial]:
    draw = random.Random(k)
    return [
        BatchedTrial(
            TrainConfig(
                optimizer="adamw",
                lr=10 ** draw.uniform(-4, -2.5),
                weight_decay=10 ** draw.uniform(-4, -1),
            ),
            max_epochs=epochs,
            seed=seed,
        )
        for seed in range(k)
    ]


def one_at_a_time(workload: str, batch: list[BatchedTrial], device: str) -> float:
    """Trials per second of ``run_trial`` on each trial in turn."""
    registry = WorkloadRegistry.discover()
    started = time.perf_counter()
    for trial in batch:
        outcome = run_trial(
            workload,
            trial.config,
            max_epochs=trial.max_epochs,
            device=device,
            seed=trial.seed,
            registry=registry,
        )
        if outcome.state is not TrialState.COMPLETE:
            raise RuntimeError(f"{workload} alone ended {outcome.state}: {outcome.reason}")
    return len(batch) / (time.perf_counter() - started)


def together(workload: str, batch: list[BatchedTrial], device: str) -> float:
    """Trials per second of ``run_batched`` on all of them at once."""
    registry = WorkloadRegistry.discover()
    started = time.perf_counter()
    outcomes = run_batched(workload, batch, device=device, registry=registry)
    seconds = time.perf_counter() - started
    bad = [o for o in outcomes if o.state is not TrialState.COMPLETE]
    if bad:
        raise RuntimeError(f"{workload} batched: {bad[0].state} {bad[0].reason}")
    return len(batch) / seconds


def measure(workload: str, k: int, repeats: int, epochs: int, device: str) -> dict[str, Any]:
    batch = trials(k, epochs)
    alone: list[float] = []
    batched: list[float] = []
    sides = [(alone, one_at_a_time), (batched, together)]
    for repeat in range(repeats):
        for samples, run in sides if repeat % 2 == 0 else reversed(sides):
            samples.append(run(workload, batch, device))
    alone_median, batched_median = statistics.median(alone), statistics.median(batched)
    return {
        "k": k,
        "alone_trials_per_s": alone,
        "batched_trials_per_s": batched,
        "alone_median": alone_median,
        "batched_median": batched_median,
        "speedup": batched_median / alone_median,
    }


def markdown(results: dict[str, Any]) -> str:
    rows = [
        f"| {r['workload']} | {r['k']} | {r['alone_median']:.2f} | {r['batched_median']:.2f} "
        f"| {r['speedup']:.2f}× |"
        for r in results["rows"]
    ]
    on_gpu = results["device"].startswith("cuda")
    goal = GPU_GOAL if on_gpu else CPU_GOAL
    tabular = next(r for r in results["rows"] if r["workload"] == "tabular-mlp" and r["k"] == 32)
    verdict = "met" if tabular["speedup"] >= goal else "not met"
    gpu_line = (
        f"GPU: {results['gpu']}."
        if on_gpu
        else "**GPU: not measured** — no GPU was lent to the session that ran this; the "
        f"issue's GPU goal (≥{GPU_GOAL:g}× at K = 32) is open."
    )
    return "\n".join(
        [
            f"{results['machine']}; device `{results['device']}`, {results['threads']} torch "
            f"thread(s), size 1, {results['epochs']} epochs per trial, {results['repeats']} "
            "interleaved repeats after a warm-up, medians.",
            "",
            "Trials per second of K trials trained together as one stacked model "
            "(`workers.batched.run_batched`) against the same K trials one at a time through "
            "`run_trial`. Both sides make the data and the models and compute every epoch's "
            "validation metric. Trials are AdamW with lr and weight decay drawn log-uniformly "
            "(one update rule, so one batch), each with its own init seed.",
            "",
            "| workload | K | one at a time, trials/s | batched, trials/s | speedup |",
            "| --- | ---: | ---: | ---: | ---: |",
            *rows,
            "",
            f"Goal at K = 32 on tabular-mlp: ≥{goal:g}×; {verdict} "
            f"({tabular['speedup']:.2f}×). {gpu_line}",
            "",
            "Why the CPU gains shrink with the model: tabular-mlp's steps are small enough that "
            "per-step overhead (Python, kernel launches, the optimizer's loop over tensors) "
            "dominates, and a batch pays it once for K trials. digits-cnn's grouped "
            "convolutions are compute-bound on two CPU cores, so K trials cost nearly K times "
            "one. sequence-lstm is not really batched: its recurrence runs torch's fused LSTM "
            "kernel once per trial (vmap has no batching rule for `aten::lstm`, and a stacked "
            "cell built from separate ops measured two to five times slower on the CPU), so "
            "only the head, the optimizer, data and evaluation are shared, and the batch can "
            "come out slower than one at a time: on the CPU, batching it gains nothing. On a "
            "GPU it runs one stacked cell for all trials instead (not measured here).",
            "",
            "Which trials share a batch: those whose families share torch's update rule "
            "(sgd, momentum and nesterov: SGD with per-trial momentum, dampening and nesterov "
            "flag; adam and adamw: Adam with per-trial L2 or decoupled decay; adagrad; "
            "rmsprop) and one mini-batch size (`workers.batched.runner.batch_key`). Families "
            "with different rules go to separate batches: mixing them would run every rule "
            "over the whole stack or gather and scatter each family's slice at every step. "
            "nadam, radam, adafactor, muon and sparse_adam have no batched rule and run one "
            "at a time. Each family's batched update matches torch.optim trial by trial "
            "within 1e-5 relative after 20 steps (`tests/workers/batched/test_optimizer.py`); "
            "a trial in a batch matches the same trial alone within 1e-4 relative on each "
            "epoch's metric and training loss over two epochs "
            "(`tests/workers/batched/test_runner.py`).",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--workloads", nargs="+", default=list(WORKLOADS))
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--render", action="store_true", help="rewrite the docs section from the last results"
    )
    args = parser.parse_args(argv)
    if args.render:
        saved = json.loads((RESULTS_DIR / "batched.json").read_text())
        write_section("batched", markdown(saved), saved)
        return
    torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    results: dict[str, Any] = {
        "machine": loaded_machine_line(),
        "device": str(device),
        "gpu": torch.cuda.get_device_name(device) if device.type == "cuda" else None,
        "threads": args.threads,
        "repeats": args.repeats,
        "epochs": args.epochs,
        "rows": [],
    }
    for workload in args.workloads:
        warm = trials(2, 1)
        one_at_a_time(workload, warm, str(device))
        together(workload, warm, str(device))
        for k in SIZES:
            row = {
                "workload": workload,
                **measure(workload, k, args.repeats, args.epochs, str(device)),
            }
            results["rows"].append(row)
            print(
                f"{workload:14s} K={k:2d}  one at a time {row['alone_median']:7.2f} trials/s  "
                f"batched {row['batched_median']:7.2f} trials/s  speedup {row['speedup']:.2f}x",
                flush=True,
            )
    text = markdown(results)
    print(text)
    if not args.no_write:
        write_section("batched", text, results)


if __name__ == "__main__":
    main()
