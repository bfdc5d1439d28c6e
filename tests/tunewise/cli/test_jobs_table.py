"""``tunewise jobs`` on a narrow terminal: the job id and the state, which a person copies and
acts on, are never cut; the name, the workload and the best value give way instead."""

from __future__ import annotations

import io
from datetime import UTC, datetime

from rich.console import Console

from advisor import TaskDescription, advise
from tunewise.cli.jobs import print_jobs_table
from tunewise.wire.models import Job

ADVICE = advise(TaskDescription(domain="tabular")).model_dump(mode="json")
LONG_NAME = "resnet-18 on the cifar-10 training set, sweeping adamw against sgd with momentum"


def job(job_id: str, name: str, state: str, workload: str | None, best: float | None) -> Job:
    return Job.model_validate(
        {
            "id": job_id,
            "name": name,
            "state": state,
            "workload": workload,
            "study_name": f"tunewise-{job_id}",
            "objective": {"metric": "val_accuracy_top1", "direction": "maximize"},
            "budget": {"n_trials": 120},
            "families": ["adamw", "sgd"],
            "sampler": "tpe",
            "pruner": "median",
            "seed": None,
            "progress": {
                "running": 2,
                "complete": 90,
                "pruned": 10,
                "failed": 1,
                "finished": 100,
                "n_trials": 120,
            },
            "best": None
            if best is None
            else {
                "trial_id": 4711,
                "number": 97,
                "value": best,
                "params": {"optimizer": "adamw", "lr": 3e-4},
            },
            "advice": ADVICE,
            "created_at": datetime(2026, 12, 2, 17, 30, tzinfo=UTC),
            "started_at": None,
            "ended_at": None,
            "ended_reason": None,
        }
    )


JOBS = (
    job("deadbeefcafe0123", LONG_NAME, "cancelled", "cifar10-resnet18-with-augmentation", 0.912345),
    job("00000000000000a2", "mlp", "completed", "tabular-mlp", 0.5),
    job("1111111111111111", "own loop", "running", None, None),
)


def rendered(width: int) -> list[str]:
    console = Console(width=width, file=io.StringIO(), color_system=None)
    print_jobs_table(console, JOBS, total=3)
    output = console.file.getvalue()  # type: ignore[attr-defined]
    assert isinstance(output, str)
    return output.splitlines()


def row_of(lines: list[str], job_id: str) -> str:
    rows = [line for line in lines if job_id in line]
    assert len(rows) == 1, f"{job_id} is not whole on one line:\n" + "\n".join(lines)
    return rows[0]


def test_on_80_columns_each_id_and_state_is_whole_and_the_table_fits() -> None:
    lines = rendered(80)
    assert all(len(line) <= 80 for line in lines), "\n".join(lines)
    for listed in JOBS:
        assert f" {listed.state.value} " in row_of(lines, listed.id)
    assert "100/120" in row_of(lines, "deadbeefcafe0123")


def test_on_80_columns_the_long_name_and_workload_are_shortened_with_an_ellipsis() -> None:
    row = row_of(rendered(80), "deadbeefcafe0123")
    assert LONG_NAME not in row and "…" in row
    assert "cifar10-resnet18-with-augmentation" not in row


def test_a_wide_terminal_shows_the_best_value_its_family_and_the_creation_year() -> None:
    row = row_of(rendered(200), "deadbeefcafe0123")
    assert "0.9123 adamw #97" in row and "2026-12-02 17:30" in row
    assert "cifar10-resnet18-with-augmentation" in row
