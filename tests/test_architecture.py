"""The layers import one way: advisor is pure; the wire (``tunewise.wire``) imports only
pydantic, httpx and advisor; service never imports torch; workers and the client commands speak
the wire and never reach into service or the database; tests and benchmarks share their helpers
through ``tunewise.testing`` and never import each other. Checked statically (every import
statement, including ones inside functions) and at run time (what importing a whole package
actually loads)."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STDLIB = set(sys.stdlib_module_names)


def imports_of(path: Path) -> Iterator[tuple[int, str]]:
    """Every module name imported by a file, with its line number; a relative import is
    reported as ``.name`` so that a rule can refuse it."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom) and node.level > 0:
            yield node.lineno, "." * node.level + (node.module or "")
        elif isinstance(node, ast.ImportFrom) and node.module:
            yield node.lineno, node.module
            for alias in node.names:
                yield node.lineno, f"{node.module}.{alias.name}"


def sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def is_wire(name: str) -> bool:
    return name == "tunewise.wire" or name.startswith("tunewise.wire.")


def is_testing(name: str) -> bool:
    return name == "tunewise.testing" or name.startswith("tunewise.testing.")


def is_sdk(name: str) -> bool:
    return name == "tunewise.sdk" or name.startswith("tunewise.sdk.")


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


def test_service_never_imports_torch_the_harness_or_the_cli() -> None:
    def allowed(name: str) -> bool:
        if top(name) == "tunewise":
            return is_wire(name)
        return top(name) not in {"torch", "workers", "sklearn", "numpy"}

    assert violations("service", allowed) == []


def test_the_wire_imports_pydantic_httpx_and_advisor_only() -> None:
    ok = {"advisor", "pydantic", "pydantic_core", "annotated_types", "typing_extensions", "httpx"}

    def allowed(name: str) -> bool:
        return is_wire(name) or top(name) in ok or top(name) in STDLIB

    assert violations("tunewise/wire", allowed) == []


def test_the_sdk_imports_the_wire_httpx_and_pydantic_only() -> None:
    # A notebook that imports tunewise.Client gets no server, no torch, no database driver,
    # and not even the advisor's rules except through the wire's models.
    ok = {"pydantic", "pydantic_core", "annotated_types", "typing_extensions", "httpx"}

    def allowed(name: str) -> bool:
        return is_wire(name) or is_sdk(name) or top(name) in ok or top(name) in STDLIB

    assert violations("tunewise/sdk", allowed) == []


def test_workers_speak_the_wire_and_never_touch_service_or_the_database() -> None:
    def allowed(name: str) -> bool:
        if top(name) == "tunewise":
            return is_wire(name)
        return top(name) not in {"service", "sqlalchemy", "alembic", "psycopg", "optuna", "fastapi"}

    assert violations("workers", allowed) == []


def test_only_the_serve_command_reaches_into_the_server() -> None:
    # The other commands are clients: they speak the wire, as a remote user would. The one
    # other module allowed is the test helpers' in-process server: tests and benchmarks stop and
    # restart it, and reach its storage, which a subprocess would not let them do.
    serve = ROOT / "tunewise" / "cli" / "serve.py"
    test_server = ROOT / "tunewise" / "testing" / "servers.py"
    clients = [p for p in sources("tunewise") if p not in {serve, test_server}]
    found = [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in clients
        for line, name in imports_of(path)
        if top(name) == "service"
    ]
    assert found == []


SHIPPED = ("advisor", "service", "workers", "tunewise")


def imports_where(paths: list[Path], refused: Callable[[str], bool]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)}:{line} imports {name}"
        for path in paths
        for line, name in imports_of(path)
        if refused(name)
    ]


def test_tests_and_benchmarks_share_helpers_through_tunewise_testing_only() -> None:
    # Each can change without breaking the other: what both need lives in the package.
    assert imports_where(sources("tests"), lambda n: top(n) == "bench") == []
    assert imports_where(sources("bench"), lambda n: top(n) == "tests") == []


def test_nothing_that_ships_to_users_imports_the_test_helpers() -> None:
    shipped = [p for package in SHIPPED for p in sources(package)]
    helpers = set(sources("tunewise/testing"))
    assert imports_where([p for p in shipped if p not in helpers], is_testing) == []


def test_no_package_uses_relative_imports() -> None:
    # One spelling per module keeps the direction checks above honest.
    shipped = [p for package in SHIPPED for p in sources(package)]
    assert imports_where(shipped, lambda n: n.startswith(".")) == []


def test_the_import_scan_sees_a_violation(tmp_path: Path) -> None:
    # Guards the scanner itself: a checker that finds nothing proves nothing.
    bad = tmp_path / "bad.py"
    bad.write_text(
        "def f():\n    from service.db import engine\n    import torch.nn\nfrom . import x\n"
    )
    assert sorted(n for _, n in imports_of(bad)) == [
        ".",
        "service.db",
        "service.db.engine",
        "torch.nn",
    ]


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


def test_importing_the_wire_loads_no_server_and_no_torch() -> None:
    loaded = _modules_loaded_by_importing("tunewise.wire")
    assert loaded.isdisjoint({"torch", "service", "workers", "optuna", "fastapi", "sqlalchemy"})


def test_importing_the_sdk_loads_no_server_and_no_torch() -> None:
    loaded = _modules_loaded_by_importing("tunewise.sdk")
    assert loaded.isdisjoint(
        {"torch", "service", "workers", "optuna", "fastapi", "sqlalchemy", "numpy"}
    )


def test_importing_tunewise_leaves_the_sdk_for_first_use() -> None:
    # The CLI imports tunewise on every command: the SDK and httpx load only when asked for.
    code = (
        "import json, sys, tunewise; before = sorted(sys.modules); tunewise.Client; "
        "print(json.dumps([m in before for m in ('tunewise.sdk', 'httpx')] + "
        "['tunewise.sdk' in sys.modules]))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert json.loads(out.stdout) == [False, False, True]
