"""Seconds per epoch of each built-in workload through the runner, against a plain
hand-written PyTorch loop on the same model and data, in one run.

Both sides train the same model (same seed) on the same device-resident tensors with AdamW
(Adagrad for sparse embeddings), shuffle once per epoch, step through mini-batches by index,
and compute the validation metric after each epoch, as any loop that reports progress must.
What the runner adds is its own: parameter groups, the schedule, the divergence guard, the
reporter's should_stop and heartbeat, the curve. Runs alternate between the two sides
(interleaved repeats); the first epoch of each run is warm-up and left out; medians compare.

    python bench/harness.py [--repeats 5] [--epochs 4] [--device auto] [--threads 1]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from pathlib import Path
from typing import Any

import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
# Run as a script (`python bench/harness.py`), bench/ comes first on the path and its
# service.py and workers.py would shadow the packages, even with the root on PYTHONPATH.
sys.path.insert(0, str(ROOT))

from advisor.config import TrainConfig  # noqa: E402
from bench.report import loaded_machine_line, write_section  # noqa: E402
from workers.device import resolve_device  # noqa: E402
from workers.runner import TrialState, run_trial  # noqa: E402
from workers.workloads import BUILTIN_WORKLOADS, Workload  # noqa: E402
from workers.workloads.tabular_mlp import TabularMlp  # noqa: E402

LR = 1e-3
SPARSE_LR = 0.05
GOAL = 1.10


def plain_loop(workload: Workload, epochs: int, device: torch.device, seed: int) -> list[float]:
    """Seconds per epoch of the loop a person would write by hand."""
    data = workload.make_data(1, 0)
    train, valid = data.train.to(device), data.valid.to(device)
    torch.manual_seed(seed)
    model = workload.make_model(1).to(device)
    sparse = [m.weight for m in model.modules() if isinstance(m, nn.Embedding) and m.sparse]
    dense = [p for p in model.parameters() if all(p is not s for s in sparse)]
    optimizers: list[torch.optim.Optimizer] = [torch.optim.AdamW(dense, lr=LR)]
    if sparse:
        optimizers.append(torch.optim.Adagrad(sparse, lr=SPARSE_LR))
    batch_size = workload.spec.default_batch_size
    steps = len(train) // batch_size
    generator = torch.Generator().manual_seed(seed)
    seconds = []
    for _ in range(epochs):
        started = time.perf_counter()
        model.train()
        order = torch.randperm(len(train), generator=generator).to(device)
        for step in range(steps):
            index = order[step * batch_size : (step + 1) * batch_size]
            inputs = tuple(t[index] for t in train.inputs)
            loss = workload.loss(workload.forward(model, inputs), train.target[index])
            for optimizer in optimizers:
                optimizer.zero_grad(set_to_none=True)
            loss.backward()  # type: ignore[no-untyped-call]
            for optimizer in optimizers:
                optimizer.step()
        model.eval()
        with torch.no_grad():
            outputs = [
                workload.forward(model, tuple(t[i : i + 1024] for t in valid.inputs))
                for i in range(0, len(valid), 1024)
            ]
            float(workload.metric(torch.cat(outputs), valid.target))
        seconds.append(time.perf_counter() - started)
    return seconds


def through_runner(workload: Workload, epochs: int, device: torch.device, seed: int) -> list[float]:
    config = TrainConfig(optimizer="adamw", lr=LR, sparse_lr=SPARSE_LR)
    outcome = run_trial(workload, config, max_epochs=epochs, device=str(device), seed=seed)
    if outcome.state is not TrialState.COMPLETE:
        raise RuntimeError(f"{workload.spec.name} did not complete: {outcome.reason}")
    return list(outcome.epoch_seconds)


def measure(workload: Workload, repeats: int, epochs: int, device: torch.device) -> dict[str, Any]:
    plain: list[float] = []
    runner: list[float] = []
    for repeat in range(repeats):
        # Alternate which side goes first, so drift in machine load falls on both alike.
        sides = [(plain, plain_loop), (runner, through_runner)]
        for samples, run in sides if repeat % 2 == 0 else reversed(sides):
            samples.extend(run(workload, epochs, device, seed=repeat)[1:])
    plain_median, runner_median = statistics.median(plain), statistics.median(runner)
    return {
        "plain_seconds_per_epoch": plain,
        "runner_seconds_per_epoch": runner,
        "plain_median": plain_median,
        "runner_median": runner_median,
        "ratio": runner_median / plain_median,
    }


def bookkeeping_microseconds(steps: int = 20_000) -> float:
    """What the runner adds to each step on its own, without training: the reporter's
    should_stop, the heartbeat clock, the schedule, the divergence guard. Unlike the epoch
    timings above, this hardly moves with the load of a shared machine."""
    from workers.optim import build_optimizer
    from workers.runner.guard import DivergenceGuard
    from workers.runner.reporter import NullReporter
    from workers.schedules import ScheduleClock, lr_multiplier

    config = TrainConfig(optimizer="adamw", lr=LR, schedule="cosine")
    optimizers = build_optimizer(TabularMlp().make_model(1), config)
    guard = DivergenceGuard(torch.device("cpu"), 100.0)
    clock, reporter, loss = ScheduleClock(steps, 100), NullReporter(), torch.tensor(1.0)
    started = time.perf_counter()
    for step in range(steps):
        reporter.should_stop()
        time.monotonic()
        optimizers.set_lr_multiplier(lr_multiplier(config.schedule, step, clock))
        guard.observe(loss)
    return (time.perf_counter() - started) / steps * 1e6


def markdown(results: dict[str, Any]) -> str:
    rows = [
        f"| {name} | {r['plain_median']:.3f} | {r['runner_median']:.3f} | {r['ratio']:.3f} "
        f"| {'yes' if r['ratio'] <= GOAL else 'no'} |"
        for name, r in results["workloads"].items()
    ]
    return "\n".join(
        [
            f"{results['machine']}; device `{results['device']}`, {results['threads']} torch "
            f"thread(s), size 1, {results['repeats']} interleaved repeats of "
            f"{results['epochs']} epochs (the first of each left out as warm-up), medians.",
            "",
            "Seconds per epoch (training plus the validation metric) through `run_trial` "
            "against a hand-written loop on the same model, data and optimizer. Goal: the "
            "runner costs at most 10% more (ratio ≤ 1.10).",
            "",
            "| workload | plain loop s/epoch | runner s/epoch | ratio | within 10% |",
            "| --- | ---: | ---: | ---: | --- |",
            *rows,
            "",
            f"The runner's own work per optimizer step (should_stop, heartbeat clock, a cosine "
            f"schedule, the divergence guard), timed apart from training: "
            f"{results['bookkeeping_us_per_step']:.1f} µs; the cheapest step above "
            f"(tabular-mlp) takes at most {results['cheapest_step_us']:.0f} µs. On a shared "
            "machine the epoch timings move by more than the runner costs, which is why a ratio "
            "can come out below 1.",
        ]
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--device", default="auto")
    parser.add_argument("--threads", type=int, default=1, help="torch intra-op threads")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", message="Sparse invariant checks are implicitly disabled")
    torch.set_num_threads(args.threads)
    device = resolve_device(args.device)
    results: dict[str, Any] = {
        "machine": loaded_machine_line(),
        "device": str(device),
        "gpu": torch.cuda.get_device_name(device) if device.type == "cuda" else None,
        "threads": args.threads,
        "repeats": args.repeats,
        "epochs": args.epochs,
        "workloads": {},
    }
    for workload_class in BUILTIN_WORKLOADS:
        workload = workload_class()
        results["workloads"][workload.spec.name] = measure(
            workload, args.repeats, args.epochs, device
        )
        r = results["workloads"][workload.spec.name]
        print(
            f"{workload.spec.name:18s} plain {r['plain_median']:.4f}s  "
            f"runner {r['runner_median']:.4f}s  ratio {r['ratio']:.3f}",
            flush=True,
        )
    results["bookkeeping_us_per_step"] = bookkeeping_microseconds()
    tabular = TabularMlp()
    steps = len(tabular.make_data(1, 0).train) // tabular.spec.default_batch_size
    # An upper bound: the epoch's time includes its validation pass.
    results["cheapest_step_us"] = results["workloads"]["tabular-mlp"]["plain_median"] / steps * 1e6
    text = markdown(results)
    print(text)
    if not args.no_write:
        write_section("harness", text, results)


if __name__ == "__main__":
    main()
