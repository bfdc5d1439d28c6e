"""Does advice make search faster? The advised space against an uninformed one, same TPE,
same budget, on built-in workloads, scored so that training noise does not decide.

Per workload and search seed, each arm runs a study of ``--trials`` trials (bench/search_arms.py
says how the arms are made). The task is the one in ``examples/<workload>.json``, the
description a person wrote for that workload, with ``budget_trials`` set to the bench's budget;
each trial trains that task's ``epochs`` (the advice was asked for that many).

Noise-aware scoring: a study's best-so-far config after t trials is the one with the best
observed value, as a person would pick it; it is then re-trained over ``--reeval-seeds``
training seeds that no search trial used (so a lucky seed does not carry over) and scored by
the median. "Trials to target" is the first t at which that re-evaluated best-so-far is at
least as good as the uninformed arm's final quality (median over its search seeds). Seed noise
is the spread (max - min) of one config's metric over those training seeds.

    nice -n 10 python bench/advisor_search.py [--workloads a,b] [--seeds 5] [--trials 30]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import torch

ROOT = Path(__file__).resolve().parents[1]
# Run as a script (`python bench/advisor_search.py`), bench/ comes first on the path and its
# service.py and workers.py would shadow the packages, even with the root on PYTHONPATH.
sys.path.insert(0, str(ROOT))

from advisor import Advice, TaskDescription, TrainConfig, advise  # noqa: E402
from bench.report import loaded_machine_line, write_section  # noqa: E402
from bench.search_arms import (  # noqa: E402
    SearchTrial,
    Trainer,
    advised_arm,
    run_search,
    uninformed_space,
)
from bench.search_region import region_check  # noqa: E402
from workers.workloads import WorkloadRegistry  # noqa: E402

WORKLOADS = ("tabular-mlp", "digits-cnn", "sequence-lstm", "recsys-embedding")
BUDGETS = (10, 20, 30)
#: Training seeds of the re-evaluation: far from the trial numbers the searches train with.
REEVAL_SEED_BASE = 10_000
CACHE_DIR = ROOT / "build" / "advisor_search"
RESULTS_JSON = ROOT / "bench" / "results" / "advisor_search.json"


def task_for(workload: str, n_trials: int) -> tuple[TaskDescription, int]:
    """The example job's task as its author described it, and the epochs it asks for."""
    example = json.loads((ROOT / "examples" / f"{workload}.json").read_text())
    task = dict(example["task"]) | {"budget_trials": n_trials}
    return TaskDescription.model_validate(task), int(task["epochs"])


class Scorer:
    """Median of a config over the re-evaluation seeds (None when every seed diverged)."""

    def __init__(self, trainer: Trainer, seeds: int, minimize: bool) -> None:
        self.trainer, self.seeds, self.minimize = trainer, seeds, minimize
        self.spreads: dict[str, float] = {}

    def score(self, config: TrainConfig) -> float | None:
        values = [self.trainer.train(config, REEVAL_SEED_BASE + k).value for k in range(self.seeds)]
        finite = [v for v in values if v is not None]
        if len(finite) >= 2:
            self.spreads[config.model_dump_json()] = max(finite) - min(finite)
        if len(finite) * 2 <= len(values):  # most seeds diverged: the config is not usable
            return None
        worst = max(finite) if self.minimize else min(finite)
        return statistics.median([worst if v is None else v for v in values])

    def better_or_equal(self, value: float | None, target: float) -> bool:
        if value is None:
            return False
        return value <= target if self.minimize else value >= target


def reevaluated_curve(trials: Sequence[SearchTrial], scorer: Scorer) -> list[float | None]:
    """The re-evaluated best-so-far after 1, 2, ... trials (None before any trial ends)."""
    curve: list[float | None] = []
    best: SearchTrial | None = None
    score: float | None = None
    for trial in trials:
        if trial.value is not None and (
            best is None
            or best.value is None
            or (trial.value < best.value if scorer.minimize else trial.value > best.value)
        ):
            best = trial
            score = scorer.score(trial.config) if trial.config is not None else None
        curve.append(score)
    return curve


