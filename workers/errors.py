"""Errors the training harness raises on purpose. Each message says what to change.

A trial that goes wrong while training (NaN, out of memory, a bug in a workload) is not an
error here: the runner turns it into a ``TrialOutcome`` with a reason, so a worker goes on.
These errors are for callers that asked for something that cannot be run at all.
"""

from __future__ import annotations


class HarnessError(Exception):
    """Base for every error the training harness raises on purpose."""


class UnknownWorkloadError(HarnessError):
    """A workload name that neither the built-ins nor an installed entry point provide."""

    def __init__(self, name: str, available: tuple[str, ...]) -> None:
        self.name = name
        self.available = available
        super().__init__(
            f"unknown workload {name!r}; available: {', '.join(available) or 'none'} "
            "(user workloads are installed as entry points of group 'tunewise.workloads')"
        )


class WorkloadPluginError(HarnessError):
    """An installed entry point that does not load or does not give a usable workload."""


class OptimizerConfigError(HarnessError):
    """A config that is valid on its own but cannot drive this model (e.g. sparse_adam on a
    model without sparse embeddings)."""


class DeviceUnavailableError(HarnessError):
    """The asked-for device does not exist on this machine."""
