"""Harness tests train on one CPU thread.

The models here are tiny: a second intra-op thread buys nothing, and on a shared two-core
machine (CI, or engineers running suites side by side) oversubscribed threads made epochs up
to ten times slower. The caller's setting is restored after each test.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator

import pytest


@pytest.fixture(autouse=True)
def one_cpu_thread() -> Iterator[None]:
    # Only where torch is loaded already: tests that never touch torch stay light.
    torch = sys.modules.get("torch")
    if torch is None:
        yield
        return
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    try:
        yield
    finally:
        torch.set_num_threads(threads)