def best_config(trials: Sequence[SearchTrial], minimize: bool) -> SearchTrial | None:
    done = [t for t in trials if t.value is not None]
    if not done:
        return None
    return (min if minimize else max)(done, key=lambda t: float(t.value or 0.0))


def budgets_for(n_trials: int) -> list[int]:
    return sorted({min(b, n_trials) for b in BUDGETS})


def median_or_none(values: Sequence[float | None]) -> float | None:
    finite = [v for v in values if v is not None]
    return statistics.median(finite) if finite else None


def bench_workload(
    name: str, registry: WorkloadRegistry, seeds: int, n_trials: int, reeval: int
) -> dict[str, Any]:
    workload = registry.get(name)
    minimize = workload.spec.direction == "minimize"
    task, epochs = task_for(name, n_trials)
    advice: Advice = advise(task)
    trainer = Trainer(workload, epochs, CACHE_DIR / f"{name}.jsonl")
    scorer = Scorer(trainer, reeval, minimize)
    advised_space, warm = advised_arm(advice, n_trials)
    arms = {"advised": (advised_space, warm), "uninformed": (uninformed_space(), [])}
    runs: dict[str, list[dict[str, Any]]] = {arm: [] for arm in arms}
    started = time.perf_counter()
    for seed in range(seeds):
        for arm, (space, points) in arms.items():
            trials = run_search(
                trainer, space, points, seed=seed, n_trials=n_trials,
                direction=workload.spec.direction,
            )  # fmt: skip
            curve = reevaluated_curve(trials, scorer)
            best = best_config(trials, minimize)
            runs[arm].append({"seed": seed, "trials": trials, "curve": curve, "best": best})
            final = curve[-1]
            print(
                f"  {name} seed {seed} {arm:<10} final {_fmt(final)}"
                f" diverged {sum(t.state == 'diverged' for t in trials)}/{n_trials}"
                f" best {_describe(best.config if best else None)}"
                f"  [{time.perf_counter() - started:.0f} s, {trainer.trained} trained,"
                f" {trainer.hits} cached]",
                flush=True,
            )
    target = median_or_none([r["curve"][-1] for r in runs["uninformed"]])
    result: dict[str, Any] = {
        "workload": name,
        "metric": workload.spec.metric,
        "direction": workload.spec.direction,
        "epochs": epochs,
        "task": task.model_dump(mode="json", exclude_none=True),
        "advised_families": [f.value for f in advice.search.families],
        "target": target,
        "arms": {},
    }
    for arm, arm_runs in runs.items():
        reached = [_trials_to(r["curve"], target, scorer) for r in arm_runs]
        all_trials = [t for r in arm_runs for t in r["trials"]]
        result["arms"][arm] = {
            "quality": {
                str(b): median_or_none([r["curve"][b - 1] for r in arm_runs])
                for b in budgets_for(n_trials)
            },
            "quality_per_seed": [r["curve"] for r in arm_runs],
            "trials_to_target_per_seed": reached,
            "trials_to_target": _median_trials(reached, n_trials),
            "target_hit_by_warm_start": [
                n is not None and r["trials"][n - 1].warm_start
                for n, r in zip(reached, arm_runs, strict=True)
            ],
            "diverged_share": sum(t.state == "diverged" for t in all_trials) / len(all_trials),
            "best_configs": [
                _config_json(r["best"].config if r["best"] else None) for r in arm_runs
            ],
        }
    spreads = list(scorer.spreads.values())
    noise = statistics.median(spreads) if spreads else None
    result["seed_noise"] = {
        "median_spread": noise,
        "max_spread": max(spreads) if spreads else None,
        "configs": len(spreads),
        "seeds": reeval,
    }
    result["region"] = region_check(
        advice, [(r["best"], r["curve"][-1]) for r in runs["uninformed"]],
        result["arms"]["advised"]["quality"][str(n_trials)], minimize,
        noise=noise, sparse=workload.spec.sparse_features,
    )  # fmt: skip
    result["seconds"] = time.perf_counter() - started
    result["trained"], result["cached"] = trainer.trained, trainer.hits
    return result


