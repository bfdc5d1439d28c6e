"""The runner: trains one trial of a workload and reports each epoch."""

from workers.runner.options import RunOptions
from workers.runner.outcome import CurvePoint, TrialOutcome, TrialState
from workers.runner.reporter import NullReporter, TrialReporter
from workers.runner.trial import run_trial

__all__ = [
    "CurvePoint",
    "NullReporter",
    "RunOptions",
    "TrialOutcome",
    "TrialReporter",
    "TrialState",
    "run_trial",
]
