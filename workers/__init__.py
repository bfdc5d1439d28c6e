"""tunewise's training harness: every optimizer family and schedule, built-in and installed
workloads, the trial runner, the lr range test and the family comparison.

Workers train here and talk to the service over HTTP only; nothing here opens a database.

The names below load on first use: ``import workers.agent`` (what ``tunewise submit`` and the
worker's HTTP side need) must not pay for importing torch.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from workers.errors import (
        DeviceUnavailableError,
        HarnessError,
        OptimizerConfigError,
        UnknownWorkloadError,
        WorkloadPluginError,
    )
    from workers.runner import (
        CurvePoint,
        NullReporter,
        RunOptions,
        TrialOutcome,
        TrialReporter,
        TrialState,
        run_trial,
    )
    from workers.workloads import Workload, WorkloadRegistry, WorkloadSpec

#: public name → the module that defines it.
_EXPORTS: dict[str, str] = {
    "DeviceUnavailableError": "workers.errors",
    "HarnessError": "workers.errors",
    "OptimizerConfigError": "workers.errors",
    "UnknownWorkloadError": "workers.errors",
    "WorkloadPluginError": "workers.errors",
    "CurvePoint": "workers.runner",
    "NullReporter": "workers.runner",
    "RunOptions": "workers.runner",
    "TrialOutcome": "workers.runner",
    "TrialReporter": "workers.runner",
    "TrialState": "workers.runner",
    "run_trial": "workers.runner",
    "Workload": "workers.workloads",
    "WorkloadRegistry": "workers.workloads",
    "WorkloadSpec": "workers.workloads",
}

__all__ = [
    "CurvePoint",
    "DeviceUnavailableError",
    "HarnessError",
    "NullReporter",
    "OptimizerConfigError",
    "RunOptions",
    "TrialOutcome",
    "TrialReporter",
    "TrialState",
    "UnknownWorkloadError",
    "Workload",
    "WorkloadPluginError",
    "WorkloadRegistry",
    "WorkloadSpec",
    "run_trial",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'workers' has no attribute {name!r}")
    return getattr(importlib.import_module(module), name)
