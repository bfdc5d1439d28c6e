"""The harness package's public names, and that reaching the worker's HTTP side stays light."""

from __future__ import annotations

import subprocess
import sys

import workers


def test_every_public_name_resolves() -> None:
    for name in workers.__all__:
        assert getattr(workers, name) is not None


def test_importing_the_worker_agent_does_not_import_torch() -> None:
    code = "import sys, workers.agent; print('torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_the_lazy_table_and_all_agree() -> None:
    assert sorted(workers.__all__) == sorted(workers._EXPORTS)
