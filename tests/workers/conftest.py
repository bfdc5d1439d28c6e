"""Fixtures shared by the harness tests."""

from tests.workers.threads import one_cpu_thread

__all__ = ["one_cpu_thread"]