def _trials_to(curve: Sequence[float | None], target: float | None, scorer: Scorer) -> int | None:
    if target is None:
        return None
    return next((i + 1 for i, v in enumerate(curve) if scorer.better_or_equal(v, target)), None)


def _median_trials(reached: Sequence[int | None], n_trials: int) -> float | None:
    """Median over seeds, a seed that never got there counted past the budget; None (">N")
    when the median itself lies past it."""
    counted = sorted(n_trials + 1 if n is None else n for n in reached)
    median = statistics.median(counted)
    return None if median > n_trials else float(median)


def _fmt(value: float | None) -> str:
    return "—" if value is None else f"{value:.4g}"


def _config_json(config: TrainConfig | None) -> dict[str, Any] | None:
    return None if config is None else config.model_dump(mode="json", exclude_none=True)


def _describe(config: TrainConfig | None) -> str:
    if config is None:
        return "none"
    wd = config.weight_decay or 0.0
    return f"{config.optimizer.value} lr={config.lr:.3g} wd={wd:.3g}"


def code_state() -> str:
    """The commit, and whether the advisor matched it (others may be editing it meanwhile)."""
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    ).stdout.strip()  # fmt: skip
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "advisor"],
        capture_output=True, text=True, cwd=ROOT, check=False,
    ).stdout.strip()  # fmt: skip
    return f"commit {commit}" + (" (advisor/ had uncommitted changes)" if dirty else "")


def markdown_for(results: Sequence[dict[str, Any]], args: argparse.Namespace, code: str) -> str:
    n = args.trials
    lines = [
        loaded_machine_line() + f"; {code} when the run began; torch threads 1.",
        "",
        f"TPE as the service configures it, {args.seeds} search seeds × {n} trials per arm, no "
        f"pruning. Quality: median over {args.reeval} fresh training seeds of each study's "
        "best-so-far config (picked by its observed value), then the median over search seeds. "
        "Target: the uninformed arm's final quality; trials to target: median over search "
        f"seeds (a seed that never reaches it counts as {n + 1}; '>{n}' when the median does). "
        "Workloads at size 1 (their built-in data), each trial at the epochs of the example "
        "job's task, the same in both arms; every trial counts, diverged ones included; the "
        "advised arm starts with the advice's warm starts, as a job does. Seed noise: the "
        "median spread (max - min) of one config over the re-evaluation seeds.",
        "",
        "| workload (metric, epochs) | arm | "
        + " | ".join(f"@{b}" for b in budgets_for(n))
        + " | trials to target | diverged | seed noise |",
        "| --- | --- | " + "---: | " * (len(budgets_for(n)) + 3),
    ]
    for r in results:
        noise = r["seed_noise"]["median_spread"]
        for arm in ("advised", "uninformed"):
            a = r["arms"][arm]
            q = [_fmt(a["quality"][str(b)]) for b in budgets_for(n)]
            ttt = a["trials_to_target"]
            lines.append(
                f"| {r['workload']} ({r['metric']} {'↓' if r['direction'] == 'minimize' else '↑'}"
                f", {r['epochs']} ep) | {arm} | {' | '.join(q)} | "
                f"{f'>{n}' if ttt is None else f'{ttt:g}'} | {a['diverged_share']:.0%} | "
                f"{_fmt(noise) if arm == 'advised' else ''} |"
            )
    lines += ["", "Goal per workload: advised trials to target ≤ 1/3 of the budget, and advised",
              "quality at the full budget no worse than uninformed.", ""]  # fmt: skip
    for r in results:
        lines.append(f"- **{r['workload']}**: {verdict(r, n)}")
    lines += ["", "Best regions found by the uninformed arm, against the advised space:", ""]
    for r in results:
        lines.append(f"- **{r['workload']}** ({', '.join(r['advised_families'])}): "
                     + "; ".join(r["region"]["lines"]))  # fmt: skip
    return "\n".join(lines)


