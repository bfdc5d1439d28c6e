"""tunewise's training harness: every optimizer family and schedule, built-in and installed
workloads, the trial runner, the lr range test and the family comparison.

Workers train here and talk to the service over HTTP only; nothing here opens a database.
"""

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
