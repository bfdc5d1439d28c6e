"""The layers import one way: advisor is pure, service never imports torch, workers never reach
into service internals or the database. Checked statically (every import statement, including
ones inside functions) and at run time (what importing a whole package actually loads)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names)


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """Every absolute module name imported by a file, with its line number."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def top(name: str) -> str:
    return name.split(".", maxsplit=1)[0]


def violations(package: str, allowed: Callable[[str], bool]) -> list[str]:
    found = []
    for path in sources(package):
        for line, name in imports_of(path):
            if not allowed(name):
                found.append(f"{path.relative_to(ROOT)}:{line} imports {name}")
    return found


def test_advisor_imports_pydantic_and_the_standard_library_only() -> None:
    ok = {"advisor", "pydantic", "pydantic_core", "annotated_types", "typing_extensions"}
    assert violations("advisor", lambda n: top(n) in ok or top(n) in STDLIB) == []


def test_service_never_imports_torch_or_the_training_harness() -> None:
    banned = {"torch", "workers", "sklearn", "numpy", "tunewise"}
    assert violations("service", lambda n: top(n) not in banned) == []


def test_wire_models_import_pydantic_and_advisor_only() -> None:
    schemas = ROOT / "service" / "schemas.py"
    if not schemas.exists():
        pytest.fail("service/schemas.py (the HTTP wire models) is missing")
    ok = {"advisor", "pydantic", "pydantic_core", "annotated_types", "typing_extensions"}
    bad = [n for _, n in imports_of(schemas) if top(n) not in ok and top(n) not in STDLIB]
    assert bad == []


def test_workers_use_only_the_wire_models_of_service_and_never_the_database() -> None:
    def allowed(name: str) -> bool:
        if top(name) == "service":
            return name == "service.schemas" or name.startswith("service.schemas.")
        return top(name) not in {"sqlalchemy", "alembic", "psycopg", "optuna", "fastapi"}

    assert violations("workers", allowed) == []


def test_the_import_scan_sees_a_violation(tmp_path: Path) -> None:
    # Guards the scanner itself: a checker that finds nothing proves nothing.
    bad = tmp_path / "bad.py"
    bad.write_text("def f():\n    from service.db import engine\n    import torch.nn\n")
    assert [n for _, n in imports_of(bad)] == ["service.db", "service.db.engine", "torch.nn"]


def _modules_loaded_by_importing(package: str) -> set[str]:
    code = f"""
import importlib, json, pkgutil, sys
pkg = importlib.import_module({package!r})
for info in pkgutil.walk_packages(pkg.__path__, {package!r} + "."):
    importlib.import_module(info.name)
print(json.dumps(sorted({{m.split('.')[0] for m in sys.modules}})))
"""
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_importing_all_of_advisor_loads_no_framework() -> None:
    loaded = _modules_loaded_by_importing("advisor")
    assert loaded.isdisjoint({"torch", "optuna", "fastapi", "sqlalchemy", "numpy"})


def test_importing_all_of_service_never_loads_torch() -> None:
    loaded = _modules_loaded_by_importing("service")
    assert "torch" not in loaded
    assert "workers" not in loaded