def verdict(r: dict[str, Any], n: int) -> str:
    adv, uni = r["arms"]["advised"], r["arms"]["uninformed"]
    ttt = adv["trials_to_target"]
    fast = ttt is not None and ttt <= n / 3
    a30, u30 = adv["quality"][str(n)], uni["quality"][str(n)]
    minimize = r["direction"] == "minimize"
    not_worse = a30 is not None and (u30 is None or (a30 <= u30 if minimize else a30 >= u30))
    return (
        f"target {_fmt(r['target'])} reached in {'>' + str(n) if ttt is None else f'{ttt:g}'}"
        f" trials with advice ({'meets' if fast else 'MISSES'} ≤{n / 3:.3g}); at {n} trials "
        f"advised {_fmt(a30)} vs uninformed {_fmt(u30)} ({'not worse' if not_worse else 'WORSE'})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workloads", default=",".join(WORKLOADS))
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--trials", type=int, default=30)
    parser.add_argument("--reeval", type=int, default=5, help="training seeds per re-evaluation")
    parser.add_argument("--no-write", action="store_true", help="print only")
    parser.add_argument(
        "--rewrite", action="store_true", help="rewrite the section from the last JSON, no runs"
    )
    parser.add_argument(
        "--update",
        action="store_true",
        help="re-run only --workloads (after a rule change that moved their advice) and keep "
        "the other workloads' figures from the last JSON, each labelled with its commit",
    )
    args = parser.parse_args()
    if args.rewrite:
        saved = json.loads(RESULTS_JSON.read_text())
        write_results(markdown_for(saved["workloads"], args, saved["code"]), saved)
        return
    torch.set_num_threads(1)
    registry = WorkloadRegistry.discover()
    code = code_state()
    print(code, flush=True)
    results = []
    started = time.perf_counter()
    for name in args.workloads.split(","):
        print(f"{name}: {args.seeds} seeds × 2 arms × {args.trials} trials", flush=True)
        results.append(bench_workload(name, registry, args.seeds, args.trials, args.reeval))
        print(f"{name}: {verdict(results[-1], args.trials)}", flush=True)
        for line in results[-1]["region"]["lines"]:
            print(f"  region: {line}", flush=True)
    if args.update:
        results, code = _merged_with_saved(results, code)
    markdown = markdown_for(results, args, code)
    print(markdown)
    print(f"total {time.perf_counter() - started:.0f} s")
    if not args.no_write:
        write_results(markdown, {"code": code, "workloads": results})


def _merged_with_saved(fresh: list[dict[str, Any]], code: str) -> tuple[list[dict[str, Any]], str]:
    """The last run's workloads with the fresh ones in their place, and which code ran which."""
    saved = json.loads(RESULTS_JSON.read_text())
    by_name = {r["workload"]: r for r in fresh}
    merged = [by_name.pop(r["workload"], r) for r in saved["workloads"]] + list(by_name.values())
    kept = [r["workload"] for r in merged if r not in fresh]
    ran = ", ".join(r["workload"] for r in fresh)
    return merged, f"{ran} re-run at {code}; {', '.join(kept)} from the run at {saved['code']}"


def write_results(markdown: str, results: dict[str, Any]) -> None:
    """The section of docs/benchmarks.md, and the figures under the file name of this script
    (write_section names its JSON after the section)."""
    write_section("advisor-search", markdown, results)
    (RESULTS_JSON.parent / "advisor-search.json").replace(RESULTS_JSON)


if __name__ == "__main__":
    main()
