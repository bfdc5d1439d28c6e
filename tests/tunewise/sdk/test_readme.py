"""The README's Python example, run as written against a real server, so it never rots."""

from __future__ import annotations

import ast
import math
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tunewise.testing.servers import LocalServer

ROOT = Path(__file__).resolve().parents[3]


def readme_python_example() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("\n## Python\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert len(blocks) == 1, "the README's Python section has one example"
    return str(blocks[0])


def test_the_readme_example_submits_runs_its_own_loop_and_prints_the_best(
    server: LocalServer, tmp_path: Path
) -> None:
    code = readme_python_example()
    assert len(code.strip().splitlines()) <= 22
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TUNEWISE_API_URL": server.url,
        "TUNEWISE_API_TOKEN": server.token,
    }
    ran = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ran.returncode == 0, ran.stderr
    value, params = ran.stdout.strip().split(" ", 1)
    best = ast.literal_eval(params)
    assert best["optimizer"] and best["lr"] > 0
    # The toy loss at the last epoch, at the printed lr: the value is that best trial's.
    assert float(value) == pytest.approx((math.log10(best["lr"]) + 3) ** 2 + 1 / 5)
