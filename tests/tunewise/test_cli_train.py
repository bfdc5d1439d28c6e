"""``tunewise workloads``, ``train``, ``lr-find`` and ``compare``: the issue's acceptance lines,
run in-process through click (fast) and a couple through a real subprocess."""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from advisor.families import SEED_FAMILIES
from tests.workers.threads import one_cpu_thread
from tunewise.cli import cli

__all__ = ["one_cpu_thread"]  # autouse: these commands train on one CPU thread too

ROOT = Path(__file__).resolve().parents[2]
#: The issue's divergence acceptance line.
DIVERGING = [
    "train",
    "--workload",
    "tabular-mlp",
    "--optimizer",
    "sgd",
    "--lr",
    "10000",
    "--epochs",
    "5",
    "--json",
]
WORKLOADS = ["digits-cnn", "tabular-mlp", "text-transformer", "recsys-embedding", "sequence-lstm"]


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args))


def json_of(result: Result) -> Any:
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def test_workloads_json_lists_the_five_with_what_the_advisor_needs() -> None:
    listed = json_of(run("workloads", "--json"))

    assert [w["name"] for w in listed][:5] == WORKLOADS
    for workload in listed:
        assert {"domain", "architecture", "metric", "direction"} <= set(workload)
    digits = listed[0]
    assert (digits["domain"], digits["architecture"]) == ("vision", "cnn")
    assert (digits["metric"], digits["direction"]) == ("accuracy", "maximize")


def test_workloads_prints_a_table() -> None:
    result = run("workloads")

    assert result.exit_code == 0
    assert all(name in result.stdout for name in WORKLOADS)


def test_a_chosen_family_trains_tabular_mlp_to_a_finite_value() -> None:
    # One family: that each seed family trains is test_compare_trains_each_seed_family...
    # below (this CLI) and tests/workers/test_compare.py (the harness); building each family's
    # optimizer is tests/workers/optim/test_build.py.
    out = json_of(
        run(
            "train",
            "--workload",
            "tabular-mlp",
            "--optimizer",
            "rmsprop",
            "--epochs",
            "2",
            "--json",
        )
    )

    assert out["state"] == "complete"
    assert math.isfinite(out["value"])
    assert [p["epoch"] for p in out["curve"]] == [1, 2]
    assert out["metric"] == "val_loss"
    assert out["config"]["optimizer"] == "rmsprop"


@pytest.mark.parametrize("workload", WORKLOADS)
def test_each_workload_trains_with_adamw_to_a_finite_value(workload: str) -> None:
    out = json_of(
        run("train", "--workload", workload, "--optimizer", "adamw", "--epochs", "2", "--json")
    )

    assert out["state"] == "complete"
    assert math.isfinite(out["value"])
    assert len(out["curve"]) == 2


def test_a_huge_lr_ends_diverged_within_the_first_epoch_without_a_traceback() -> None:
    result = run(*DIVERGING)
    out = json_of(result)

    assert out["state"] == "diverged"
    assert out["epochs_run"] == 0 and out["curve"] == []
    assert out["value"] is None
    assert "exploded" in out["reason"] or "nan" in out["reason"]
    assert "Traceback" not in result.output


