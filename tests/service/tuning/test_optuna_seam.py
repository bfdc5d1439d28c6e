"""Optuna's private names are used in one package, service.tuning.optuna_seam, and nowhere else
(service, workers, the CLI, bench and the tests themselves); what the seam answers is what
Optuna itself says through its public API."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import optuna
import pytest
from optuna.trial import TrialState

from service.tuning.optuna_seam import (
    StudyTrialsView,
    TrialBackend,
    TrialStorage,
    seen_through,
    study_id_of,
    study_storage,
    trial_id_of,
)

ROOT = Path(__file__).resolve().parents[3]
SEAM = ROOT / "service" / "tuning" / "optuna_seam"
SCANNED = ("service", "workers", "tunewise", "bench", "tests", "scripts")
OPTUNA_PACKAGES = ("optuna", "optuna_dashboard")
#: What every object has; not Optuna's.
EXEMPT = frozenset({"_asdict", "_replace", "_fields", "_missing_", "_name_", "_value_"})


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _is_optuna_module(module: str) -> bool:
    return module.split(".", maxsplit=1)[0] in OPTUNA_PACKAGES


@cache
def optuna_private_names() -> frozenset[str]:
    """Every private name the installed Optuna defines: its functions, classes and module
    globals, and the attributes its classes set on ``self``."""
    names: set[str] = set()
    for path in Path(optuna.__file__).parent.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                names.add(node.name)
            elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store):
                names.add(node.attr)
    return frozenset(n for n in names if _is_private(n)) - EXEMPT


def private_optuna_uses(path: Path) -> Iterator[str]:
    """Where a file reaches into Optuna: a private Optuna module or name imported, a private
    Optuna attribute read or written on anything but ``self`` (``study._storage``,
    ``super()._set_trial_param_without_commit``, ``getattr(trial, "_trial_id")``), and in a
    class built on an Optuna class, a private Optuna name defined or used on ``self``."""
    private = optuna_private_names()
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    from_optuna: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if _is_optuna_module(alias.name):
                    from_optuna.add((alias.asname or alias.name).split(".")[0])
                    if any(_is_private(part) for part in alias.name.split(".")):
                        yield f"{node.lineno}: import {alias.name}"
        elif isinstance(node, ast.ImportFrom) and node.module and _is_optuna_module(node.module):
            from_optuna.update(alias.asname or alias.name for alias in node.names)
            parts = [*node.module.split("."), *(alias.name for alias in node.names)]
            if any(_is_private(part) for part in parts):
                yield f"{node.lineno}: from {node.module} import ..."
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in private:
            if not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                yield f"{node.lineno}: {ast.unparse(node)}"
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in ("getattr", "setattr", "hasattr", "delattr")
            and len(node.args) > 1
            and isinstance(node.args[1], ast.Constant)
            and node.args[1].value in private
        ):
            yield f"{node.lineno}: {ast.unparse(node)}"
        elif isinstance(node, ast.ClassDef) and any(
            ast.unparse(base).split(".")[0] in from_optuna for base in node.bases
        ):
            for inner in ast.walk(node):
                if isinstance(inner, ast.FunctionDef) and inner.name in private:
                    yield f"{inner.lineno}: {node.name}.{inner.name} overrides Optuna's"
                elif isinstance(inner, ast.Attribute) and inner.attr in private:
                    yield f"{inner.lineno}: {ast.unparse(inner)} in {node.name}"


def test_no_private_optuna_name_is_used_outside_the_seam() -> None:
    found = [
        f"{path.relative_to(ROOT)}:{use}"
        for package in SCANNED
        for path in sorted((ROOT / package).rglob("*.py"))
        if SEAM not in path.parents
        for use in private_optuna_uses(path)
    ]
    assert found == [], "use (or grow) service.tuning.optuna_seam instead"


def test_the_seam_is_where_the_private_names_are() -> None:
    # Guards the scan on real code: the seam's own uses are found.
    uses = "\n".join(use for path in SEAM.glob("*.py") for use in private_optuna_uses(path))
    for expected in ("_cached_storage", "study._storage", "trial._trial_id", "_get_trials"):
        assert expected in uses


def test_the_scan_sees_each_kind_of_private_use(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text(
        "import optuna\n"
        "from optuna.storages import RDBStorage\n"
        "from optuna.storages._rdb import models\n"
        "def f(study, trial):\n"
        "    import optuna.storages._cached_storage\n"
        "    study._storage.get_trial(getattr(trial, '_trial_id'))\n"
        "class Backend(RDBStorage):\n"
        "    def _set_trial_param_without_commit(self):\n"
        "        return self._lock\n"
        "class Ours:\n"
        "    def _remember(self):\n"
        "        return self._lock, self._capacity\n"
    )
    lines = [use.split(":")[0] for use in private_optuna_uses(bad)]
    assert sorted(lines, key=int) == ["3", "5", "6", "6", "8", "9"]


@pytest.fixture
def storage(tmp_path: Path) -> TrialStorage:
    return TrialStorage(TrialBackend(f"sqlite:///{tmp_path / 'optuna.db'}", {}))


def test_ids_are_the_ones_the_storage_knows(storage: TrialStorage) -> None:
    study = optuna.create_study(storage=storage, study_name="ids")
    trial = study.ask()
    assert study_id_of(study) == storage.get_study_id_from_name("ids")
    assert storage.get_trial(trial_id_of(trial)).number == trial.number
    assert trial_id_of(study.trials[0]) == trial_id_of(trial)
    assert study_storage(study) is storage


def test_a_study_seen_through_another_storage_leaves_the_original_alone(
    storage: TrialStorage,
) -> None:
    study = optuna.create_study(storage=storage)
    other = TrialStorage(TrialBackend("sqlite:///:memory:", {}))
    view = seen_through(study, other)
    assert study_storage(view) is other and study_storage(study) is storage
    assert view.sampler is study.sampler


def test_a_sampler_sees_only_the_trials_the_view_chooses(storage: TrialStorage) -> None:
    study = optuna.create_study(storage=storage)
    for value in (3.0, 1.0, 2.0):
        study.tell(study.ask(), value)
    view = StudyTrialsView(study, lambda trials: trials[1:]).as_study()
    seen = view.get_trials(states=(TrialState.COMPLETE,))
    assert [t.value for t in seen] == [1.0, 2.0]
    assert [t.value for t in view.trials] == [1.0, 2.0]
    assert len(study.trials) == 3
