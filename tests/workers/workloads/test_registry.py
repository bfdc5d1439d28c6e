"""The registry: built-ins, installed entry points (a real one, through importlib.metadata),
and broken plug-ins that are named rather than fatal."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from advisor.config import TrainConfig
from workers.errors import UnknownWorkloadError, WorkloadPluginError
from workers.runner import TrialState, run_trial
from workers.workloads import ENTRY_POINT_GROUP, WorkloadRegistry

ROOT = Path(__file__).resolve().parents[3]
EXAMPLE = ROOT / "examples" / "tunewise-example-workload"
BUILT_IN_NAMES = (
    "digits-cnn",
    "tabular-mlp",
    "text-transformer",
    "recsys-embedding",
    "sequence-lstm",
)


def test_the_built_ins_are_always_there() -> None:
    registry = WorkloadRegistry.discover()

    assert registry.names()[:5] == BUILT_IN_NAMES
    assert all(name in registry for name in BUILT_IN_NAMES)


def test_an_unknown_name_lists_the_available_ones() -> None:
    with pytest.raises(UnknownWorkloadError) as caught:
        WorkloadRegistry.discover().get("imagenet")

    assert "unknown workload 'imagenet'" in str(caught.value)
    assert "digits-cnn, tabular-mlp, text-transformer" in str(caught.value)


@pytest.fixture(scope="module")
def installed_example(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example package pip-installed into a fresh directory (not the venv), built from a
    copy so the repository stays clean."""
    work = tmp_path_factory.mktemp("example")
    source = work / "src"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    target = work / "site"
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "--target",
            str(target),
            str(source),
        ],
        check=True,
        capture_output=True,
    )
    return target


def test_an_installed_entry_point_is_discovered_and_trains(
    installed_example: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.syspath_prepend(str(installed_example))
    registry = WorkloadRegistry.discover()

    assert "two-spirals" in registry.names()
    assert registry.broken == {}
    outcome = run_trial(
        "two-spirals",
        TrainConfig(optimizer="adamw", lr=1e-2),
        max_epochs=2,
        device="cpu",
        registry=registry,
    )
    assert outcome.state is TrialState.COMPLETE
    assert outcome.metric == "accuracy" and outcome.value is not None


def _fake_distribution(site: Path, entry_points: str) -> None:
    """A minimal installed distribution: a dist-info with an entry_points.txt."""
    info = site / "broken_plugins-1.0.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-plugins\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[{ENTRY_POINT_GROUP}]\n{entry_points}")
    (site / "broken_plugins.py").write_text(
        "from tests.workers.runner.workloads import Line\n"
        "class NotAWorkload: pass\n"
        "def explode(): raise RuntimeError('no GPU driver')\n"
        "line = Line()\n"
    )


def test_broken_entry_points_are_named_and_the_rest_still_load(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _fake_distribution(
        tmp_path,
        "missing = no_such_module:Thing\n"
        "wrong-type = broken_plugins:NotAWorkload\n"
        "explodes = broken_plugins:explode\n"
        "misnamed = broken_plugins:line\n"
        "tabular-mlp = workers.workloads.tabular_mlp:TabularMlp\n",
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    registry = WorkloadRegistry.discover()

    assert registry.names() == BUILT_IN_NAMES
    assert set(registry.broken) == {"missing", "wrong-type", "explodes", "misnamed", "tabular-mlp"}
    assert "ModuleNotFoundError" in registry.broken["missing"]
    assert "not a workers.workloads.Workload" in registry.broken["wrong-type"]
    assert "RuntimeError: no GPU driver" in registry.broken["explodes"]
    assert "must equal spec.name" in registry.broken["misnamed"]
    assert "already exists" in registry.broken["tabular-mlp"]
    with pytest.raises(WorkloadPluginError, match="installed but broken"):
        registry.get("explodes")