def test_flags_override_the_defaults_and_a_full_config_can_be_given() -> None:
    flagged = json_of(
        run(
            "train",
            "-w",
            "tabular-mlp",
            "--optimizer",
            "momentum",
            "--lr",
            "0.02",
            "--momentum",
            "0.8",
            "--schedule",
            "warmup_cosine",
            "--warmup-fraction",
            "0.1",
            "--epochs",
            "1",
            "--json",
        )
    )
    assert flagged["config"]["lr"] == 0.02
    assert flagged["config"]["momentum"] == 0.8
    assert flagged["config"]["schedule"]["name"] == "warmup_cosine"
    assert flagged["config"]["schedule"]["warmup_fraction"] == 0.1

    config = {"optimizer": "adamw", "lr": 3e-4, "beta2": 0.98, "weight_decay": 0.05}
    given = json_of(
        run("train", "-w", "tabular-mlp", "--config", json.dumps(config), "--epochs", "1", "--json")
    )
    assert given["config_origin"] == "given"
    assert {k: given["config"][k] for k in config} == config


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--config", '{"optimizer": "adamw", "lr": 1e-3, "momentum": 0.9}'],
            "does not take momentum",
        ),
        (
            ["--config", '{"optimizer": "adamw", "lr": 1e-3, "colour": "red"}'],
            "colour: Extra inputs",
        ),
        (["--config", '{"optimizer": "adamw", "lr": -1}'], "lr: Input should be greater than 0"),
        (["--config", "{not json"], "invalid config"),
        (["--optimizer", "adam", "--momentum", "0.9"], "does not take momentum"),
        (["--optimizer", "adam", "--config", "{}"], "not both"),
        ([], "give --config"),
        (["--optimizer", "adam", "--device", "cuda:99"], "CUDA"),
        (["--optimizer", "adam", "--device", "tpu"], "unknown device 'tpu'"),
    ],
)
def test_bad_requests_exit_2_with_a_message(args: list[str], message: str) -> None:
    result = run("train", "--workload", "tabular-mlp", "--epochs", "1", *args)

    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_an_unknown_workload_exits_2_and_lists_the_available_ones() -> None:
    result = run("train", "--workload", "imagenet", "--optimizer", "adam")

    assert result.exit_code == 2
    assert "unknown workload 'imagenet'" in result.output and "digits-cnn" in result.output


def test_without_json_a_person_reads_one_line_of_outcome_and_the_config() -> None:
    result = run(
        "train",
        "-w",
        "tabular-mlp",
        "--optimizer",
        "adagrad",
        "--initial-accumulator-value",
        "0.1",
        "--epochs",
        "1",
    )

    assert result.exit_code == 0, result.output
    first, second = result.stdout.splitlines()[:2]
    assert first.startswith("complete: val_loss ") and "after 1 epoch(s) on cpu" in first
    assert second.startswith("config (") and '"initial_accumulator_value":0.1' in second


def test_lr_find_on_digits_with_adam_suggests_a_sensible_lr_and_plots_it(tmp_path: Path) -> None:
    plot = tmp_path / "lr.png"
    out = json_of(
        run(
            "lr-find",
            "--workload",
            "digits-cnn",
            "--optimizer",
            "adam",
            "--json",
            "--plot",
            str(plot),
        )
    )

    assert 1e-5 <= out["suggested_lr"] <= 1e-1
    assert len(out["curve"]) > 20
    assert {"lr", "loss", "smoothed"} <= set(out["curve"][0])
    assert plot.read_bytes()[:4] == b"\x89PNG"


def test_compare_trains_each_seed_family_and_plots_the_curves(tmp_path: Path) -> None:
    plot = tmp_path / "compare.png"
    result = run("compare", "--workload", "tabular-mlp", "--epochs", "1", "--plot", str(plot))

    assert result.exit_code == 0, result.output
    rows = {line.split()[1]: line for line in result.stdout.splitlines() if line.startswith("│ ")}
    for family in SEED_FAMILIES:
        assert "│ complete │" in rows[family.value], result.stdout
    assert plot.read_bytes()[:4] == b"\x89PNG"


def _tunewise(*args: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"OMP_NUM_THREADS": "1"}
    return subprocess.run(
        [sys.executable, "-m", "tunewise", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_real_process_reports_divergence_as_a_result() -> None:
    done = _tunewise(*DIVERGING)

    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["state"] == "diverged"
    assert "Traceback" not in done.stderr


def test_a_real_process_refuses_a_bad_config_with_exit_2() -> None:
    done = _tunewise(
        "train", "--workload", "tabular-mlp", "--config", '{"optimizer": "rmsprop", "lr": 0}'
    )

    assert done.returncode == 2
    assert "lr: Input should be greater than 0" in done.stderr
    assert "Traceback" not in done.stderr
